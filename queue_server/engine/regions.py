"""Regions of offices: who sees which office, and the live overview of a region.

A region nests one level (a province holds cities); a regional user sees every
office of their region and of its child regions, read-only, and no other.
"""
from peewee import fn

from ..db import db
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..models import Counter, Office, Region, utcnow
from . import alerts, audit
from .accounts import normalise_text
from .clock import business_day, iso
from .stats.figures import Group

#: a queue longer than this counts as an alert (as the supervisor dashboard's)
DEFAULT_ALERT_LENGTH = alerts.DEFAULT_QUEUE_LENGTH


def get_region(region_id):
    """The region with ``region_id`` (an int or its digits), or NotFound."""
    if isinstance(region_id, str) and region_id.isascii() and region_id.isdigit():
        region_id = int(region_id)
    if isinstance(region_id, bool) or not isinstance(region_id, int):
        raise InvalidInput("'region' must be a region id (an integer).")
    found = Region.get_or_none(Region.id == region_id) if 0 < region_id < 2 ** 63 else None
    if found is None:
        raise NotFound(f"Region {region_id} does not exist.")
    return found


def save_region(region=None, *, name, parent=None):
    """Create (``region`` None) or update a region; ``parent`` a top-level region or None."""
    name = normalise_text(name, "The name")
    if not name or len(name) > 200:
        raise InvalidInput("The name is required (at most 200 characters).",
                           code="bad_region_name")
    if parent is not None:
        if parent.parent_id is not None:
            raise Conflict("Regions nest one level only: the parent has a parent.",
                           code="region_too_deep")
        if region is not None and (parent.id == region.id or region.children.exists()):
            raise Conflict("A region with child regions cannot have a parent.",
                           code="region_too_deep")
    with db.atomic():
        if region is None:
            region = Region.create(name=name, parent=parent)
            audit.record("region.create", region, name=name,
                         parent=parent.id if parent else None)
        else:
            region.name, region.parent = name, parent
            region.save()
            audit.record("region.update", region, name=name,
                         parent=parent.id if parent else None)
    return region


def all_regions():
    """Every region, parents before their children."""
    regions = list(Region.select().order_by(Region.name, Region.id))
    top = [r for r in regions if r.parent_id is None]
    return [r2 for r in top for r2 in [r] + [c for c in regions if c.parent_id == r.id]]


def region_ids(region):
    """The ids of ``region`` and its child regions."""
    return [region.id] + [r.id for r in Region.select(Region.id).where(Region.parent == region)]


def offices_of(region):
    """The offices of ``region`` and its child regions, by name."""
    return list(Office.select().where(Office.region.in_(region_ids(region)))
                .order_by(Office.name, Office.id))


def may_see_region(user, region):
    """An admin sees every region; a regional user their own and its children."""
    if user is None:
        return False
    if user.role == "admin":
        return True
    return user.role == "regional" and user.region_id is not None and (
        region.id == user.region_id or region.parent_id == user.region_id)


def may_see_office(user, office):
    """Whether ``user`` may read ``office``'s dashboard and reports (not act in it)."""
    if user is None:
        return False
    if user.role == "admin":
        return True
    if user.role == "regional":
        if user.region_id is None or office.region_id is None:
            return False
        return may_see_region(user, Region.get_by_id(office.region_id))
    return user.office_id is not None and user.office_id == office.id


def require_region(user, region):
    """Forbidden unless ``user`` may see ``region``."""
    if not may_see_region(user, region):
        raise Forbidden("This region is not yours.", code="other_region")


def scope(user, region_id):
    """(the region, the offices of it ``user`` may compare): ``visible_offices``."""
    region = get_region(region_id)
    return region, visible_offices(user, region)


def visible_offices(user, region):
    """The offices of ``region`` that ``user`` may compare: all of them for an admin or
    the region's regional user, a supervisor's own office alone (when it lies there)."""
    if user is not None and user.role in ("admin", "regional"):
        require_region(user, region)
        return offices_of(region)
    own = [o for o in offices_of(region) if user is not None and o.id == user.office_id]
    if not own:
        raise Forbidden("Your office is not in this region.", code="other_region")
    return own


