"""The one place that emits Socket.IO events, always after the engine's commit.

The engine publishes domain events (``engine.signals``); this module turns them
into Socket.IO messages for boards, counters and phones.
"""
import logging
import threading
from collections import defaultdict

from socketio import PubSubManager

from . import cluster, dispatch
from .engine import boards, screens, signals
from .engine.clock import iso
from .extensions import socketio
from .throttle import Throttle

DISPLAY_NS = "/display"


def office_room(office_id):
    """The room every board of an office joins."""
    return f"office:{office_id}"


def zone_room(office_id, zone_name):
    """The room of the boards that show one zone of an office (instead of the office room)."""
    return f"office:{office_id}:zone:{zone_name}"


def counter_room(counter_id):
    """The room of the display above one counter."""
    return f"counter:{counter_id}"


def display_rooms(office_id, service_code=None, counter=None):
    """The rooms of every board and counter display that shows this service and counter."""
    number = counter.number if counter is not None else None
    rooms = [office_room(office_id)]
    rooms += [zone_room(office_id, zone.name)
              for zone in boards.zones_showing(office_id, service_code, number)]
    if counter is not None:
        rooms.append(counter_room(counter.id))
    return rooms


def called_payload(ticket, recall=False):
    """The ``ticket_called`` event body (a stable contract for display vendors)."""
    counter = ticket.counter
    return {
        "number": ticket.number,
        "counter": counter.number,
        "counter_name": counter.name,
        "service": ticket.service.code,
        "called_at": iso(ticket.called_at),
        "recall": recall,
    }


def to_screens(event, payload, office_id, rooms):
    """Emit ``event`` to display ``rooms`` of an office, numbered with the office's next
    ``seq`` (``engine.screens``): a board that sees a number skipped asks for a snapshot."""
    socketio.emit(event, {**payload, "seq": screens.next_seq(office_id)}, to=rooms,
                  namespace=DISPLAY_NS)


def _on_ticket(kind, ticket, **extra):
    try:
        if kind in ("called", "recalled"):
            to_screens("ticket_called", called_payload(ticket, recall=kind == "recalled"),
                       ticket.office_id,
                       display_rooms(ticket.office_id, ticket.service.code, ticket.counter))
    except Exception:  # noqa: BLE001 - logged; the boards' sync beat repairs them
        log.exception("ticket_called after %s of ticket %s failed", kind, ticket.id)
    # Called from here, not connected on their own: blinker does not keep receivers
    # in order, and the call must reach boards before queue counts and phones.
    _on_ticket_for_boards(kind, ticket, **extra)
    _on_ticket_for_track(kind, ticket, **extra)
    _on_change_for_supervisors(kind, ticket=ticket, **extra)  # last: boards first


# Ticket changes that alter the waiting counts boards show.
_QUEUE_KINDS = ("issued", "called", "cancelled", "transferred", "expired", "released",
                "no_show_undone")
# Ticket changes that alter what a counter display shows (its ticket). A released
# ticket (handed back to the line) leaves its counter like a finished one.
_COUNTER_KINDS = ("started", "finished", "no_show", "transferred", "expired", "released")
# ... of which these leave the boards as they were: a start keeps the called number
# at its counter (the ``ticket_called`` boards already had). Each board message is a
# queue put and a thread wake-up per board, so boards do not get them.
_COUNTER_ONLY_KINDS = ("started",)
log = logging.getLogger(__name__)

# Counters whose ticket ended (finish, no-show, transfer, expiry) since the office's
# last board update, by office. Boards get them with the waiting counts, in the same
# throttled ``queue_changed``, instead of one ``counter_changed`` per ticket: these
# were 40 % of all board messages, and a number leaving "now serving" a second
# later is not something anyone in the room notices. Calls are never held back.
_freed, _freed_lock = defaultdict(set), threading.Lock()


def emit_queue_changed(office_id):
    """``queue_changed`` {"waiting": [...], "counters": [...]} to each board room: the
    waiting counts (``boards.waiting``) and the counters freed since the last one
    (``boards.counter_state``, read now)."""
    with _freed_lock:
        freed = _freed.pop(office_id, ())
    states = boards.counter_states_by_id(freed)
    for zone, waiting in boards.waiting_per_zone(office_id):
        room = zone_room(office_id, zone.name) if zone else office_room(office_id)
        shown = [s for s in states if boards.zone_shows(zone, counter_number=s["counter"])]
        to_screens("queue_changed", {"waiting": waiting, "counters": shown}, office_id, room)


def emit_counter_changed(counter, boards_too=True):
    """``counter_changed`` (``boards.counter_state``) to the boards showing it and its display.

    ``boards_too=False``: to the counter's own display only.
    """
    rooms = (display_rooms(counter.office_id, counter=counter) if boards_too
             else counter_room(counter.id))
    to_screens("counter_changed", boards.counter_state(counter), counter.office_id, rooms)


def _on_ticket_for_boards(kind, ticket, previous=None, **extra):
    # The call itself went out already; a failure here must not turn a committed
    # call into an error for the clerk, and the next snapshot repairs the board.
    try:
        freed = False
        if kind in _COUNTER_KINDS:
            counter = (previous or ticket).counter
            if counter is not None:
                emit_counter_changed(counter, boards_too=False)  # its own display, at once
                if kind not in _COUNTER_ONLY_KINDS:
                    with _freed_lock:
                        _freed[counter.office_id].add(counter.id)
                    freed = True
        if kind in _QUEUE_KINDS or freed:
            _queue_changed(ticket.office_id)
    except Exception:  # noqa: BLE001 - logged, boards resynchronise on reconnect
        log.exception("board update after %s of ticket %s failed", kind, ticket.id)


