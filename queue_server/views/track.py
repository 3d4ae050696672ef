"""The citizen's phone: one ticket followed live (the QR code's target)."""
from flask import Blueprint, render_template, request
from flask_socketio import join_room

from .. import events
from ..auth import PUBLIC, access
from ..db import db
from ..engine import tracking
from ..engine import hours
from ..errors import NotFound
from ..models import utcnow
from .availability import reopens_text
from .screens import office_language

bp = Blueprint("track", __name__)


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
                           on_break=on_break)


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
