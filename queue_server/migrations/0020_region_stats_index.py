"""A covering index for figures of many offices at once (a region's comparison).

(office, day) first: a month of 100 offices is 100 short range scans, and every
column the comparison reads follows, so PostgreSQL answers from the index alone.
"""
INDEX = ("ticket_region_stats", ("office_id", "day", "service_id", "status",
                                 "transferred_from_id", "wait_s", "service_s", "rating"))


def up(migrator, db):
    name, columns = INDEX
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "ticket" ({", ".join(columns)})')


def down(migrator, db):
    db.execute_sql(f'DROP INDEX IF EXISTS "{INDEX[0]}"')
