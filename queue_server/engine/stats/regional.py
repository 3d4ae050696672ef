"""Figures of many offices at once (a region's comparison), the reports' definitions.

Each group's counts come from ``sql.counts_joined`` (the same SELECT list as an
office report), its waits and service times from the same ``figures.Group``.
On PostgreSQL the two percentiles are ranked by SQL (``percentile_disc``) so a
month of 100 offices needs no histogram per office; on SQLite the histograms
are read as for one office. ``tests/stats/test_comparison.py`` holds both to the
office report's figures.
"""
from ...db import db, is_sqlite
from .figures import Group
from .sql import counts_joined

#: group name -> SQL of the group's key (tickets ``t`` joined to services ``s``)
KEYS = {"office": "t.office_id", "service": "s.code"}
# percentile_disc(f) takes row ceil(f * n) in floating point, where 0.9 * 110 gives
# 100, not 99: a hair under f gives the nearest rank ceil(f * n) exactly (n < 10^10).
_EPSILON = 1e-12


def _where(office_ids, hour=None):
    p = db.param
    return (f"t.office_id IN ({', '.join([p] * len(office_ids))}) "
            f"AND t.day >= {p} AND t.day <= {p}" + (f" AND t.hour = {int(hour)}"
                                                    if hour is not None else ""))


def _ranks(column):
    fractions = ", ".join(str(f - _EPSILON) for f in (0.5, 0.9))
    return (f"COUNT(t.{column}), SUM(t.{column}), MAX(t.{column}), "
            f"percentile_disc(ARRAY[{fractions}]) WITHIN GROUP (ORDER BY t.{column})")


def groups(office_ids, first, last, by="office", hour=None):
    """{key: Group} over the offices' local days first..last, ``by`` office or service code;
    ``hour``: only the tickets issued in that local hour (0-23)."""
    if not office_ids:
        return {}
    key = KEYS[by]
    args = (*office_ids, first.isoformat(), last.isoformat())
    source = "ticket t JOIN service s ON s.id = t.service_id"
    found = {}
    if is_sqlite():
        for k, *counts in db.execute_sql(
                f"SELECT {key}, {counts_joined()} FROM {source} WHERE {_where(office_ids, hour)} "
                f"GROUP BY {key}", args).fetchall():
            found.setdefault(k, Group()).add_counts(*counts)
        for column, attr in (("wait_s", "waits"), ("service_s", "services")):
            for k, value, n in db.execute_sql(
                    f"SELECT {key}, t.{column}, COUNT(*) FROM {source} "
                    f"WHERE {_where(office_ids, hour)} AND t.{column} IS NOT NULL "
                    f"GROUP BY {key}, t.{column}", args).fetchall():
                getattr(found.setdefault(k, Group()), attr).add(value, n)
        return found
    for k, *row in db.execute_sql(
            f"SELECT {key}, {counts_joined()}, {_ranks('wait_s')}, {_ranks('service_s')} "
            f"FROM {source} WHERE {_where(office_ids, hour)} GROUP BY {key}", args).fetchall():
        g = found.setdefault(k, Group())
        g.add_counts(*row[:12])
        g.waits.ranked = _ranked(*row[12:16])
        g.services.ranked = _ranked(*row[16:20])
    return found


def office_and_service_groups(office_ids, first, last, hour=None):
    """({office id: Group}, {service code: Group}): both groupings of ``groups``, read in
    one pass over the tickets on PostgreSQL (GROUPING SETS), two on SQLite."""
    if is_sqlite() or not office_ids:
        return (groups(office_ids, first, last, "office", hour),
                groups(office_ids, first, last, "service", hour))
    args = (*office_ids, first.isoformat(), last.isoformat())
    by_office, by_code = {}, {}
    with db.atomic():
        # Measured on a month of 100 offices (bench/bench_region.py): JIT compiling took
        # ~160 ms of a query that runs once; the service-code sort spilled to disk at
        # the default 4 MB.
        db.execute_sql("SET LOCAL jit = off")
        db.execute_sql("SET LOCAL work_mem = '32MB'")
        rows = db.execute_sql(
            f"SELECT GROUPING(t.office_id), t.office_id, s.code, {counts_joined()}, "
            f"{_ranks('wait_s')}, {_ranks('service_s')} FROM ticket t "
            f"JOIN service s ON s.id = t.service_id WHERE {_where(office_ids, hour)} "
            f"GROUP BY GROUPING SETS ((t.office_id), (s.code))", args).fetchall()
    for by_service, office_id, code, *row in rows:
        g = Group()
        g.add_counts(*row[:12])
        g.waits.ranked = _ranked(*row[12:16])
        g.services.ranked = _ranked(*row[16:20])
        if by_service:
            by_code[code] = g
        else:
            by_office[office_id] = g
    return by_office, by_code


def _ranked(n, total, top, percentiles):
    if not n:
        return (0, 0, None, None, None)
    p50, p90 = percentiles
    return (int(n), int(total), int(top), int(p50), int(p90))
