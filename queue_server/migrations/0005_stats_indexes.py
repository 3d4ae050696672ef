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
WAIT_TAIL = ("day", "status", "transferred_from_id", "service_id", "rating")


def _indexes():
    """(name, columns) of every index this migration creates."""
    out = []
    for dim in DIMENSIONS:
        tail = tuple(c for c in WAIT_TAIL if c != dim)
        out.append((f"ticket_stats_wait_{dim}", ("office_id", dim, "wait_s") + tail))
        out.append((f"ticket_stats_service_{dim}", ("office_id", dim, "service_s", "day")))
    out.append(("ticket_stats_wait_day", ("office_id", "day", "wait_s", "status",
                                          "transferred_from_id", "service_id", "rating")))
    out.append(("ticket_stats_service_day", ("office_id", "day", "service_s")))
    # Whole-range percentiles of a per-day report, read in value order.
    out.append(("ticket_stats_wait_all", ("office_id", "wait_s", "day")))
    out.append(("ticket_stats_service_all", ("office_id", "service_s", "day")))
    # The estimator's look-back over recent finished tickets of a service.
    out.append(("ticket_stats_recent",
                ("service_id", "finished_at", "status", "hour", "called_at")))
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
        migrator.add_column("ticket", "rating", IntegerField(null=True)),
    )
    _backfill(db)
    for name, columns in _indexes():
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "ticket" '
                       f'({", ".join(columns)})')
    if db.table_exists("rating"):
        _rating_triggers(db)


SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS ticket_rating_insert AFTER INSERT ON rating BEGIN "
    "UPDATE ticket SET rating = NEW.score WHERE id = NEW.ticket_id; END",
    "CREATE TRIGGER IF NOT EXISTS ticket_rating_update AFTER UPDATE OF score ON rating BEGIN "
    "UPDATE ticket SET rating = NEW.score WHERE id = NEW.ticket_id; END",
    "CREATE TRIGGER IF NOT EXISTS ticket_rating_delete AFTER DELETE ON rating BEGIN "
    "UPDATE ticket SET rating = NULL WHERE id = OLD.ticket_id; END",
)
POSTGRES_TRIGGER = (
    "CREATE OR REPLACE FUNCTION ticket_rating_sync() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN UPDATE ticket SET rating = NULL WHERE id = OLD.ticket_id; "
    "RETURN OLD; END IF; "
    "UPDATE ticket SET rating = NEW.score WHERE id = NEW.ticket_id; RETURN NEW; "
    "END $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS ticket_rating_sync ON rating",
    "CREATE TRIGGER ticket_rating_sync AFTER INSERT OR UPDATE OR DELETE ON rating "
    "FOR EACH ROW EXECUTE FUNCTION ticket_rating_sync()",
)


def _rating_triggers(db):
    """Keep Ticket.rating equal to its Rating's score, whoever writes ratings."""
    db.execute_sql("UPDATE ticket SET rating = (SELECT score FROM rating "
                   "WHERE rating.ticket_id = ticket.id) "
                   "WHERE id IN (SELECT ticket_id FROM rating)")
    for statement in SQLITE_TRIGGERS if isinstance(db, SqliteDatabase) else POSTGRES_TRIGGER:
        db.execute_sql(statement)


def down(migrator, db):
    for name in ("ticket_rating_insert", "ticket_rating_update", "ticket_rating_delete"):
        if isinstance(db, SqliteDatabase):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    if not isinstance(db, SqliteDatabase) and db.table_exists("rating"):
        db.execute_sql("DROP TRIGGER IF EXISTS ticket_rating_sync ON rating")
    for name, _ in _indexes():
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    migrator.migrate(
        migrator.drop_column("ticket", "rating"),
        migrator.drop_column("ticket", "hour"),
        migrator.drop_column("ticket", "service_s"),
        migrator.drop_column("ticket", "wait_s"),
    )
