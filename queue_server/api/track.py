"""The ticket's holder, by its tracking token: withdraw a waiting ticket."""
from flask import jsonify

from ..auth import PUBLIC, access
from ..engine import tracking
from . import bp
from .serialize import ticket_json


@bp.post("/track/<token>/cancel")
@access(PUBLIC)
def track_cancel(token):
    """Cancel the waiting ticket holding ``token``: 200 with the cancelled ticket,
    404 unknown token, 409 ``not_cancellable`` once it is called or ended."""
    return jsonify(ticket_json(tracking.cancel(token)))
