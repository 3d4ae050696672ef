"""The sync beat: every ``SCREEN_SYNC_S`` seconds each process tells its own screens
the office's current ``seq`` (``engine.screens``).

A screen whose last applied number is below it missed something (a message lost with
the message queue, a dropped event) and asks for a snapshot; a screen that hears
nothing at all for three beats reconnects (``display/static/live.js``). The beat is
local to each process (``ignore_queue``): every process beats for the screens it holds.
"""
import logging
import re

from .db import db
from .engine import screens
from .events import DISPLAY_NS
from .extensions import socketio
from .models import Counter

log = logging.getLogger(__name__)
_OFFICE_ROOM = re.compile(r"^office:(\d+)(?::zone:.*)?$")
_COUNTER_ROOM = re.compile(r"^counter:(\d+)$")
_started = [False]


def rooms_by_office():
    """``{room: office id}`` for this process's display rooms (boards, zones, counters)."""
    rooms = [room for room in list(socketio.server.manager.rooms.get(DISPLAY_NS, {}))
             if isinstance(room, str)]
    found, counter_rooms = {}, {}
    for room in rooms:
        if (match := _OFFICE_ROOM.match(room)):
            found[room] = int(match.group(1))
        elif (match := _COUNTER_ROOM.match(room)):
            counter_rooms[int(match.group(1))] = room
    if counter_rooms:
        for counter_id, office_id in Counter.select(Counter.id, Counter.office).where(
                Counter.id.in_(list(counter_rooms))).tuples():
            found[counter_rooms[counter_id]] = office_id
    return found


def beat():
    """One ``sync`` {"seq"} to each of this process's display rooms."""
    rooms = rooms_by_office()
    seqs = screens.current_seqs(set(rooms.values()))
    for room, office_id in rooms.items():
        socketio.server.emit("sync", {"seq": seqs.get(office_id, 0)}, to=room,
                             namespace=DISPLAY_NS, ignore_queue=True)


def _loop(interval):
    while True:
        socketio.sleep(interval)
        try:
            with db.connection_context():
                beat()
        except Exception:  # noqa: BLE001 - the next beat tries again
            log.exception("screen sync beat failed")


def start(app):
    """Start this process's beat once (from the first screen's connect: after any fork)."""
    interval = float(app.config.get("SCREEN_SYNC_S", 10))
    if interval > 0 and not _started[0]:
        _started[0] = True
        socketio.start_background_task(_loop, interval)
