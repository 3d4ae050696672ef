"""Reports: the figures of an office over a range of local days, grouped one way."""
from datetime import date

from ...errors import InvalidInput
from ...models import Counter, Service, User
from . import rollup, sql
from .figures import Group

GROUPS = ("service", "counter", "clerk", "hour", "day", "source")
#: Where tickets come from, in display order (``Ticket.source``).
SOURCES = ("kiosk", "phone", "booked", "api", "simulation")


def groups(office, first, last, group):
    """({key: Group}, overall Group) for the office's local days first..last.

    Whole months already summed (``rollup``) are read from their sums, the other
    days from the tickets: the same figures either way."""
    if group not in GROUPS:
        raise InvalidInput("'group' must be one of: " + ", ".join(GROUPS) + ".")
    sql.prepare()
    targets = rollup.targets_of(office)
    runs, ranges = rollup.usable(office.id, first, last, targets)
    found = {}

    def group_of(key):
        key = _key(key)
        if key not in found:
            found[key] = Group()
        return found[key]

    if group == "day":
        for a, b in ranges:
            _ranked_days(office.id, a, b, targets, group_of)
        for run in runs:
            for day, *row in rollup.days(office.id, run):
                g = group_of(day)
                g.add_counts(*row[:12])
                g.waits.ranked, g.services.ranked = tuple(row[12:17]), tuple(row[17:22])
    else:
        for a, b in ranges:
            _from_tickets(office.id, a, b, group, targets, group_of)
        for run in runs:
            for key, *counts in rollup.counts(office.id, run, group):
                group_of(key).add_counts(*counts)
            for measure, attr in (("w", "waits"), ("s", "services")):
                for key, value, n in rollup.hist(office.id, run, group, measure):
                    getattr(group_of(key), attr).add(value, n)
    overall = Group()
    for g in found.values():
        overall.merge(g)
    if group == "day":
        # Day groups carry ranked figures, not histograms: read the whole range's.
        for a, b in ranges:
            for value, n in sql.overall_bins(office.id, a, b, "wait_s"):
                overall.waits.add(value, n)
            for value, n in sql.overall_bins(office.id, a, b, "service_s"):
                overall.services.add(value, n)
        for run in runs:
            for measure, m in (("w", overall.waits), ("s", overall.services)):
                for _, value, n in rollup.hist(office.id, run, "all", measure):
                    m.add(value, n)
    return found, overall


def _from_tickets(office_id, first, last, group, targets, group_of):
    per_key = {}
    for row in sql.wait_bins(office_id, first, last, group, targets):
        per_key.setdefault(row[0], []).append(row)
    for key, rows in per_key.items():
        # Column sums per group: tens of thousands of bins fold in a few ms.
        columns = list(zip(*rows))
        g = group_of(key)
        g.add_counts(*(sum(c) for c in columns[3:]))
        for v, n in zip(columns[1], columns[2]):
            if v is not None:
                g.waits.add(v, n)
    for key, value, n in sql.service_bins(office_id, first, last, group):
        group_of(key).services.add(value, n)


def _ranked_days(office_id, first, last, targets, group_of):
    # A year has ~365 groups of ~3,000 distinct waits each: histograms would be as
    # long as the tickets, so SQL aggregates per day and ranks the percentiles by
    # walking the (office, day, value) index.
    for day, *row in sql.day_counts(office_id, first, last, targets):
        counts, (called, total, top) = row[:12], row[12:]
        g = group_of(day)
        g.add_counts(*counts)
        g.waits.ranked = _ranks(office_id, day, "wait_s", called, total, top)
    for day, served, total, top in sql.day_services(office_id, first, last):
        group_of(day).services.ranked = _ranks(office_id, day, "service_s", served, total, top)


def _ranks(office_id, day, measure, n, total, top):
    if not n:
        return (0, 0, None, None, None)
    return (n, total, top, *(sql.ranked(office_id, day, measure, -(-p * n // 100))
                             for p in (50, 90)))


def _key(key):
    # SQLite hands days back as text, PostgreSQL as dates: one form for both.
    return key.isoformat() if isinstance(key, date) else key


def report(office, first, last, group="service"):
    """Rows of figures per ``group`` plus an ``overall`` row, as the API serves them.

    Each row: ``key`` (service code, counter number, clerk username, local hour
    0-23, ISO day or source: kiosk, phone, booked, api), ``label`` and every figure of ``figures.FIELDS``.
    """
    found, overall = groups(office, first, last, group)
    rows = []
    for ref, key, label in _labels(office, group, found):
        rows.append({"key": key, "label": label, **found.get(ref, Group()).figures()})
    return {"office": office.id, "from": first.isoformat(), "to": last.isoformat(),
            "group": group, "rows": rows, "overall": overall.figures()}


def _labels(office, group, found):
    """(group key as stored, key as shown, label) in display order."""
    if group == "service":
        # Every service appears, measured or not, so tables line up day to day.
        return [(s.id, s.code, s.name_vi) for s in
                Service.select().where(Service.office == office).order_by(Service.code)]
    if group == "counter":
        counters = Counter.select().where(Counter.id.in_(list(found)))
        return [(c.id, c.number, c.name or str(c.number))
                for c in sorted(counters, key=lambda c: c.number)]
    if group == "clerk":
        users = User.select().where(User.id.in_(list(found)))
        return [(u.id, u.username, u.full_name or u.username)
                for u in sorted(users, key=lambda u: u.username)]
    if group == "hour":
        return [(h, h, f"{h:02d}:00–{(h + 1) % 24:02d}:00") for h in sorted(found)]
    if group == "source":  # the view names them in its language
        order = {s: i for i, s in enumerate(SOURCES)}
        return [(s, s, s) for s in sorted(found, key=lambda s: (order.get(s, 99), s))]
    return [(d, d, d) for d in sorted(found)]


def summary(office, first_day, last_day):
    """Overall and per-service figures for the office's local days first..last inclusive.

    The ``/api/v1/stats/summary`` contract: {"overall": {...}, "services":
    [{"service": code, ...}]}.
    """
    data = report(office, first_day, last_day, "service")
    return {"overall": data["overall"],
            "services": [{"service": row["key"], **_without(row, "key", "label")}
                         for row in data["rows"]]}


def _without(row, *names):
    return {k: v for k, v in row.items() if k not in names}
