"""The ``/supervisor`` Socket.IO namespace: live dashboards for supervisors and admins.

A dashboard connects with the session cookie (supervisor or above; refused
otherwise), joins its office's room and gets a full snapshot at once. Every
ticket or counter change asks for a new snapshot; at most one per
``SUPERVISOR_THROTTLE_S`` seconds (default 1) is computed per office, the last
change of a burst always being sent. Emission itself is ``events.emit_dashboard``.
"""
import logging
import threading

from flask import request
from flask_socketio import join_room

from . import events, socketio
from .auth import current
from .db import db
from .engine import accounts, offices
from .engine.stats import live
from .errors import QueueError
from .models import Office
from .throttle import Throttle

log = logging.getLogger(__name__)
_lock = threading.Lock()
_clients = {}   # sid -> office id
_app = None


def _snapshot(office_id):
    return live.snapshot(Office.get_by_id(office_id), alert_length=_app.config.get(
        "QUEUE_ALERT_QUEUE_LENGTH", live.DEFAULT_ALERT_LENGTH))


def on_connect(auth=None):
    """Admit supervisors and admins of the office asked for; refuse everyone else."""
    with db.connection_context():
        user = current()
        if user is None or not accounts.role_at_least(user, "supervisor"):
            return False
        wanted = user.office_id
        if wanted is None and isinstance(auth, dict):
            wanted = auth.get("office")  # an admin of every office picks one
        try:
            office = offices.get_office(wanted)
        except QueueError:
            return False
        if user.office_id not in (None, office.id):
            return False
        join_room(events.supervisor_room(office.id))
        with _lock:
            _clients[request.sid] = office.id
        events.emit_dashboard(_snapshot(office.id), to=request.sid)
    return True


def on_refresh(*_):
    """A dashboard asks for a fresh snapshot (waits grow while nothing happens)."""
    office_id = _clients.get(request.sid)
    if office_id is not None:
        with db.connection_context():
            events.emit_dashboard(_snapshot(office_id), to=request.sid)


def on_disconnect(*_):
    with _lock:
        _clients.pop(request.sid, None)


def changed(office_id):
    """A ticket or counter of the office changed: send a snapshot, throttled."""
    with _lock:
        watched = office_id in _clients.values()
    # With a message queue, a dashboard may hang on another process: always send.
    if watched or _app.config.get("MESSAGE_QUEUE"):
        _dashboard.interval = _app.config.get("SUPERVISOR_THROTTLE_S", 1.0)
        _dashboard(office_id)


def _send(office_id):
    events.emit_dashboard(_snapshot(office_id), to=events.supervisor_room(office_id))


_dashboard = Throttle(_send, 1.0)


def init_app(app):
    """Register the namespace's handlers on this app's Socket.IO server."""
    global _app
    _app = app
    _dashboard.wrap = app.app_context
    socketio.on_event("connect", on_connect, namespace=events.SUPERVISOR_NS)
    socketio.on_event("disconnect", on_disconnect, namespace=events.SUPERVISOR_NS)
    socketio.on_event("refresh", on_refresh, namespace=events.SUPERVISOR_NS)
