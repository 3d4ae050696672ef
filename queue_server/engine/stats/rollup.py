"""Closed months of an office's reports, kept summed: a year reads twelve months of
sums, not a million tickets (docs/statistics.md, "Closed months, kept summed").

``build`` stores, for one office and one calendar month, what the reports' own SQL
(``stats.sql``) gives for that month: per grouping and key the twelve counts
(``stats_count``) and the histograms of waits and service times (``stats_hist``;
grouping ``all``: the whole office), and per day the counts and ranked figures
(``stats_day``), under a header (``stats_month``) naming the target waits the
counts were made with. ``usable`` reads a month only while its header is there and
those targets are still the services' targets: a trigger deletes the header on any
write to a ticket of the month (a late rating, an expiry, an import), so such a
month is read from the tickets until ``build_due`` sums it again. Either way the
figures are the same (tests/stats/test_rollup.py).
"""
import json
import logging
import uuid
from datetime import date, timedelta

from peewee import IntegrityError

from ...db import db, is_sqlite
from ...models import Office, Service, utcnow
from ..clock import business_day
from . import sql

log = logging.getLogger(__name__)

#: Groupings summed per key (report.GROUPS but the day, which has stats_day).
DIMS = ("service", "counter", "clerk", "hour", "source")
#: Groupings whose keys are ids or hours (stored as text, read back as integers).
INT_DIMS = ("service", "counter", "clerk", "hour")
COUNTS = ("issued", "served", "no_show", "cancelled", "transferred", "expired",
          "within_target", "missed", "rated_1", "rated_2", "rated_3", "rated_4")
RANKED = ("wait_n", "wait_sum", "wait_max", "wait_p50", "wait_p90",
          "service_n", "service_sum", "service_max", "service_p50", "service_p90")
#: Bumped when what a month holds changes: older months are then read from tickets.
VERSION = 1
#: A month is summed once this many days have passed after it (late phone ratings
#: come within 12 hours; a trigger catches anything later anyway).
SETTLE_DAYS = 2
TABLES = ("stats_day", "stats_hist", "stats_count", "stats_month")
#: PostgreSQL advisory lock key of the summing (one process at a time): "SUMS".
ADVISORY_KEY = 0x53554D53
#: Rows written per transaction while summing (a serving process waits for each).
WRITE_ROWS = 20_000


def month_key(day):
    return day.strftime("%Y-%m")


def month_start(key):
    return date(int(key[:4]), int(key[5:7]), 1)


def month_end(first):
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def targets_of(office):
    """{service id: target wait in seconds} of the office's services now."""
    return {s.id: s.target_wait_min * 60 for s in
            Service.select(Service.id, Service.target_wait_min).where(Service.office == office)}


def usable(office_id, first, last, targets):
    """([(first month key, last month key)], [(first day, last day)]): the runs of whole
    months of first..last that are summed with today's targets, and the days left to
    read from the tickets."""
    start = first if first.day == 1 else month_end(first) + timedelta(days=1)
    end = last if last == month_end(last) else last.replace(day=1) - timedelta(days=1)
    if start > end:
        return [], [(first, last)]
    p = db.param
    rows = db.execute_sql(f"SELECT month, targets FROM stats_month WHERE office_id = {p} "
                          f"AND month >= {p} AND month <= {p} ORDER BY month",
                          (office_id, month_key(start), month_key(end))).fetchall()
    good = [m for m, used in rows if _still(used, targets)]
    runs, days, cursor = [], [], first
    for key in good:
        m_first = month_start(key)
        if runs and month_end(month_start(runs[-1][1])) + timedelta(days=1) == m_first:
            runs[-1] = (runs[-1][0], key)
        else:
            runs.append((key, key))
        if cursor < m_first:
            days.append((cursor, m_first - timedelta(days=1)))
        cursor = month_end(m_first) + timedelta(days=1)
    if cursor <= last:
        days.append((cursor, last))
    return runs, days


def _still(used, targets):
    if used.startswith("building"):
        return False
    stored = json.loads(used)
    return stored.get("version") == VERSION and all(
        targets.get(int(sid)) == target for sid, target in stored["targets"].items())