def overview(region, at=None, alert_length=DEFAULT_ALERT_LENGTH, offices=None,
             called_after_s=alerts.DEFAULT_CALLED_MIN * 60):
    """One row per office of the region, the offices needing attention first.

    Row: office, name, waiting, longest_wait_s, open_counters, served, service_level
    (today's share called within target, docs/statistics.md), satisfaction_score and
    ratings today, alerts (the count of the supervisor's alerts, ``engine.alerts``, with
    the queue length ``alert_length`` and ``called_after_s``, as the dashboard has
    them). ``offices``: only these (default all).
    """
    at = at or utcnow()
    offices = offices_of(region) if offices is None else offices
    rows = [office_row(o, at) for o in offices]
    by_day = {}
    for office in offices:
        by_day.setdefault(business_day(office, at), []).append(office.id)
    index = {r["office"]: r for r in rows}
    counters = dict(Counter.select(Counter.office, fn.COUNT(Counter.id))
                    .where(Counter.office.in_(list(index)) & Counter.active
                           & Counter.clerk.is_null(False) & ~Counter.paused)
                    .group_by(Counter.office).tuples()) if index else {}
    for day, ids in by_day.items():
        for office_id, service_id, n, first, target in _waiting(ids, day):
            row = index[office_id]
            longest = max(0, round((at - _dt(first)).total_seconds()))
            row["waiting"] += n
            row["longest_wait_s"] = max(row["longest_wait_s"], longest)
        for office_id, *counts in _today(ids, day):
            g = Group()
            g.add_counts(*counts[:12])
            g.waits.ranked = (int(counts[12] or 0), 0, None, None, None)
            figures = g.figures()
            index[office_id].update(served=figures["served"],
                                    service_level=figures["service_level"],
                                    satisfaction_score=figures["satisfaction_score"],
                                    rated=sum(figures["ratings"].values()))
    rolled_up = alerts.for_offices(offices, at, queue_length=alert_length,
                                   called_after_s=called_after_s)
    for office in offices:  # the supervisors' alerts, rolled up
        index[office.id]["alerts"] = len(rolled_up[office.id])
    for row in rows:
        row["open_counters"] = counters.get(row["office"], 0)
    rows.sort(key=attention)
    return {"region": region.id, "name": region.name, "at": iso(at), "offices": rows}


def alert_limits(config):
    """``overview``'s alert keywords from the app's config (a mapping), read as the
    dashboard reads them (``alerts.settings``): the same alerts in both."""
    limits = alerts.settings(config)
    return {"alert_length": limits["queue_length"], "called_after_s": limits["called_after_s"]}


def office_row(office, at):
    """An office's overview row before anything is counted."""
    return {"office": office.id, "name": office.name, "day": business_day(office, at)
            .isoformat(), "waiting": 0, "longest_wait_s": 0, "open_counters": 0, "served": 0,
            "service_level": None, "satisfaction_score": None, "rated": 0, "alerts": 0}


def attention(row):
    """Sort key: most alerts, then longest wait, then lowest satisfaction first."""
    score = row["satisfaction_score"]
    return (-row["alerts"], -row["longest_wait_s"], score if score is not None else 5,
            row["name"])


def _waiting(office_ids, day):
    """(office, service, waiting, first issued_at, target s) of waiting tickets today."""
    p = db.param
    marks = ", ".join([p] * len(office_ids))
    return db.execute_sql(
        f"SELECT t.office_id, t.service_id, COUNT(*), MIN(t.issued_at), "
        f"MAX(s.target_wait_min) * 60 FROM ticket t JOIN service s ON s.id = t.service_id "
        f"WHERE t.office_id IN ({marks}) AND t.status = 'waiting' AND t.day = {p} "
        f"GROUP BY t.office_id, t.service_id", (*office_ids, day.isoformat())).fetchall()


def _today(office_ids, day):
    """(office, *stats counts, called) of today's tickets, the reports' definitions."""
    from .stats import sql

    p = db.param
    marks = ", ".join([p] * len(office_ids))
    return db.execute_sql(
        f"SELECT t.office_id, {sql.counts_joined()}, COUNT(t.wait_s) FROM ticket t "
        f"JOIN service s ON s.id = t.service_id WHERE t.office_id IN ({marks}) "
        f"AND t.day = {p} GROUP BY t.office_id", (*office_ids, day.isoformat())).fetchall()


def _dt(value):
    from .clock import stored

    return stored(value)

