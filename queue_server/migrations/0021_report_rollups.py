"""Closed months of the reports kept summed (engine/stats/rollup.py).

Four tables keyed by office and month ('YYYY-MM'), and a trigger on ticket: any
write to a ticket deletes its month's header, so a month whose tickets changed is
read from the tickets again until it is summed anew.
"""
COUNTS = ("issued", "served", "no_show", "cancelled", "transferred", "expired",
          "within_target", "missed", "rated_1", "rated_2", "rated_3", "rated_4")
RANKED = ("wait_n", "wait_sum", "wait_max", "wait_p50", "wait_p90",
          "service_n", "service_sum", "service_max", "service_p50", "service_p90")


def _tables(day_type, big, suffix):
    counts = ", ".join(f"{c} INTEGER NOT NULL" for c in COUNTS)
    ranked = ", ".join(f"{c} {big}" for c in RANKED)
    return (
        "CREATE TABLE IF NOT EXISTS stats_month (office_id INTEGER NOT NULL, "
        "month VARCHAR(7) NOT NULL, targets TEXT NOT NULL, built_at TIMESTAMP NOT NULL, "
        f"PRIMARY KEY (office_id, month)){suffix}",
        "CREATE TABLE IF NOT EXISTS stats_count (office_id INTEGER NOT NULL, "
        "month VARCHAR(7) NOT NULL, dim VARCHAR(8) NOT NULL, key VARCHAR(40) NOT NULL, "
        f"{counts}, PRIMARY KEY (office_id, dim, month, key)){suffix}",
        # (office, grouping, measure, key, value) first: a range of months is read
        # already in group-then-value order, summed without a sort.
        "CREATE TABLE IF NOT EXISTS stats_hist (office_id INTEGER NOT NULL, "
        "month VARCHAR(7) NOT NULL, dim VARCHAR(8) NOT NULL, measure CHAR(1) NOT NULL, "
        "key VARCHAR(40) NOT NULL, value INTEGER NOT NULL, n INTEGER NOT NULL, "
        f"PRIMARY KEY (office_id, dim, measure, key, value, month)){suffix}",
        f"CREATE TABLE IF NOT EXISTS stats_day (office_id INTEGER NOT NULL, day {day_type} "
        f"NOT NULL, month VARCHAR(7) NOT NULL, {counts}, {ranked}, "
        f"PRIMARY KEY (office_id, day)){suffix}",
    )


# Only tickets of days before today (UTC) can lie in a summed month (it ended two
# local days ago at least, and no office is more than a day ahead of UTC): the
# writes of the day's own tickets, nearly all of them, skip the trigger's body.
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS ticket_stats_month_{op.lower()} AFTER {op} ON ticket "
    f"WHEN {row}.day < date('now') "
    f"BEGIN DELETE FROM stats_month WHERE office_id = {row}.office_id "
    f"AND month = substr({row}.day, 1, 7); END"
    for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")))
POSTGRES_TRIGGER = (
    "CREATE OR REPLACE FUNCTION ticket_stats_month_stale() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN DELETE FROM stats_month WHERE office_id = OLD.office_id "
    "AND month = to_char(OLD.day, 'YYYY-MM'); RETURN OLD; END IF; "
    "DELETE FROM stats_month WHERE office_id = NEW.office_id "
    "AND month = to_char(NEW.day, 'YYYY-MM'); RETURN NEW; END $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS ticket_stats_month_stale ON ticket",
    # WHEN may not name NEW in a DELETE trigger nor OLD in an INSERT one: two triggers.
    "CREATE TRIGGER ticket_stats_month_stale AFTER INSERT OR UPDATE ON ticket FOR EACH ROW "
    "WHEN (NEW.day < (now() AT TIME ZONE 'UTC')::date) "
    "EXECUTE FUNCTION ticket_stats_month_stale()",
    "DROP TRIGGER IF EXISTS ticket_stats_month_gone ON ticket",
    "CREATE TRIGGER ticket_stats_month_gone AFTER DELETE ON ticket FOR EACH ROW "
    "WHEN (OLD.day < (now() AT TIME ZONE 'UTC')::date) "
    "EXECUTE FUNCTION ticket_stats_month_stale()",
)


def _is_sqlite(db):
    from peewee import SqliteDatabase

    return isinstance(db, SqliteDatabase)


def up(migrator, db):
    sqlite = _is_sqlite(db)
    for statement in _tables("DATE" if not sqlite else "TEXT",
                             "BIGINT" if not sqlite else "INTEGER",
                             " WITHOUT ROWID" if sqlite else ""):
        db.execute_sql(statement)
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGER:
        db.execute_sql(statement)


def down(migrator, db):
    if _is_sqlite(db):
        for op in ("insert", "update", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS ticket_stats_month_{op}")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS ticket_stats_month_stale ON ticket")
        db.execute_sql("DROP TRIGGER IF EXISTS ticket_stats_month_gone ON ticket")
        db.execute_sql("DROP FUNCTION IF EXISTS ticket_stats_month_stale()")
    for table in ("stats_day", "stats_hist", "stats_count", "stats_month"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
