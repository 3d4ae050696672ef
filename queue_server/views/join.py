"""Taking a number from the phone (/join/<office>): the kiosk's choice of service and
priority, and the ticket is the tracking page. Bounded per device (a cookie) and per
address (a generous budget: carrier NAT puts many phones behind one), by the
service's daily cap, and by the office's switch (engine/remote.py). The A4 poster
at the entrance carries the link as a QR code."""
import secrets

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from ..auth import PUBLIC, access
from ..engine import offices, remote, tickets
from ..engine.hours import is_open
from ..errors import QueueError
from ..forms import KioskForm
from ..i18n import LANGUAGES
from ..models import utcnow
from .booking import svg_qr
from .screens import office_language, valid_or_400

bp = Blueprint("join", __name__)

DEVICE_COOKIE = "queue_device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def device_id():
    """This phone's id from its cookie, or None (a browser that keeps no cookies)."""
    value = request.cookies.get(DEVICE_COOKIE, "")
    return value if 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() \
        else None


def device_key():
    """Flask-Limiter's key for the per-device budget: the cookie, else the address (a
    client that drops cookies shares one device budget per address)."""
    found = device_id()
    return f"device:{found}" if found else f"no-device:{get_remote_address()}"


def join_url(office):
    """The absolute /join link (the poster's QR code)."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return base.rstrip("/") + url_for("join.start", office_id=office.id)


@bp.route("/join/<int:office_id>", methods=["GET", "POST"])
@access(PUBLIC)
def start(office_id):
    """Choose a service (and priority); the ticket opens as the tracking page."""
    office = offices.get_office(office_id)
    office_language(office)
    form = KioskForm()
    error = None
    try:
        remote.check_join(office, request.remote_addr)
    except QueueError as exc:
        refused = exc
    else:
        refused = None
    if request.method == "POST" and refused is None and valid_or_400(form):
        try:
            ticket = tickets.issue(office, form.service.data, source="phone",
                                   priority=tickets.validate_priority(form.priority.data or False))
        except QueueError as exc:
            error = exc
        else:
            return redirect(url_for("track.ticket", token=ticket.token))
    open_now = is_open(office, utcnow())
    status = error.status if error else (refused.status if refused and request.method == "POST"
                                         else 200)
    return render_template("join/start.html", office=office, form=form, open_now=open_now,
                           board=offices.service_board(office) if open_now and not refused
                           else [], error=error, refused=refused), status


@bp.get("/join/<int:office_id>/poster")
@access(PUBLIC)
def poster(office_id):
    """The A4 poster for the entrance: the /join QR code, in Vietnamese and English."""
    office = offices.get_office(office_id)
    office_language(office)
    primary = str(get_locale())
    return render_template("join/poster.html", office=office, url=join_url(office),
                           texts={lang: poster_texts(lang) for lang in LANGUAGES},
                           primary=primary, secondary="en" if primary == "vi" else "vi")


def poster_texts(lang):
    """The poster's words in ``lang`` (it shows both languages, the page's first)."""
    with force_locale(lang):
        return {"title": _("Take a number with your phone"),
                "qr": _("QR code of the link to take a number"),
                "steps": [_("Scan the code with your phone's camera."),
                          _("Choose a service: your number shows on the phone."),
                          _("The phone tells you when it is your turn: please come to the "
                            "counter.")],
                "foot": _("No app, no account.")}


@bp.get("/join/<int:office_id>/qr.svg")
@access(PUBLIC)
def qr(office_id):
    """The /join link as a QR code."""
    return svg_qr(join_url(offices.get_office(office_id)))


def _give_device_cookie(response):
    if request.blueprint == "join" and device_id() is None and response.status_code < 400:
        response.set_cookie(DEVICE_COOKIE, g.get("new_device") or secrets.token_urlsafe(18),
                            max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def _too_many():
    return _("This phone has taken several numbers already. Please use the kiosk, or try "
             "again later.")


def init_app(app):
    """Register the blueprint, its device cookie and its two budgets (POST only)."""
    app.register_blueprint(bp)
    app.after_request(_give_device_cookie)
    limiter = app.extensions["queue_limiter"]
    view = app.view_functions["join.start"]
    # A device spends its budget on tickets it got (a refused form costs nothing);
    # an address spends on every try.
    view = limiter.limit(app.config["PHONE_DEVICE_RATE"], key_func=device_key,
                         methods=["POST"], scope="phone-device", error_message=_too_many,
                         deduct_when=lambda response: response.status_code == 302)(view)
    view = limiter.limit(app.config["PHONE_ADDRESS_RATE"], methods=["POST"],
                         scope="phone-address", error_message=_too_many)(view)
    app.view_functions["join.start"] = view
