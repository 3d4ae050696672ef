"""The kiosk: pick a service (and priority), get a numbered ticket with a QR code."""
import io

import qrcode
import qrcode.image.svg
from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ..api.serialize import track_url
from ..auth import PUBLIC, access
from ..engine import offices, tickets, tracking
from ..engine.availability import office_state, past_closing
from ..errors import QueueError
from ..errors_http import error_response
from ..forms import KioskForm
from ..models import utcnow
from .availability import REFUSALS, page_texts
from .screens import office_language, valid_or_400

bp = Blueprint("kiosk", __name__)

#: Seconds the confirmation stays before the kiosk returns to its start screen.
CONFIRM_S = 15


def kiosk_args():
    """Query arguments a kiosk keeps on every page (``printer``: which printer it uses)."""
    printer = request.args.get("printer")
    return {"printer": printer} if printer else {}


def home_url(office):
    """The kiosk's start screen in the office's language: where every return goes, so
    the next citizen does not inherit the last one's language."""
    return url_for(".start", office_id=office.id, lang=office.default_language or "vi",
                   **kiosk_args())


def print_ticket(ticket):
    """Hand the ticket to the printing module; its status, or None when there is none.

    The printing module is optional here: without it the ticket is still issued
    and shown on screen. A printer error never loses the ticket.
    """
    try:
        from ..printing import print_ticket as queue_print
    except ImportError:
        return None
    try:
        return queue_print(ticket)
    except Exception:  # any printer trouble: the ticket counts, the screen says so
        current_app.logger.exception("Printing ticket %s failed", ticket.number)
        return "failed"


@bp.route("/kiosk/<int:office_id>", methods=["GET", "POST"])
@access(PUBLIC)
def start(office_id):
    """The start screen (GET) and taking a ticket (POST, a plain form)."""
    office = offices.get_office(office_id)
    office_language(office)
    form = KioskForm()
    availability = office_state(office, utcnow())  # open? last ticket? reopens when?
    open_now = availability["issuing"]
    error = None
    if request.method == "POST" and valid_or_400(form):
        try:
            ticket = tickets.issue(office, form.service.data,
                                   priority=tickets.validate_priority(form.priority.data or False),
                                   source="kiosk")
        except QueueError as exc:
            if exc.code not in REFUSALS:  # daily cap, service gone: a screen that goes home
                return error_response(exc.status, exc.code, exc.message, exc.params)
            error = exc  # closed, last ticket, not served: the start page says it
        else:
            status = print_ticket(ticket)
            return redirect(url_for(".issued", office_id=office.id, token=ticket.token,
                                    printed=status or "none", **kiosk_args()))
    status = 200 if error is None else error.status
    if error is not None:
        availability = office_state(office, utcnow())  # it may have just closed
        open_now = availability["issuing"]
    board = offices.service_board(office) if open_now else []
    availability["past_closing"] = past_closing(availability, board)
    return render_template("kiosk/start.html", office=office, form=form, open_now=open_now,
                           board=board, error=error, availability=availability,
                           availability_text=page_texts(office, availability, error),
                           availability_codes=REFUSALS, home_url=home_url(office),
                           idle_s=current_app.config.get("KIOSK_IDLE_S", 60)), status


@bp.get("/kiosk/<int:office_id>/ticket/<token>")
@access(PUBLIC)
def issued(office_id, token):
    """The confirmation: number, people ahead, estimated wait, QR code, printer status."""
    office = offices.get_office(office_id)
    office_language(office)
    ticket = tracking.by_token(token)
    start_url = home_url(office)
    if ticket.office_id != office.id:
        return redirect(start_url)
    printed = request.args.get("printed", "none")
    return render_template("kiosk/issued.html", office=office, ticket=ticket,
                           snap=tracking.snapshot(ticket), track_url=track_url(ticket),
                           printed=printed, confirm_s=CONFIRM_S, start_url=start_url)


@bp.get("/t/<token>/qr.svg")
@access(PUBLIC)
def qr(token):
    """The tracking link as an SVG QR code (drawn on the server: no script needed)."""
    ticket = tracking.by_token(token)
    image = qrcode.make(track_url(ticket), image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue(), 200, {"Content-Type": "image/svg+xml",
                                 "Cache-Control": "private, max-age=3600"}