def _on_counter(kind, counter, **extra):
    _on_counter_for_boards(kind, counter, **extra)
    _on_change_for_supervisors(kind, counter=counter, **extra)


def _on_counter_for_boards(kind, counter, **extra):
    try:
        emit_counter_changed(counter)
    except Exception:  # noqa: BLE001 - as above
        log.exception("board update after counter %s %s failed", counter.id, kind)


TRACK_NS = "/track"


def track_room(token):
    """The room of the phones following one ticket (by its tracking token)."""
    return f"track:{token}"


def emit_ticket_update(token, snapshot, to=None):
    """``ticket_update`` (``engine.tracking.snapshot``) to the phones following ``token``."""
    socketio.emit("ticket_update", snapshot, to=to or track_room(token), namespace=TRACK_NS)


def line_room(service_id, day):
    """The room of the phones waiting in one service's line today."""
    return f"track:line:{service_id}:{day.isoformat()}"


#: Seconds a followed ticket or line stays marked (several processes): a business day.
FOLLOW_MARK_S = 24 * 3600
_cluster = None


def follow_line(service_id, day):
    """A phone follows this line: with several processes, mark it for all of them."""
    if _cluster is not None:
        _cluster.mark(line_room(service_id, day), FOLLOW_MARK_S)


def follow_ticket(token):
    """A phone follows this ticket: with several processes, mark its room for all of them."""
    if _cluster is not None:
        _cluster.mark(track_room(token), FOLLOW_MARK_S)


def _may_listen(room, namespace):
    """Whether any phone may be in ``room``: known for one process; with several, a
    phone marks its ticket and line on connect (``follow_ticket``, ``follow_line``),
    and with a message queue that is not Redis, assume so."""
    manager = socketio.server.manager
    if isinstance(manager, PubSubManager):
        return _cluster is None or _cluster.marked(room)
    return bool(manager.rooms.get(namespace, {}).get(room))


def _on_ticket_for_track(kind, ticket, previous=None, **extra):
    from .engine import tracking

    # As for boards: a committed change never becomes an error for the clerk.
    try:
        # Nobody can follow a ticket before it is handed out; most are never followed.
        if kind != "issued" and _may_listen(track_room(ticket.token), TRACK_NS):
            emit_ticket_update(ticket.token, tracking.snapshot(ticket))
        moved = kind in ("called", "cancelled", "expired", "transferred", "released",
                         "no_show_undone") or (
            kind == "issued" and ticket.priority)
        if moved:
            for service_id in {ticket.service_id, (previous or ticket).service_id}:
                room = line_room(service_id, ticket.day)
                if _may_listen(room, TRACK_NS):
                    socketio.emit("line_changed", tracking.line(service_id, ticket.day),
                                  to=room, namespace=TRACK_NS)
    except Exception:  # noqa: BLE001 - logged; phones resynchronise on reconnect
        log.exception("tracking update after %s of ticket %s failed", kind, ticket.id)


SUPERVISOR_NS = "/supervisor"


def supervisor_room(office_id):
    """The room of an office's supervisor dashboards."""
    return f"supervisor:{office_id}"


def emit_dashboard(snapshot, to):
    """``dashboard`` (``engine.stats.live.snapshot``) to a supervisor room or one client."""
    socketio.emit("dashboard", snapshot, to=to, namespace=SUPERVISOR_NS)


def _on_change_for_supervisors(kind, ticket=None, counter=None, **extra):
    from . import supervisor_sockets  # throttles, then calls emit_dashboard

    try:
        supervisor_sockets.changed((ticket or counter).office_id)
    except Exception:  # noqa: BLE001 - logged; the dashboard refreshes every 30 s
        log.exception("dashboard update after %s failed", kind)


#: Waiting counts change with every ticket issued; boards get them at most every
#: BOARD_THROTTLE_S seconds (calls themselves are never throttled).
_queue_changed = Throttle(dispatch.dispatcher.in_lane(emit_queue_changed), 0)


def init_app(app):
    """Subscribe to the engine's signals (once per process)."""
    _queue_changed.interval = app.config.get("BOARD_THROTTLE_S", 1.0)
    # With several processes each sees a share of the changes: the interval holds
    # for all of them together, or boards would get the counts once per process.
    global _cluster
    _queue_changed.cluster = _cluster = cluster.for_app(app)
    # Handlers run in this process's dispatcher (``dispatch``), off the request that
    # committed: a clerk's answer never waits for the fan-out or the message queue.
    later = dispatch.for_app(app)
    signals.ticket_changed.connect(later(_on_ticket), weak=False)  # then supervisors
    signals.counter_changed.connect(later(_on_counter), weak=False)
    signals.office_changed.connect(later(_on_office_for_screens), weak=False)


def emit_refresh(office_id):
    """``refresh`` {"seq"} to every screen of an office: its set-up changed (a notice,
    a service, a counter, a zone); each asks for a fresh snapshot."""
    rooms = [office_room(office_id)] + [zone_room(office_id, z.name)
                                        for z in boards.zones_of(office_id)]
    rooms += [counter_room(c) for c in boards.counter_ids_of(office_id)]
    to_screens("refresh", {}, office_id, rooms)


def _on_office_for_screens(kind, office_id, **extra):
    try:
        emit_refresh(office_id)
    except Exception:  # noqa: BLE001 - logged; the sync beat repairs the screens
        log.exception("screen refresh after %s of office %s failed", kind, office_id)
