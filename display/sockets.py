"""The ``/display`` Socket.IO namespace: boards and counter displays subscribe here.

A client connects with ``auth={"office": id, "zone": name?, "key": key?}`` (a
board) or ``auth={"counter": id, "key": key?}`` (a counter display). It joins the
room its events go to, then gets ``snapshot`` first, on every connect and
reconnect alike: python-socketio has no connection-state recovery, so a full
state is how a board converges after an outage. Events are emitted from
``queue_server.events`` only.
"""
from flask_socketio import ConnectionRefusedError, emit, join_room

from queue_server import socketio
from queue_server.db import db
from queue_server.engine import boards, counters, offices
from queue_server.errors import InvalidInput, QueueError
from queue_server.events import DISPLAY_NS, counter_room, office_room, zone_room


def _subscription(auth):
    """(room, snapshot function) for the ``auth`` a client sent; QueueError when refused."""
    if not isinstance(auth, dict):
        raise InvalidInput("Connect with auth={\"office\": <office id>} "
                           "or auth={\"counter\": <counter id>}.")
    key = auth.get("key")
    if auth.get("counter") is not None:
        counter = counters.get_counter(_integer(auth["counter"], "counter"))
        boards.check_display_key(counter.office, key)
        return counter_room(counter.id), lambda: boards.counter_snapshot(counter)
    office = offices.get_office(_integer(auth.get("office"), "office"))
    boards.check_display_key(office, key)
    zone = boards.get_zone(office, auth.get("zone"))
    room = zone_room(office.id, zone.name) if zone else office_room(office.id)
    recent = _recent(auth.get("recent"))
    return room, lambda: boards.snapshot(office, zone, recent)


def _integer(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, str)) \
            or not str(value).isdigit():
        raise InvalidInput(f"'{name}' must be an id (an integer).")
    return int(value)


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
    emit("snapshot", state)


def init_app(app):
    """Register the handlers on this app's Socket.IO server.

    Per app, not by decorator at import: every ``socketio.init_app`` makes a new
    server, and ``queue-server run`` builds the serving app in gunicorn's worker
    after the module was imported for the master's app (boards were refused).
    """
    socketio.on_event("connect", connect, namespace=DISPLAY_NS)
