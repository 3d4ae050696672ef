"""Estimated wait: the office's waiting tickets dealt to its open counters, in call order.

The estimate replays what ``calling.call_next`` will do: each open counter takes,
when it becomes free, the waiting ticket it would call (priority first, then its
own service order, then the earliest issue). A counter busy with a ticket is
free once that ticket's expected time has passed. The time a counter spends per
ticket of a service (its *pace*: call to finish, no-shows and transfers
included, since they hold the counter too) is learned from the office's own
work: today's most recent tickets, shrunk towards what the same hours of the past
weeks showed, else the configured default. docs/statistics.md reports how close
the estimate comes, measured with ``engine.simulate``.
"""
from bisect import bisect_right
from datetime import timedelta

from peewee import SQL, fn

from ..db import Prepared, db, is_sqlite
from ..models import Counter, CounterService, Service, Ticket, utcnow
from . import booked_ahead, hours, today
from .clock import business_day, local, stored
from .replay import Line, replay
from .signals import ticket_changed

#: Seconds per ticket assumed before the service has measured any (set from config).
DEFAULT_SERVICE_S = 300
RECENT = 20            # today's tickets that describe the current pace
RECENT_HOURS = 3       # ... finished within this many hours
HISTORY_DAYS = 28      # the weeks the time-of-day pace is learned from
HISTORY_LIMIT = 400
PRIOR_WEIGHT = 5       # today's pace counts fully once it has more tickets than this
MIN_REMAINING_S = 30   # a ticket overrunning its expected time ends soon, not now
OCCUPYING = ("done", "no_show", "transferred")
RATE_WINDOW_S = 1800   # arrivals of the last half hour set the expected rate
HORIZON_S = 4 * 3600   # expected arrivals are projected this far ahead
MICROSECOND = timedelta(microseconds=1)


def ahead_of(ticket):
    """Waiting tickets of the same service that will be called before this one."""
    if ticket.status != "waiting":
        return 0
    # The place in line: the issue time, a checked-in booking's slot (booked_ahead.line_time).
    line, mine = booked_ahead.line_time(), ticket.slot_at or ticket.issued_at
    return (Ticket.select()
            .where((Ticket.service == ticket.service_id) & (Ticket.status == "waiting")
                   & (Ticket.day == ticket.day) & (Ticket.id != ticket.id)
                   & ((Ticket.priority > ticket.priority)
                      | ((Ticket.priority == ticket.priority)
                         & ((line < mine) | ((line == mine) & (Ticket.id < ticket.id))))))
            .count())


def _spans(query):
    return [(r.finished_at - r.called_at).total_seconds() for r in query
            if r.called_at and r.finished_at]


#: (database, service id) -> (computed at, pace): a pace moves slowly, and it is asked
#: for on every issue, call and page; dropped when a ticket of the service ends.
_paces = {}
PACE_TTL = timedelta(seconds=60)


def _pace_key(service_id):
    return (id(db.obj), service_id)


def _forget_pace(kind, ticket, previous=None, **extra):
    if kind in ("finished", "no_show", "transferred"):
        for t in (ticket, previous):
            if t is not None:
                _paces.pop(_pace_key(t.service_id), None)


ticket_changed.connect(_forget_pace, weak=False)


def recent_service_s(service_id, at=None):
    """Seconds a counter spends per ticket of the service now (call to finish)."""
    at = at or utcnow()
    key = _pace_key(service_id)
    cached = _paces.get(key)
    if cached is not None and timedelta(0) <= at - cached[0] < PACE_TTL:
        return cached[1]
    pace = _measured_pace(service_id, at)
    _paces[key] = (at, pace)
    return pace


def _measured_pace(service_id, at):
    base = (Ticket.select(Ticket.called_at, Ticket.finished_at, Ticket.hour)
            .where((Ticket.service == service_id) & Ticket.status.in_(OCCUPYING)
                   & Ticket.called_at.is_null(False)))
    today = _spans(base.where((Ticket.finished_at <= at)
                              & (Ticket.finished_at >= at - timedelta(hours=RECENT_HOURS)))
                   .order_by(Ticket.finished_at.desc()).limit(RECENT))
    prior, learned = _history_s(base, service_id, at)
    if not today:
        return prior
    # Shrink a handful of today's tickets towards the history: three long ones
    # in a row should not triple every estimate. A bare default is a weak prior.
    weight = PRIOR_WEIGHT if learned else 1
    return (sum(today) + weight * prior) / (len(today) + weight)


def _history_s(base, service_id, at):
    """(pace, learned): the same local hours (+-1) over past weeks, else all hours, else
    (the default, False)."""
    window = base.where((Ticket.finished_at < at - timedelta(hours=RECENT_HOURS))
                        & (Ticket.finished_at >= at - timedelta(days=HISTORY_DAYS)))
    service = Service.get_or_none(Service.id == service_id)
    if service is not None:
        hour = local(service.office, at).hour
        spans = _spans(window.where(Ticket.hour.between(hour - 1, hour + 1))
                       .order_by(Ticket.finished_at.desc()).limit(HISTORY_LIMIT))
        if len(spans) >= PRIOR_WEIGHT:
            return sum(spans) / len(spans), True
    spans = _spans(window.order_by(Ticket.finished_at.desc()).limit(HISTORY_LIMIT))
    return (sum(spans) / len(spans), True) if spans else (DEFAULT_SERVICE_S, False)


