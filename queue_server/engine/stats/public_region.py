"""The public regional page: for every office that publishes its figures, how long one
waits now and how long one usually waits at this hour, so a citizen can choose.

Nothing about clerks, counters or single tickets, as on each office's public page.
"""
from datetime import timedelta

from ...models import Service, utcnow
from ..clock import business_day, local
from ..estimate import estimate_seconds
from ..regions import offices_of, overview
from .regional import groups

#: "usually at this hour": the tickets issued in this local hour over these days before today
USUAL_DAYS = 28


def figures(region, at=None):
    """{"region", "name", "hour", "offices": [{office, name, waiting, estimated_wait_s,
    usual_wait_avg_s, usual_wait_p50_s, usual_wait_p90_s, usual_tickets}]} by name."""
    at = at or utcnow()
    shown = [o for o in offices_of(region) if o.public_stats]
    now = {r["office"]: r for r in overview(region, at, offices=shown)["offices"]} \
        if shown else {}
    usual, hours = {}, {}
    for office in shown:
        key = (business_day(office, at), local(office, at).hour)
        hours.setdefault(key, []).append(office.id)
    for (today, hour), ids in hours.items():
        found = groups(ids, today - timedelta(days=USUAL_DAYS), today - timedelta(days=1),
                       "office", hour=hour)
        for office_id, g in found.items():
            usual[office_id] = g.figures()
    rows = []
    for office in shown:
        u = usual.get(office.id)
        rows.append({"office": office.id, "name": office.name,
                     "waiting": now[office.id]["waiting"],
                     "estimated_wait_s": _estimate(office, at),
                     "usual_wait_avg_s": u["wait_avg_s"] if u else None,
                     "usual_wait_p50_s": u["wait_p50_s"] if u else None,
                     "usual_wait_p90_s": u["wait_p90_s"] if u else None,
                     "usual_tickets": u["issued"] if u else 0})
    return {"region": region.id, "name": region.name,
            "hour": local(shown[0], at).hour if shown else None, "offices": rows}


def _estimate(office, at):
    """A new ticket's estimated wait, the mean over the office's active services."""
    services = list(Service.select(Service.id).where((Service.office == office)
                                                     & Service.active))
    if not services:
        return None
    return round(sum(estimate_seconds(s.id, at=at) for s in services) / len(services))



