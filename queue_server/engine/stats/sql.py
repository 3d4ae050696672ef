"""The SQL behind reports: one histogram query per measure, dialect differences here."""
from peewee import SQL, fn

from ...db import db, is_sqlite

#: report dimension -> ticket column
COLUMNS = {"service": "service_id", "counter": "counter_id", "clerk": "clerk_id",
           "hour": "hour", "day": "day", "source": "source"}
#: Groupings without an (office, column, value) index of their own: where tickets came
#: from (kiosk, phone, booked, api) is asked for rarely, and the day range suffices.
UNINDEXED = ("source",)


def duration_s(start, end):
    """SQL expression: seconds from ``start`` to ``end`` (both timestamp columns)."""
    if is_sqlite():
        return (fn.julianday(end) - fn.julianday(start)) * 86400.0
    return fn.EXTRACT(SQL("EPOCH FROM"), end - start)


def prepare():
    """Let SQLite read the report indexes through mmap: a year's index is ~100 MB and
    copying it page by page into the connection's small cache doubles the time."""
    if is_sqlite():
        db.execute_sql("PRAGMA mmap_size = 1073741824")


def _from(index):
    # SQLite's planner prefers the day-range index and then sorts every row;
    # naming the (office, dimension, value) index avoids that sort.
    return f"ticket INDEXED BY {index}" if is_sqlite() else "ticket"


def _grouped_from(prefix, column):
    return "ticket" if column in UNINDEXED else _from(prefix + column)


def _where(column):
    p = db.param
    where = f"office_id = {p} AND day >= {p} AND day <= {p}"
    if column in ("counter_id", "clerk_id", "hour"):
        where += f" AND {column} IS NOT NULL"
    return where


def _flag(condition):
    # An aggregate FILTER (SQLite 3.30+, PostgreSQL 9.4+) counts 30 % faster than
    # SUM(CASE ...) on both (bench_reports.py, bench_region.py; docs/benchmarks.md).
    return f"COUNT(*) FILTER (WHERE {condition})"


def _counts(targets, target=None):
    """The SELECT list of ticket counts: issued, served, no_show, cancelled,
    transferred, expired, within target, expired without a call, rated 1, 2, 3, 4.

    ``targets``: {service_id: target seconds}; or ``target``, an SQL expression of
    the ticket's target in seconds (``counts_joined``)."""
    if target is None:
        target = ("CASE service_id " + " ".join(f"WHEN {int(s)} THEN {int(t)}"
                                                for s, t in targets.items()) + " END"
                  if targets else "NULL")
    return ", ".join([_flag("transferred_from_id IS NULL"), _flag("status = 'done'"),
                      _flag("status = 'no_show'"), _flag("status = 'cancelled'"),
                      _flag("status = 'transferred'"), _flag("status = 'expired'"),
                      _flag(f"wait_s <= {target}"),
                      _flag("wait_s IS NULL AND status = 'expired'")]
                     + [_flag(f"rating = {score}") for score in (1, 2, 3, 4)])


def counts_joined():
    """``_counts`` over tickets joined to their service as ``s`` (many offices at once:
    the target comes from the joined row, not a CASE per service)."""
    return _counts(None, "s.target_wait_min * 60")


def wait_bins(office_id, first, last, group, targets):
    """Rows (key, wait_s, tickets, *counts) per group and wait value (None = never
    called); ``targets``: {service_id: target seconds}."""
    column = COLUMNS[group]
    sql = (f"SELECT {column}, wait_s, COUNT(*), {_counts(targets)} "
           f"FROM {_grouped_from('ticket_stats_wait_', column)} WHERE {_where(column)} "
           f"GROUP BY {column}, wait_s")
    return _run(sql, office_id, first, last)


def day_counts(office_id, first, last, targets):
    """Rows (day, *counts, called, sum of waits, longest wait) per local day."""
    sql = (f"SELECT day, {_counts(targets)}, COUNT(wait_s), SUM(wait_s), MAX(wait_s) "
           f"FROM {_from('ticket_stats_wait_day')} WHERE {_where('day')} GROUP BY day")
    return _run(sql, office_id, first, last)


def day_services(office_id, first, last):
    """Rows (day, served, sum of service times, longest) per local day."""
    sql = (f"SELECT day, COUNT(*), SUM(service_s), MAX(service_s) "
           f"FROM {_from('ticket_stats_service_day')} "
           f"WHERE {_where('day')} AND service_s IS NOT NULL GROUP BY day")
    return _run(sql, office_id, first, last)


def ranked(office_id, day, measure, rank):
    """The ``rank``-th smallest (1-based) ``measure`` ("wait_s"/"service_s") of one day:
    an index seek plus ``rank`` steps along (office, day, measure)."""
    p = db.param
    index = "ticket_stats_wait_day" if measure == "wait_s" else "ticket_stats_service_day"
    row = db.execute_sql(f"SELECT {measure} FROM {_from(index)} WHERE office_id = {p} "
                         f"AND day = {p} AND {measure} IS NOT NULL ORDER BY {measure} "
                         f"LIMIT 1 OFFSET {p}", (office_id, day, rank - 1)).fetchone()
    return row[0] if row else None


def overall_bins(office_id, first, last, measure):
    """Rows (value, tickets) of ``measure`` over the whole range, in value order."""
    index = "ticket_stats_wait_all" if measure == "wait_s" else "ticket_stats_service_all"
    p = db.param
    sql = (f"SELECT {measure}, COUNT(*) FROM {_from(index)} WHERE office_id = {p} "
           f"AND {measure} IS NOT NULL AND day >= {p} AND day <= {p} GROUP BY {measure}")
    return _run(sql, office_id, first, last)


def service_bins(office_id, first, last, group):
    """Rows (key, service_s, tickets) per group and service time of served tickets."""
    column = COLUMNS[group]
    sql = (f"SELECT {column}, service_s, COUNT(*) "
           f"FROM {_grouped_from('ticket_stats_service_', column)} "
           f"WHERE {_where(column)} AND service_s IS NOT NULL GROUP BY {column}, service_s")
    return _run(sql, office_id, first, last)


def _run(sql, office_id, first, last):
    return db.execute_sql(sql, (office_id, first.isoformat(), last.isoformat())).fetchall()