def open_counters(service_id):
    """Active, unpaused counters serving the service (at least 1 for the estimate)."""
    count = (Counter.select(fn.COUNT(Counter.id)).join(CounterService)
             .where((CounterService.service == service_id) & Counter.active
                    & ~Counter.paused).scalar())
    return max(1, count or 0)


# The estimate's reads, asked on every ticket issued (see db.Prepared).
_WAITING_GROUPS = Prepared(lambda office_id, day, status: (
    Ticket.select(Ticket.service, Ticket.priority, fn.COUNT(SQL("*")), fn.MAX(Ticket.issued_at))
    .where((Ticket.office == office_id) & (Ticket.day == day) & (Ticket.status == status))
    .group_by(Ticket.service, Ticket.priority)))
_WAITING_AFTER = Prepared(lambda office_id, day, status, service_id, priority, after: (
    Ticket.select(Ticket.issued_at)
    .where((Ticket.office == office_id) & (Ticket.day == day) & (Ticket.status == status)
           & (Ticket.service == service_id) & (Ticket.priority == priority)
           & (Ticket.issued_at > after))))
_ISSUED_BETWEEN = Prepared(lambda office_id, day, since, until: (
    Ticket.select(Ticket.service, fn.COUNT(SQL("*")))
    .where((Ticket.office == office_id) & (Ticket.day == day)  # (office, day, ...) index
           & Ticket.transferred_from.is_null()
           & (Ticket.issued_at > since) & (Ticket.issued_at <= until))
    .group_by(Ticket.service)))
_OPEN_COUNTERS = Prepared(lambda office_id: (
    CounterService.select(CounterService.counter, CounterService.service, Counter.clerk)
    .join(Counter)
    .where((Counter.office == office_id) & Counter.active & ~Counter.paused)
    .order_by(CounterService.counter, CounterService.position)))
_BUSY_COUNTERS = Prepared(lambda office_id, called, serving: (
    Ticket.select(Ticket.counter, Ticket.service, Ticket.called_at)
    .join(Counter, on=(Ticket.counter == Counter.id))
    .where((Counter.office == office_id) & Ticket.status.in_((called, serving)))))


def _lines(office_id, day, at, new=None):
    """{service_id: replay.Line} of today's waiting tickets, and the index ``new`` =
    (service_id, priority), a ticket issued now and not yet written, gets in its line.

    Tickets issued by now are counted, not fetched: any open counter may call them
    whenever it is free, so only their number matters to the replay.
    """
    kept = today.follow(office_id, day) if is_sqlite() else None
    counts = _waiting_kept(kept, at) if kept else _waiting_counted(office_id, day, at)
    index = None
    if new is not None:
        service_id, priority = new
        now, later_times = counts.setdefault(service_id, ([0, 0], ([], [])))
        index = now[0] if priority else now[0] + len(later_times[0]) + now[1]
        now[0 if priority else 1] += 1
    arrivals = _arrivals(office_id, day, at, new, kept)
    lines = {}
    for service_id in counts.keys() | arrivals.keys():
        (priority_now, regular_now), (priority_later, regular_later) = counts.get(
            service_id, ([0, 0], ([], [])))
        gap = arrivals.get(service_id)
        lines[service_id] = Line(priority_now, priority_later, regular_now, regular_later,
                                 arrival=gap and (lambda n, gap=gap: _us(timedelta(seconds=gap * n))),
                                 expected=int(HORIZON_S / gap) if gap else 0)
    return lines, index


def _waiting_counted(office_id, day, at):
    """{service_id: ([priority, other] issued by ``at``, ([priority], [other] µs after
    ``at``))} of the waiting tickets, counted in SQL."""
    counts = {}
    for service_id, priority, n, last in _WAITING_GROUPS.rows(office_id, day, "waiting"):
        now, later_times = counts.setdefault(service_id, ([0, 0], ([], [])))
        kind = 0 if priority else 1
        if stored(last) <= at:
            now[kind] += n
            continue
        # Issued after the moment asked about (a concurrent kiosk, a replay): those
        # few, one by one; they cannot be called before their time.
        later = [stored(t) for (t,) in _WAITING_AFTER.rows(
            office_id, day, "waiting", service_id, priority, at)]
        now[kind] += n - len(later)
        later_times[kind].extend(_us(t - at) for t in later)
    return counts


def _waiting_kept(kept, at):
    """As ``_waiting_counted``, from the lines the server keeps (``engine.today``)."""
    counts = {}
    for (service_id, priority), times in kept.waiting.items():
        if times:
            now, later_times = counts.setdefault(service_id, ([0, 0], ([], [])))
            kind = 0 if priority else 1
            cut = bisect_right(times, at)
            now[kind] += cut
            later_times[kind].extend(_us(t - at) for t in times[cut:])
    return counts


def _us(delta):
    return delta // MICROSECOND



