"""The ``/display`` Socket.IO namespace: boards and counter displays subscribe here.

A client connects with ``auth={"office": id, "zone": name?, "key": key?}`` (a
board) or ``auth={"counter": id, "key": key?}`` (a counter display). It joins the
room its events go to, then gets ``snapshot`` first, on every connect and
reconnect alike: python-socketio has no connection-state recovery, so a full
state is how a board converges after an outage. Events are emitted from
``queue_server.events`` only.
"""
from flask import current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from queue_server.db import db
from queue_server.engine import boards, counters, offices, screens
from queue_server import screen_sync
from queue_server.extensions import socketio
from queue_server.errors import InvalidInput, QueueError
from queue_server.events import DISPLAY_NS, counter_room, office_room, zone_room
from queue_server.models import MAX_ID


def _subscription(auth):
    """(room, snapshot function) for the ``auth`` a client sent; QueueError when refused."""
    if not isinstance(auth, dict):
        raise InvalidInput("Connect with auth={\"office\": <office id>} "
                           "or auth={\"counter\": <counter id>}.")
    key = auth.get("key")
    if auth.get("counter") is not None:
        counter = counters.get_counter(_integer(auth["counter"], "counter"))
        boards.check_display_key(counter.office, key)
        return counter_room(counter.id), _numbered(counter.office_id,
                                                   lambda: boards.counter_snapshot(counter))
    office = offices.get_office(_integer(auth.get("office"), "office"))
    boards.check_display_key(office, key)
    zone = boards.get_zone(office, auth.get("zone"))
    room = zone_room(office.id, zone.name) if zone else office_room(office.id)
    recent = _recent(auth.get("recent"))
    return room, _numbered(office.id, lambda: boards.snapshot(office, zone, recent))


def _numbered(office_id, make_snapshot):
    """The snapshot with the office's ``seq`` read first: every message numbered up to it
    is already in the state read after it (engine/screens.py)."""
    def numbered():
        seq = screens.current_seq(office_id)
        return {**make_snapshot(), "seq": seq,
                "sync_s": current_app.config.get("SCREEN_SYNC_S", 10)}
    return numbered


#: sid -> the ``auth`` it connected with, for ``resync`` (read again: a notice may change).
_subscribed = {}


def _integer(value, name):
    """An id from a client's ``auth``: a JSON integer (or a string of ASCII digits) in
    the database's range. 1.5 and true are no id; 10**20 would overflow the lookup."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 20:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise InvalidInput(f"'{name}' must be an id (an integer).")
    return value


def _recent(value):
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= boards.RECENT_MAX:
        return value
    return boards.RECENT


def connect(auth=None):
    """Join the board's (or counter's) room and send the snapshot; refuse bad auth."""
    with db.connection_context():
        try:
            room, make_snapshot = _subscription(auth)
        except QueueError as exc:
            raise ConnectionRefusedError({"code": exc.code, "message": exc.message}) from None
        # Join before reading the state: a call made meanwhile then reaches the
        # board (and the snapshot includes it) instead of falling between the two.
        join_room(room)
        state = make_snapshot()
    _subscribed[request.sid] = auth
    screen_sync.start(current_app)
    emit("snapshot", state)


def resync(*args):
    """A screen that saw a number skipped, or a sync beat ahead of it: a fresh snapshot."""
    auth = _subscribed.get(request.sid)
    if auth is None:
        return
    with db.connection_context():
        try:
            state = _subscription(auth)[1]()
        except QueueError:  # its office, counter or zone is gone, or the key changed
            state = None
    if state is None:
        socketio.server.disconnect(request.sid, namespace=DISPLAY_NS)
    else:
        emit("snapshot", state)


def disconnect(*args):
    _subscribed.pop(request.sid, None)


def init_app(app):
    """Register the handlers on this app's Socket.IO server.

    Per app, not by decorator at import: every ``socketio.init_app`` makes a new
    server, and ``queue-server run`` builds the serving app in gunicorn's worker
    after the module was imported for the master's app (boards were refused).
    """
    socketio.on_event("connect", connect, namespace=DISPLAY_NS)
    socketio.on_event("resync", resync, namespace=DISPLAY_NS)
    socketio.on_event("disconnect", disconnect, namespace=DISPLAY_NS)
