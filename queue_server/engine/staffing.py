"""Staffing advice: how many counters each hour needs for the p90 wait to meet the target.

From the past weeks' arrivals per local hour (averaged over the days the office
issued tickets) and the mean service time of that hour, Erlang C (M/M/c) gives
the probability that a citizen waits longer than t with c counters open:
P(W > t) = C(c, a) * exp(-(c*mu - lambda) * t), a = lambda / mu. The advice is
the smallest c with P(W > target) <= 10 %, i.e. p90 wait <= target. The target
is the services' targets weighted by how many tickets each issued.
"""
import math
from datetime import timedelta

from ..models import Ticket
from .estimate import DEFAULT_SERVICE_S
from .stats import report

P90_TAIL = 0.10
MAX_COUNTERS = 50


def erlang_c(c, a):
    """Probability that an arrival waits at all, with ``c`` servers and load ``a`` Erlangs."""
    if c <= a:
        return 1.0
    b = 1.0
    for k in range(1, c + 1):  # Erlang B by recursion: stable for large c
        b = a * b / (k + a * b)
    return c * b / (c - a * (1 - b))


def p90_wait_s(c, arrivals_per_hour, service_s):
    """The p90 wait (seconds) with ``c`` counters, or None when they cannot keep up."""
    lam, mu = arrivals_per_hour / 3600.0, 1.0 / service_s
    if c * mu <= lam:
        return None
    waiting = erlang_c(c, lam / mu)
    if waiting <= P90_TAIL:
        return 0
    return round(math.log(waiting / P90_TAIL) / (c * mu - lam))


def counters_needed(arrivals_per_hour, service_s, target_s):
    """The smallest number of counters keeping the p90 wait within ``target_s``."""
    if arrivals_per_hour <= 0:
        return 0
    for c in range(1, MAX_COUNTERS + 1):
        p90 = p90_wait_s(c, arrivals_per_hour, service_s)
        if p90 is not None and p90 <= target_s:
            return c
    return MAX_COUNTERS


def advice(office, last_day, weeks=4):
    """{"from", "to", "days", "target_wait_s", "hours": [{hour, arrivals_per_hour,
    service_avg_s, counters, p90_wait_s}]} over the ``weeks`` before ``last_day``."""
    first = last_day - timedelta(days=weeks * 7 - 1)
    days = (Ticket.select(Ticket.day).distinct()
            .where((Ticket.office == office) & Ticket.day.between(first, last_day)).count())
    by_service = report(office, first, last_day, "service")
    from ..models import Service
    targets = {s.code: s.target_wait_min * 60
               for s in Service.select().where(Service.office == office)}
    issued = sum(r["issued"] for r in by_service["rows"])
    target = (round(sum(r["issued"] * targets[r["key"]] for r in by_service["rows"]) / issued)
              if issued else None)
    fallback = by_service["overall"]["service_avg_s"] or DEFAULT_SERVICE_S
    hours = []
    for row in report(office, first, last_day, "hour")["rows"] if days else []:
        rate = row["issued"] / days
        service_s = row["service_avg_s"] or fallback
        c = counters_needed(rate, service_s, target)
        hours.append({"hour": row["key"], "label": row["label"],
                      "arrivals_per_hour": round(rate, 1), "service_avg_s": service_s,
                      "counters": c, "p90_wait_s": p90_wait_s(c, rate, service_s) if c else 0})
    return {"from": first.isoformat(), "to": last_day.isoformat(), "days": days,
            "target_wait_s": target, "hours": hours}
