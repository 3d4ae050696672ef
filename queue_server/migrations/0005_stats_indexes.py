"""Statistics: measured durations stored on each ticket, and indexes that serve reports.

Each report groups one dimension (service, counter, clerk, local hour, day) and
reads a histogram of waits (and one of service times) per group. An index that
starts with (office, dimension, duration) hands those rows over already in
group-then-value order, so neither SQLite nor PostgreSQL sorts a million rows;
the trailing columns make the index covering (no table reads).
"""
from datetime import timezone
from zoneinfo import ZoneInfo

from peewee import IntegerField, SqliteDatabase

DIMENSIONS = ("service_id", "counter_id", "clerk_id", "hour")
WAIT_TAIL = ("day", "status", "transferred_from_id", "service_id")


def _indexes():
    """(name, columns) of every index this migration creates."""
    out = []
    for dim in DIMENSIONS:
        tail = tuple(c for c in WAIT_TAIL if c != dim)
        out.append((f"ticket_stats_wait_{dim}", ("office_id", dim, "wait_s") + tail))
        out.append((f"ticket_stats_service_{dim}", ("office_id", dim, "service_s", "day")))
    out.append(("ticket_stats_wait_day",
                ("office_id", "day", "wait_s", "status", "transferred_from_id", "service_id")))
    out.append(("ticket_stats_service_day", ("office_id", "day", "service_s")))
    # Whole-range percentiles of a per-day report, read in value order.
    out.append(("ticket_stats_wait_all", ("office_id", "wait_s", "day")))
    out.append(("ticket_stats_service_all", ("office_id", "service_s", "day")))
    # The estimator's look-back over recent finished tickets of a service.
    out.append(("ticket_stats_recent", ("service_id", "finished_at")))
    out.append(("rating_stats_ticket_score", ("ticket_id", "score")))
    return out


def _backfill(db):
    """Fill the new columns for tickets written before this migration."""
    if isinstance(db, SqliteDatabase):
        span = "CAST(ROUND((julianday({b}) - julianday({a})) * 86400) AS INTEGER)"
    else:
        span = "CAST(ROUND(EXTRACT(EPOCH FROM {b} - {a})) AS INTEGER)"
    db.execute_sql("UPDATE ticket SET wait_s = " + span.format(a="issued_at", b="called_at")
                   + " WHERE called_at IS NOT NULL")
    db.execute_sql("UPDATE ticket SET service_s = " + span.format(a="started_at", b="finished_at")
                   + " WHERE status = 'done' AND started_at IS NOT NULL "
                     "AND finished_at IS NOT NULL")
    # The local hour needs each office's time zone: few offices, so one UPDATE per
    # (office, UTC hour) is cheap and exact for the offsets in force per ticket day.
    offices = db.execute_sql("SELECT id, timezone FROM office").fetchall()
    p = db.param
    for office_id, tz in offices:
        rows = db.execute_sql(f"SELECT id, issued_at FROM ticket WHERE office_id = {p} "
                              "AND hour IS NULL", (office_id,)).fetchall()
        zone = ZoneInfo(tz)
        for ticket_id, issued_at in rows:
            if isinstance(issued_at, str):
                from datetime import datetime
                issued_at = datetime.fromisoformat(issued_at)
            hour = issued_at.replace(tzinfo=timezone.utc).astimezone(zone).hour
            db.execute_sql(f"UPDATE ticket SET hour = {p} WHERE id = {p}", (hour, ticket_id))


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("ticket", "wait_s", IntegerField(null=True)),
        migrator.add_column("ticket", "service_s", IntegerField(null=True)),
        migrator.add_column("ticket", "hour", IntegerField(null=True)),
    )
    _backfill(db)
    for name, columns in _indexes():
        table = "rating" if name.startswith("rating") else "ticket"
        if not db.table_exists(table):
            continue  # ratings arrive with their own migration
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                       f'({", ".join(columns)})')


def down(migrator, db):
    for name, _ in _indexes():
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    migrator.migrate(
        migrator.drop_column("ticket", "hour"),
        migrator.drop_column("ticket", "service_s"),
        migrator.drop_column("ticket", "wait_s"),
    )
