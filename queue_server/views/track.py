"""The citizen's phone: one ticket followed live (the QR code's target), cancelled or
rated by whoever holds its tracking link."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_socketio import join_room

from .. import error_texts, events
from ..auth import PUBLIC, access
from ..db import db
from ..engine import hours, ratings, tracking
from ..errors import NotFound, QueueError
from ..forms import ActionForm, RatingForm
from ..models import utcnow
from .availability import reopens_text
from .screens import office_language, valid_or_400

bp = Blueprint("track", __name__)

#: "Your turn is near" when this many people or fewer are ahead (QUEUE_TRACK_NEAR).
NEAR_DEFAULT = 3


@bp.get("/t/<token>")
@access(PUBLIC)
def ticket(token):
    """The ticket's number, place in line and estimated wait; "your turn" once called."""
    found = tracking.by_token(token)
    office_language(found.office)
    snap = tracking.snapshot(found)
    reopens, on_break = "", False
    if snap["status"] == "waiting":  # told when the office reopens (lunch, evening, holiday)
        now = utcnow()
        if not hours.is_open(found.office, now):
            reopens = reopens_text(found.office, hours.next_opening(found.office, now), now)
            on_break = hours.on_break(found.office, now)
    return render_template("track/ticket.html", ticket=found, snap=snap,
                           office=found.office, token=token, reopens=reopens,
                           on_break=on_break, form=ActionForm(),
                           near=int(current_app.config.get("TRACK_NEAR", NEAR_DEFAULT)),
                           ratable=ratings.phone_ratable(found))


@bp.post("/t/<token>/cancel")
@access(PUBLIC)
def cancel(token):
    """The holder withdraws the waiting ticket (the page asked them to confirm)."""
    found = tracking.by_token(token)
    office_language(found.office)
    if valid_or_400(ActionForm()):
        try:
            tracking.cancel(token)
        except QueueError as exc:
            flash(error_texts.message_for(exc.status, exc.code, exc.params), "error")
    return redirect(url_for(".ticket", token=token))


@bp.route("/t/<token>/rate", methods=["GET", "POST"])
@access(PUBLIC)
def rate(token):
    """The served citizen rates the service on the phone: one rating per ticket, as at
    the counter's tablet."""
    found = tracking.by_token(token)
    office_language(found.office)
    form = RatingForm()
    if request.method == "POST" and valid_or_400(form):
        try:
            ratings.rate_by_phone(found, form.level.data, form.comment.data)
        except QueueError as exc:
            flash(error_texts.message_for(exc.status, exc.code, exc.params), "error")
        else:
            flash(_("Thank you for your rating!"), "info")
        return redirect(url_for(".ticket", token=token))
    if not ratings.phone_ratable(found):
        flash(error_texts.message_for(409, "not_ratable"), "error")
        return redirect(url_for(".ticket", token=token))
    form.ticket_id.data = found.id
    return render_template("track/rate.html", ticket=found, office=found.office, form=form,
                           token=token)


def track_connect(auth=None):
    """A phone follows a ticket: join its token's room and get a snapshot at once."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(token, str) or not token:
        raise ConnectionRefusedError("auth {'token': ...} is required")
    with db.connection_context():
        try:
            found = tracking.by_token(token)
        except NotFound:
            raise ConnectionRefusedError("unknown ticket") from None
        snap = tracking.snapshot(found)
    join_room(events.track_room(token))
    join_room(events.line_room(found.service_id, found.day))
    events.follow_ticket(token)
    events.follow_line(found.service_id, found.day)
    events.emit_ticket_update(token, snap, to=request.sid)