def counts(office_id, run, dim):
    """Rows (key, *COUNTS) of a run of months, summed per key."""
    p = db.param
    sums = ", ".join(f"SUM({c})" for c in COUNTS)
    rows = db.execute_sql(f"SELECT key, {sums} FROM stats_count WHERE office_id = {p} "
                          f"AND dim = {p} AND month >= {p} AND month <= {p} GROUP BY key",
                          (office_id, dim, *run)).fetchall()
    return [(_key(dim, key), *rest) for key, *rest in rows]


def hist(office_id, run, dim, measure):
    """Rows (key, value, tickets) of a run of months; ``measure``: "w" or "s"."""
    p = db.param
    rows = db.execute_sql(f"SELECT key, value, SUM(n) FROM stats_hist WHERE office_id = {p} "
                          f"AND dim = {p} AND measure = {p} AND month >= {p} "
                          f"AND month <= {p} GROUP BY key, value",
                          (office_id, dim, measure, *run)).fetchall()
    return [(_key(dim, key), value, n) for key, value, n in rows]


def days(office_id, run):
    """Rows (day, *COUNTS, *RANKED) of every day of a run of months."""
    p = db.param
    return db.execute_sql(f"SELECT day, {', '.join(COUNTS + RANKED)} FROM stats_day "
                          f"WHERE office_id = {p} AND month >= {p} AND month <= {p}",
                          (office_id, *run)).fetchall()


def _key(dim, key):
    return int(key) if dim in INT_DIMS else key


def build(office, first_of_month, targets=None, pause=None):
    """Sum one month of the office (replacing what was there); False when another
    process summed it at the same moment. ``pause``: called between the groupings'
    reads (the housekeeping yields there to the requests being served)."""
    from .report import _ranked_days
    from .figures import Group

    targets = targets_of(office) if targets is None else targets
    first, last = first_of_month, month_end(first_of_month)
    key = month_key(first)
    # A header that says "being summed" first: a write to the month's tickets while it
    # is read deletes it (the trigger), and the sums are then thrown away.
    token = f"building {uuid.uuid4().hex}"
    try:
        with db.atomic():
            for table in TABLES:
                db.execute_sql(f"DELETE FROM {table} WHERE office_id = {db.param} "
                               f"AND month = {db.param}", (office.id, key))
            _insert("stats_month", ("office_id", "month", "targets", "built_at"),
                    [(office.id, key, token, utcnow())])
    except IntegrityError:
        return False  # another process began it at the same moment
    sql.prepare()
    count_rows, hist_rows, day_rows, used = [], [], [], set()
    # A month without tickets gets its header alone (the groupings' indexes lead
    # with the office, not the day: asking them would read the whole office).
    for dim in DIMS if _any(office.id, first, last) else ():
        per_key, every = {}, {}
        for k, wait, n, *c in sql.wait_bins(office.id, first, last, dim, targets):
            acc = per_key.setdefault(k, [0] * len(COUNTS))
            for i, v in enumerate(c):
                acc[i] += int(v or 0)
            if wait is not None:
                hist_rows.append((office.id, key, dim, "w", str(k), int(wait), int(n)))
                if dim == "service":
                    every[("w", int(wait))] = every.get(("w", int(wait)), 0) + int(n)
        for k, value, n in sql.service_bins(office.id, first, last, dim):
            hist_rows.append((office.id, key, dim, "s", str(k), int(value), int(n)))
            if dim == "service":
                every[("s", int(value))] = every.get(("s", int(value)), 0) + int(n)
        count_rows += [(office.id, key, dim, str(k), *acc) for k, acc in per_key.items()]
        if dim == "service":
            used = set(per_key)
            hist_rows += [(office.id, key, "all", m, "", v, n) for (m, v), n in every.items()]
        if pause:
            pause()
    found = {}
    if count_rows:
        _ranked_days(office.id, first, last, targets,
                     lambda day: found.setdefault(day, Group()))
    for day, g in found.items():
        c = g.counts
        w = g.waits.ranked or (0, 0, None, None, None)
        s = g.services.ranked or (0, 0, None, None, None)
        day_rows.append((office.id, day, key, *(c[n] for n in COUNTS[:8]),
                         *(g.ratings[score] for score in (1, 2, 3, 4)), *w, *s))
    header = json.dumps({"version": VERSION,
                         "targets": {str(sid): targets[sid] for sid in sorted(used)
                                     if sid in targets}})
    # Written in short transactions, yielding between them: readers ignore the month
    # until its header is set, last, and only if nothing deleted it meanwhile.
    try:
        for table, columns, rows in (
                ("stats_count", ("office_id", "month", "dim", "key") + COUNTS, count_rows),
                ("stats_day", ("office_id", "day", "month") + COUNTS + RANKED, day_rows),
                ("stats_hist", ("office_id", "month", "dim", "measure", "key", "value", "n"),
                 hist_rows)):
            for start in range(0, len(rows), WRITE_ROWS):
                with db.atomic():
                    _insert(table, columns, rows[start:start + WRITE_ROWS])
                if pause:
                    pause()
        with db.atomic():
            done = db.execute_sql(f"UPDATE stats_month SET targets = {db.param}, built_at = "
                                  f"{db.param} WHERE office_id = {db.param} AND month = "
                                  f"{db.param} AND targets = {db.param}",
                                  (header, utcnow(), office.id, key, token)).rowcount
    except IntegrityError:
        return False  # another process's rows: the month stays unread until redone
    return done == 1


