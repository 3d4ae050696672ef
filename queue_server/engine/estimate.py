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
import heapq
from datetime import datetime, timedelta

from peewee import fn

from ..db import db
from ..models import Counter, CounterService, Service, Ticket, utcnow
from .clock import business_day, local
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


def ahead_of(ticket):
    """Waiting tickets of the same service that will be called before this one."""
    if ticket.status != "waiting":
        return 0
    return (Ticket.select()
            .where((Ticket.service == ticket.service_id) & (Ticket.status == "waiting")
                   & (Ticket.day == ticket.day) & (Ticket.id != ticket.id)
                   & ((Ticket.priority > ticket.priority)
                      | ((Ticket.priority == ticket.priority)
                         & ((Ticket.issued_at < ticket.issued_at)
                            | ((Ticket.issued_at == ticket.issued_at)
                               & (Ticket.id < ticket.id))))))
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


def _queues(office_id, day):
    """{service_id: [(priority, issued_at, id)]} of today's waiting tickets, call order."""
    queues = {}
    query = (Ticket.select(Ticket.id, Ticket.service, Ticket.priority, Ticket.issued_at)
             .where((Ticket.office == office_id) & (Ticket.day == day)
                    & (Ticket.status == "waiting"))
             .order_by(Ticket.priority.desc(), Ticket.issued_at, Ticket.id))
    # Raw rows: peewee's per-value conversion was most of an estimate's time with a
    # few hundred people waiting; SQLite gives ISO text, PostgreSQL datetimes.
    for ticket_id, service_id, priority, issued_at in db.execute(query):
        if isinstance(issued_at, str):
            issued_at = datetime.fromisoformat(issued_at)
        queues.setdefault(service_id, []).append((bool(priority), issued_at, ticket_id))
    return queues


def _counters(office_id, at, pace):
    """[(free at, counter id, [service ids in its order])] of the open counters.

    Open: active and not paused, and staffed when the office records sign-ins
    (once any clerk is signed in somewhere, an empty counter serves nobody).
    """
    links = (CounterService.select(CounterService.counter, CounterService.service,
                                   Counter.clerk)
             .join(Counter)
             .where((Counter.office == office_id) & Counter.active & ~Counter.paused)
             .order_by(CounterService.counter, CounterService.position).tuples())
    orders, staffed = {}, set()
    for counter_id, service_id, clerk_id in links:
        orders.setdefault(counter_id, []).append(service_id)
        if clerk_id is not None:
            staffed.add(counter_id)
    if staffed:
        orders = {c: order for c, order in orders.items() if c in staffed}
    busy = (Ticket.select(Ticket.counter, Ticket.service, Ticket.called_at)
            .where(Ticket.counter.in_(list(orders)) & Ticket.status.in_(("called", "serving")))
            .tuples())
    free = dict.fromkeys(orders, at)
    for counter_id, service_id, called_at in busy:
        expected = called_at + timedelta(seconds=pace(service_id))
        free[counter_id] = max(expected, at + timedelta(seconds=MIN_REMAINING_S))
    return [(free[c], c, order) for c, order in orders.items()]


class _Line(list):
    """A service's waiting tickets followed by its expected arrivals, made on demand.

    At a busy kiosk the arrivals of the next hours run into thousands; the
    estimate only ever looks at the few before its target.
    """

    def __init__(self, waiting, at, gap, expected):
        super().__init__(waiting)
        self.at, self.gap, self.expected, self.service = at, gap, expected, None

    def __len__(self):
        return super().__len__() + self.expected

    def __getitem__(self, k):
        real = super().__len__()
        if k < real:
            return super().__getitem__(k)
        n = k - real + 1
        return (False, self.at + timedelta(seconds=self.gap * n), ("expected", self.service, n))


def _arrivals(office_id, day, at, queues):
    """Add the tickets expected to arrive in the next hours to ``queues``.

    A counter prefers its first service: a ticket of its second service waits
    behind later arrivals of the first one. Expected arrivals keep the rate
    each service had over the last ``RATE_WINDOW_S`` seconds.
    """
    rows = (Ticket.select(Ticket.service, fn.COUNT(Ticket.id))
            .where((Ticket.office == office_id) & (Ticket.day == day)  # (office, day) index
                   & Ticket.transferred_from.is_null()
                   & (Ticket.issued_at > at - timedelta(seconds=RATE_WINDOW_S))
                   & (Ticket.issued_at <= at))
            .group_by(Ticket.service).tuples())
    for service_id, count in rows:
        gap = RATE_WINDOW_S / count
        line = _Line(queues.get(service_id, []), at, gap, int(HORIZON_S / gap))
        line.service = service_id
        queues[service_id] = line


def project(office, at, target):
    """Seconds until ticket ``target`` (an id, or ("new", service_id, ahead)) is called,
    or None when no open counter serves its service."""
    office_id = office.id
    day = business_day(office, at)
    queues = _queues(office_id, day)
    if isinstance(target, tuple):
        _, service_id, ahead = target
        queue = queues.setdefault(service_id, [])
        queue.insert(min(ahead, len(queue)), (False, at, target))
    paces = {}

    def pace(service_id):
        if service_id not in paces:
            paces[service_id] = recent_service_s(service_id, at)
        return paces[service_id]

    _arrivals(office_id, day, at, queues)
    heap = _counters(office_id, at, pace)
    heapq.heapify(heap)
    heads = {s: 0 for s in queues}
    while heap:
        free_at, counter_id, order = heapq.heappop(heap)
        pending = [queues[s][heads[s]] + (position, s) for position, s in enumerate(order)
                   if s in queues and heads[s] < len(queues[s])]
        if not pending:
            continue  # nothing left this counter would call
        choices = [(not priority, position, s)
                   for priority, issued_at, _, position, s in pending if issued_at <= free_at]
        if not choices:
            # Idle until the next expected arrival it would serve.
            heapq.heappush(heap, (min(p[1] for p in pending), counter_id, order))
            continue
        service_id = min(choices)[2]
        ticket = queues[service_id][heads[service_id]]
        if ticket[2] == target:
            return max(0.0, (free_at - at).total_seconds())
        heads[service_id] += 1
        heapq.heappush(heap, (free_at + timedelta(seconds=pace(service_id)), counter_id,
                              order))
    return None


def estimate_seconds(service_id, ahead, at=None):
    """Seconds until a new ticket of the service, with ``ahead`` before it, is called."""
    at = at or utcnow()
    service = Service.get_or_none(Service.id == service_id)
    if service is not None:
        projected = project(service.office, at, ("new", service_id, ahead))
        if projected is not None:
            return int(round(projected))
    return int(round(ahead * recent_service_s(service_id, at) / open_counters(service_id)))


def estimate_for(ticket, at=None):
    """The estimated wait of a waiting ticket, 0 once called."""
    if ticket.status != "waiting":
        return 0
    at = at or utcnow()
    projected = project(ticket.office, at, ticket.id)
    if projected is not None:
        return int(round(projected))
    return int(round(ahead_of(ticket) * recent_service_s(ticket.service_id, at)
                     / open_counters(ticket.service_id)))
