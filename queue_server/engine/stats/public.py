"""The public transparency page's figures: waits, service level, satisfaction per service.

Nothing about clerks, counters or single tickets: only per-service aggregates
of today and of this month.
"""
from ...models import utcnow
from ..clock import business_day
from .report import report

#: the only figures a citizen sees
PUBLIC_FIELDS = ("served", "wait_avg_s", "wait_p90_s", "service_level", "satisfaction_score",
                 "satisfied_share", "ratings")


def _public(row):
    return {k: row[k] for k in PUBLIC_FIELDS}


def figures(office, at=None):
    """{"today": {...}, "month": {...}} each with "overall" and "services" [{code, name...}]."""
    today = business_day(office, at or utcnow())
    out = {"day": today.isoformat(), "month_start": today.replace(day=1).isoformat()}
    for name, first in (("today", today), ("month", today.replace(day=1))):
        data = report(office, first, today, "service")
        out[name] = {"overall": _public(data["overall"]),
                     "services": [{"code": r["key"], "name": r["label"], **_public(r)}
                                  for r in data["rows"]]}
    return out