def _insert(table, columns, rows):
    if not rows:
        return
    marks = ", ".join([db.param] * len(columns))
    cursor = db.cursor()
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def due(office, at=None):
    """Month starts of the office to sum now: ended SETTLE_DAYS ago or more, with
    tickets, no ticket still open, and no usable header."""
    p = db.param
    first_day = db.execute_sql(f"SELECT MIN(day) FROM ticket WHERE office_id = {p}",
                               (office.id,)).fetchone()[0]
    if first_day is None:
        return []
    first_day = date.fromisoformat(str(first_day))
    settled = business_day(office, at) - timedelta(days=SETTLE_DAYS)
    last_month = settled.replace(day=1) - timedelta(days=1)  # the last whole month
    if last_month < first_day:
        return []
    targets = targets_of(office)
    runs, _ = usable(office.id, first_day.replace(day=1), month_end(last_month), targets)
    have = set()
    for a, b in runs:
        m = month_start(a)
        while month_key(m) <= b:
            have.add(month_key(m))
            m = month_end(m) + timedelta(days=1)
    out, m = [], first_day.replace(day=1)
    while m <= last_month:
        if month_key(m) not in have and not _open(office.id, m, month_end(m)):
            out.append(m)
        m = month_end(m) + timedelta(days=1)
    return out


def _open(office_id, first, last):
    return _any(office_id, first, last, "AND status IN ('waiting', 'called', 'serving')")


def _any(office_id, first, last, condition=""):
    p = db.param
    return db.execute_sql(
        f"SELECT 1 FROM ticket WHERE office_id = {p} AND day >= {p} AND day <= {p} "
        f"{condition} LIMIT 1", (office_id, first.isoformat(), last.isoformat())
    ).fetchone() is not None


def build_due(at=None, limit=None, pause=None):
    """Sum every office's due months (at most ``limit`` of them); how many were summed.

    ``pause``: called between months and between a month's groupings (the
    housekeeping loop yields there, so a serving process is held for one grouping
    of one month at a time)."""
    if not is_sqlite():
        # Every serving process runs the housekeeping: one of them sums at a time.
        if not db.execute_sql("SELECT pg_try_advisory_lock(%s)", (ADVISORY_KEY,)).fetchone()[0]:
            return 0
    try:
        built = 0
        for office in Office.select():
            for first in due(office, at):
                if limit is not None and built >= limit:
                    return built
                if build(office, first, pause=pause):
                    built += 1
                    log.info("summed %s of office %s for reports", month_key(first),
                             office.id)
                if pause:
                    pause()
        return built
    finally:
        if not is_sqlite():
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (ADVISORY_KEY,))