def _counters(office_id, at, pace):
    """[(free in µs from ``at``, counter id, (service ids in its order))] of the open
    counters.

    Open: active and not paused, and staffed when the office records sign-ins
    (once any clerk is signed in somewhere, an empty counter serves nobody).
    """
    orders, staffed = {}, set()
    for counter_id, service_id, clerk_id in _OPEN_COUNTERS.rows(office_id):
        orders.setdefault(counter_id, []).append(service_id)
        if clerk_id is not None:
            staffed.add(counter_id)
    if staffed:
        orders = {c: order for c, order in orders.items() if c in staffed}
    free = dict.fromkeys(orders, 0)
    for counter_id, service_id, called_at in _BUSY_COUNTERS.rows(office_id, "called", "serving"):
        if counter_id not in free:
            continue  # a paused or closed counter's ticket
        expected = _us(stored(called_at) - at) + pace[service_id]
        free[counter_id] = max(expected, MIN_REMAINING_S * 1_000_000)
    return [(free[c], c, tuple(order)) for c, order in orders.items()]


def _arrivals(office_id, day, at, new=None, kept=None):
    """{service_id: seconds between expected arrivals} over the next hours.

    A counter prefers its first service: a ticket of its second service waits
    behind later arrivals of the first one. Expected arrivals keep the rate
    each service had over the last ``RATE_WINDOW_S`` seconds (``new``, a ticket
    being issued now, counts).
    """
    since = at - timedelta(seconds=RATE_WINDOW_S)
    if kept is not None:
        counts = {service_id: n for service_id, times in kept.issued.items()
                  if (n := today.window_count(times, since, at))}
    else:
        counts = dict(_ISSUED_BETWEEN.rows(office_id, day, since, at))
    if new is not None:
        counts[new[0]] = counts.get(new[0], 0) + 1
    return {service_id: RATE_WINDOW_S / count for service_id, count in counts.items()}


class _Paces(dict):
    """µs per ticket of each service, learned when the replay first needs it."""

    def __init__(self, at):
        super().__init__()
        self.at = at

    def __missing__(self, service_id):
        pace = self[service_id] = _us(timedelta(seconds=recent_service_s(service_id, self.at)))
        return pace


def forecast(office, service_id, at, *, priority=False, ticket=None):
    """(ahead, seconds until called or None) for ``ticket`` (waiting) or, without
    one, for a ticket of the service issued now and not yet written.

    None: no open counter serves its service.
    """
    day = business_day(office, at)
    if ticket is None:
        lines, index = _lines(office.id, day, at, new=(service_id, priority))
    else:
        lines, _ = _lines(office.id, day, at)
        index = ahead_of(ticket)
    paces = _Paces(at)
    waited = replay(lines, _counters(office.id, at, paces), paces, (service_id, index))
    return index, (None if waited is None else max(0, waited) / 1_000_000)


def _seconds(service_id, ahead, projected, at):
    if projected is not None:
        return int(round(projected))
    # No open counter serves it: the pace over the counters that could.
    return int(round(ahead * recent_service_s(service_id, at) / open_counters(service_id)))


def for_new_ticket(office, service_id, at=None, *, priority=False):
    """(ahead, estimated wait in seconds) of a ticket of the service issued now."""
    at = at or utcnow()
    ahead, projected = forecast(office, service_id, at, priority=priority)
    return ahead, _with_bookings(_seconds(service_id, ahead, projected, at), service_id, at,
                                 at, priority)


def estimate_seconds(service_id, ahead=None, at=None):
    """Seconds until a new ticket of the service would be called.

    ``ahead`` is only used when no open counter serves the service.
    """
    at = at or utcnow()
    service = Service.get_or_none(Service.id == service_id)
    if service is None:
        return int(round((ahead or 0) * recent_service_s(service_id, at)
                         / open_counters(service_id)))
    return for_new_ticket(service.office, service_id, at)[1]


def estimate_for(ticket, at=None):
    """The estimated wait of a waiting ticket, 0 once called."""
    if ticket.status != "waiting":
        return 0
    at = at or utcnow()
    ahead, projected = forecast(ticket.office, ticket.service_id, at, ticket=ticket)
    return _with_bookings(_seconds(ticket.service_id, ahead, projected, at), ticket.service_id,
                          at, ticket.slot_at or ticket.issued_at, ticket.priority) \
        + closed_for_s(ticket.office, at)


def closed_for_s(office, at):
    """Seconds until the office reopens while it is closed (the lunch break, the evening,
    a holiday): nobody is called before then. 0 while it is open, or when it reopens
    on no day ahead (the estimate cannot say more)."""
    if hours.is_open(office, at):
        return 0
    reopens = hours.next_opening(office, at)
    return 0 if reopens is None else max(0, round((reopens - at).total_seconds()))


def _with_bookings(seconds, service_id, at, line_at, priority):
    # Booked citizens whose slot began by this place in line (engine/booked_ahead.py).
    extra = booked_ahead.extra_wait_s(
        service_id, at, line_at=line_at, priority=priority,
        per_ticket_s=lambda: recent_service_s(service_id, at) / open_counters(service_id))
    return max(0, seconds + extra)
