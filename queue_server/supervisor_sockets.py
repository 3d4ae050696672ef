"""The ``/supervisor`` Socket.IO namespace: live dashboards for supervisors and admins.

A dashboard connects with the session cookie (supervisor or above; refused
otherwise), joins its office's room and gets a full snapshot at once. Every
ticket or counter change asks for a new snapshot; at most one per
``SUPERVISOR_THROTTLE_S`` seconds (default 1) is computed per office, the last
change of a burst always being sent. Emission itself is ``events.emit_dashboard``.
"""
import logging
import threading
import time

from flask import request
from flask_socketio import join_room

from . import events, socketio
from .auth import current
from .db import db
from .engine import accounts, offices
from .engine.stats import live
from .errors import QueueError
from .models import Office

log = logging.getLogger(__name__)
_lock = threading.Lock()
_clients = {}   # sid -> office id
_last = {}      # office id -> when its last snapshot went out (monotonic)
_pending = set()  # offices with a trailing snapshot scheduled
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
        if office_id not in _clients.values():
            return  # nobody watching: compute nothing
        interval = _app.config.get("SUPERVISOR_THROTTLE_S", 1.0)
        wait = _last.get(office_id, float("-inf")) + interval - time.monotonic()
        if wait > 0:
            if office_id not in _pending:
                _pending.add(office_id)
                threading.Timer(wait, _send_later, (office_id,)).start()
            return
        _last[office_id] = time.monotonic()
    _send(office_id)


def _send_later(office_id):
    with _lock:
        _pending.discard(office_id)
        _last[office_id] = time.monotonic()
    with _app.app_context(), db.connection_context():
        _send(office_id)


def _send(office_id):
    # Runs after the engine committed; a failure must not fail the clerk's action.
    try:
        events.emit_dashboard(_snapshot(office_id), to=events.supervisor_room(office_id))
    except Exception:  # noqa: BLE001 - logged; the next change or refresh repairs it
        log.exception("dashboard snapshot for office %s failed", office_id)


def init_app(app):
    """Register the namespace's handlers on this app's Socket.IO server."""
    global _app
    _app = app
    socketio.on_event("connect", on_connect, namespace=events.SUPERVISOR_NS)
    socketio.on_event("disconnect", on_disconnect, namespace=events.SUPERVISOR_NS)
    socketio.on_event("refresh", on_refresh, namespace=events.SUPERVISOR_NS)
