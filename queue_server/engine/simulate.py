"""A simulated day replayed through the real engine, fast-forwarded: how good is the estimate?

Arrivals follow an office's daily rhythm (a morning peak, a lunch dip), each
citizen picks a service and needs a service time drawn from that service's
log-normal distribution; a few do not come when called. Every step goes
through ``tickets.issue`` / ``calling.call_next`` / ``tickets.start`` /
``tickets.finish`` / ``tickets.no_show`` with explicit ``at=`` times, so the
estimate each ticket got at issue (``Ticket.estimated_wait_s``) is the one the
citizen would have seen. The same seed gives the same day, to the second.
"""
import heapq
import random
import statistics
from datetime import date, datetime, timedelta

from ..db import db
from ..models import Counter, Office, Service, Ticket
from . import calling, counters, tickets

#: code -> (name, share of arrivals, mean service seconds, target wait minutes)
SERVICES = {"A": ("Hộ tịch", 0.35, 160, 15), "B": ("Chứng thực", 0.35, 110, 10),
            "C": ("Đất đai", 0.15, 220, 30), "D": ("Lao động", 0.15, 140, 20)}
#: counter services in calling order, cycled when there are more counters
COUNTER_SERVICES = (("A", "B"), ("B", "A"), ("C",), ("D", "C"))
#: relative arrivals per local hour (07:00-17:00): a morning peak, a lunch dip
RHYTHM = {7: 0.5, 8: 1.6, 9: 1.8, 10: 1.5, 11: 0.8, 12: 0.2, 13: 0.7, 14: 1.2, 15: 1.2,
          16: 0.6}
SIGMA = 0.5          # log-normal spread of service times
WALK_S = 10          # from the call to the citizen at the counter
NO_SHOW_AFTER_S = 90  # how long a clerk waits before marking a no-show
UTC_OFFSET = timedelta(hours=7)  # the simulated office is in Asia/Ho_Chi_Minh


def build_office(n_counters=4, name="Simulated office"):
    """A fresh office with the simulated services and ``n_counters`` counters."""
    with db.atomic():
        office = Office.create(name=name, timezone="Asia/Ho_Chi_Minh")
        services = {code: Service.create(office=office, code=code, name_vi=vi, prefix=code,
                                         target_wait_min=target)
                    for code, (vi, _, _, target) in SERVICES.items()}
        plans = [list(COUNTER_SERVICES[i % len(COUNTER_SERVICES)]) for i in range(n_counters)]
        # With fewer counters than the plan, the last one takes the services left over.
        plans[-1] += [c for c in SERVICES if not any(c in plan for plan in plans)]
        for number, codes in enumerate(plans, start=1):
            counter = Counter.create(office=office, number=number, name=f"Quầy {number}")
            counters.set_services(counter, [services[c] for c in codes])
    return office


def arrivals(rnd, n, day):
    """``n`` (naive-UTC time, service code, service seconds, no-show) sorted by time."""
    hours, weights = zip(*RHYTHM.items())
    codes, shares = zip(*((c, s[1]) for c, s in SERVICES.items()))
    out = []
    for _ in range(n):
        hour = rnd.choices(hours, weights)[0]
        local = datetime(day.year, day.month, day.day, hour) + timedelta(
            seconds=rnd.uniform(0, 3600))
        code = rnd.choices(codes, shares)[0]
        mean = SERVICES[code][2]
        # log-normal with the given mean: mu = ln(mean) - sigma^2 / 2
        seconds = rnd.lognormvariate(_mu(mean), SIGMA)
        out.append((local - UTC_OFFSET, code, max(15, round(seconds)), rnd.random() < 0.03))
    return sorted(out)


def _mu(mean):
    import math

    return math.log(mean) - SIGMA ** 2 / 2


def run(seed=1, n_tickets=800, n_counters=4, day=date(2025, 3, 3)):
    """Simulate one day in a new office; returns ``errors(office)`` of the day."""
    rnd = random.Random(seed)
    office = build_office(n_counters, name=f"Simulated office (seed {seed})")
    events = Events()
    for at, code, seconds, absent in arrivals(rnd, n_tickets, day):
        events.push(at, "arrive", (code, seconds, absent))
    play(events, desks_of(office), lambda kind, subject, at: tickets.issue(
        office, subject[0], source="simulation", at=at))
    return errors(office)


def desks_of(office):
    """The office's counter ids, by number."""
    return [c.id for c in Counter.select().where(Counter.office == office)
            .order_by(Counter.number)]


class Events:
    """The day's events in time order; events at the same time in the order pushed."""

    def __init__(self):
        self.heap, self.order = [], 0

    def push(self, at, kind, subject):
        self.order += 1
        heapq.heappush(self.heap, (at, self.order, kind, subject))


def play(events, desks, arrive):
    """Run the day through the real engine with explicit times.

    Every event kind other than the counters' own ("free", "start", "finish",
    "no_show") is an arrival: ``arrive(kind, subject, at)`` returns its ticket, and
    the subject's last two items are its service seconds and whether the citizen
    will not answer the call. Idle counters call as soon as someone arrives."""
    plan, idle = {}, set(desks)
    while events.heap:
        at, _, kind, subject = heapq.heappop(events.heap)
        if kind == "free":
            ticket = calling.call_next(subject, at=at)
            if ticket is None:
                idle.add(subject)
                continue
            seconds, absent = plan[ticket.id]
            if absent:
                events.push(at + timedelta(seconds=NO_SHOW_AFTER_S), "no_show",
                            (ticket.id, subject))
            else:
                events.push(at + timedelta(seconds=WALK_S), "start", (ticket.id, subject))
        elif kind == "start":
            ticket_id, desk = subject
            tickets.start(ticket_id, at=at)
            events.push(at + timedelta(seconds=plan[ticket_id][0]), "finish", subject)
        elif kind in ("finish", "no_show"):
            ticket_id, desk = subject
            (tickets.finish if kind == "finish" else tickets.no_show)(ticket_id, at=at)
            events.push(at, "free", desk)
        else:
            ticket = arrive(kind, subject, at)
            plan[ticket.id] = tuple(subject[-2:])
            for desk in sorted(idle):
                events.push(at, "free", desk)
            idle.clear()


def errors(office, only=None):
    """How far each ticket's estimate at issue was from its real wait (seconds).

    {"tickets", "median_abs_error_s", "mean_abs_error_s", "p90_abs_error_s",
    "bias_s" (mean of estimate - real), "mean_wait_s", "office"}; ``only``: a
    further condition on the tickets counted (e.g. the walk-ins).
    """
    where = ((Ticket.office == office) & Ticket.transferred_from.is_null()
             & Ticket.wait_s.is_null(False) & Ticket.estimated_wait_s.is_null(False))
    rows = list(Ticket.select(Ticket.estimated_wait_s, Ticket.wait_s)
                .where(where if only is None else where & only).tuples())
    if not rows:
        return {"tickets": 0}
    signed = [est - real for est, real in rows]
    absolute = sorted(abs(e) for e in signed)
    return {
        "office": office.id,
        "tickets": len(rows),
        "median_abs_error_s": statistics.median(absolute),
        "mean_abs_error_s": round(statistics.fmean(absolute), 1),
        "p90_abs_error_s": absolute[-(-9 * len(absolute) // 10) - 1],
        "bias_s": round(statistics.fmean(signed), 1),
        "mean_wait_s": round(statistics.fmean(real for _, real in rows), 1),
    }
