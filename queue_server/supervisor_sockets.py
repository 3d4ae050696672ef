"""The ``/supervisor`` Socket.IO namespace: live dashboards for supervisors and admins.

A dashboard connects with the session cookie (supervisor or above; refused
otherwise), joins its office's room and gets a full snapshot at once. Every
ticket or counter change asks for a new snapshot; at most one per
``SUPERVISOR_THROTTLE_S`` seconds (default 1) is computed per office, the last
change of a burst always being sent. Emission itself is ``events.emit_dashboard``.

With several processes (Redis message queue) a dashboard may hang on another
process than the change: each connected dashboard marks its office in Redis
(``cluster``) on connect and on its refresh every 30 s, and processes compute
snapshots only for marked offices, one per interval for the whole deployment.
"""
import logging
import threading

from flask import request
from flask_socketio import join_room

from . import access, cluster, events
from .extensions import socketio
from .auth import current
from .db import db
from .engine import accounts, alerts, offices, regions
from .engine.stats import live
from .errors import QueueError
from .models import Office
from .throttle import Throttle

log = logging.getLogger(__name__)
_lock = threading.Lock()
_clients = {}   # sid -> office id
_app = _cluster = None
#: How long a dashboard's mark lasts; dashboards renew it with their refresh (30 s).
WATCH_TTL_S = 75


def _snapshot(office_id):
    settings = alerts.settings(_app.config)
    return live.snapshot(Office.get_by_id(office_id), alert_length=settings["queue_length"],
                         called_after_s=settings["called_after_s"])


def on_connect(auth=None):
    """Admit supervisors and admins of the office asked for; refuse everyone else."""
    with db.connection_context():
        user = current()
        if user is None or not accounts.role_at_least(user, "regional"):
            return False
        wanted = user.office_id
        if wanted is None and isinstance(auth, dict):
            wanted = auth.get("office")  # an admin or a regional user picks one
        try:
            office = offices.get_office(wanted)
        except QueueError as exc:  # the dashboard is told why (1.5, 10**20, no such office)
            raise access.refusal(exc) from None
        if user.office_id not in (None, office.id):
            return False
        if user.role == "regional" and not regions.may_see_office(user, office):
            return False
        join_room(events.supervisor_room(office.id))
        with _lock:
            _clients[request.sid] = office.id
        _mark(office.id)
        events.emit_dashboard(_snapshot(office.id), to=request.sid)
    return True


def on_refresh(*_):
    """A dashboard asks for a fresh snapshot (waits grow while nothing happens)."""
    office_id = _clients.get(request.sid)
    if office_id is not None:
        _mark(office_id)
        with db.connection_context():
            events.emit_dashboard(_snapshot(office_id), to=request.sid)


def on_disconnect(*_):
    with _lock:
        _clients.pop(request.sid, None)


def changed(office_id):
    """A ticket or counter of the office changed: send a snapshot, throttled."""
    with _lock:
        watched = office_id in _clients.values()
    if not watched and _app.config.get("MESSAGE_QUEUE"):
        # A dashboard may hang on another process: its mark says so (no Redis
        # to ask, e.g. another kind of message queue: always send).
        watched = _cluster is None or _cluster.marked(f"supervised:{office_id}")
    if watched:
        _dashboard.interval = _app.config.get("SUPERVISOR_THROTTLE_S", 1.0)
        _dashboard(office_id)


def _mark(office_id):
    if _cluster is not None:
        _cluster.mark(f"supervised:{office_id}", WATCH_TTL_S)


def _send(office_id):
    events.emit_dashboard(_snapshot(office_id), to=events.supervisor_room(office_id))


_dashboard = Throttle(_send, 1.0)


def init_app(app):
    """Register the namespace's handlers on this app's Socket.IO server."""
    global _app, _cluster
    _app, _cluster = app, cluster.for_app(app)
    _dashboard.wrap, _dashboard.cluster = app.app_context, _cluster
    socketio.on_event("connect", on_connect, namespace=events.SUPERVISOR_NS)
    socketio.on_event("disconnect", on_disconnect, namespace=events.SUPERVISOR_NS)
    socketio.on_event("refresh", on_refresh, namespace=events.SUPERVISOR_NS)
