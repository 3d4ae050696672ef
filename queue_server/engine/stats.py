"""Figures over tickets, computed in SQL (counts, averages, nearest-rank percentiles).

Definitions used everywhere:
- wait: first call time minus issue time, for tickets that were called;
- service time: finish minus start, for tickets served (status done);
- pNN: nearest-rank percentile, the smallest value with at least NN% of values
  at or below it.
"""
import math

from peewee import SQL, fn

from ..db import is_sqlite
from ..models import Service, Ticket


def duration_s(start, end):
    """SQL expression: seconds from ``start`` to ``end`` (both timestamp columns)."""
    if is_sqlite():
        return (fn.julianday(end) - fn.julianday(start)) * 86400.0
    return fn.EXTRACT(SQL("EPOCH FROM"), end - start)


def percentile(query, expr, p):
    """Nearest-rank percentile ``p`` (0..100) of ``expr`` over ``query``, or None."""
    n = query.select(fn.COUNT(SQL("*"))).scalar()
    if not n:
        return None
    rank = max(1, math.ceil(p / 100.0 * n))
    value = query.select(expr.alias("v")).order_by(expr).offset(rank - 1).limit(1).scalar()
    return _round(value)


def _round(value):
    return None if value is None else round(float(value), 1)


def _figures(base):
    waited = base.where(Ticket.called_at.is_null(False))
    served = base.where(Ticket.status == "done")
    wait = duration_s(Ticket.issued_at, Ticket.called_at)
    service = duration_s(Ticket.started_at, Ticket.finished_at)
    return {
        "issued": base.where(Ticket.transferred_from.is_null()).count(),
        "served": served.count(),
        "no_show": base.where(Ticket.status == "no_show").count(),
        "wait_avg_s": _round(waited.select(fn.AVG(wait)).scalar()),
        "wait_p50_s": percentile(waited, wait, 50),
        "wait_p90_s": percentile(waited, wait, 90),
        "service_avg_s": _round(served.select(fn.AVG(service)).scalar()),
        "service_p50_s": percentile(served, service, 50),
        "service_p90_s": percentile(served, service, 90),
    }


def summary(office, first_day, last_day):
    """Overall and per-service figures for the office's local days first..last inclusive."""
    def base():
        return Ticket.select().where((Ticket.office == office)
                                     & Ticket.day.between(first_day, last_day))

    services = Service.select().where(Service.office == office).order_by(Service.code)
    return {
        "overall": _figures(base()),
        "services": [dict(service=s.code, **_figures(base().where(Ticket.service == s)))
                     for s in services],
    }
