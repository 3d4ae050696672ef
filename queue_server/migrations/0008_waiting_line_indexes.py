"""Covering indexes for the wait estimate, asked on every ticket issued.

The estimate counts today's waiting tickets per service and priority, and the
tickets issued in the last half hour per service. With only (office, status, day)
and (office, day), SQLite without statistics chose an index on the office alone
and read every ticket the office ever had. The two indexes are widened (same
leading columns, so every query that used them still can) to hold all the
columns those two counts read.
"""
WIDENED = {
    "ticket_office_id_status_day": (("office_id", "status", "day"),
                                    ("service_id", "priority", "issued_at")),
    "ticket_office_id_day": (("office_id", "day"),
                             ("issued_at", "service_id", "transferred_from_id")),
}


def _rebuild(db, wide):
    for name, (lead, more) in WIDENED.items():
        columns = lead + more if wide else lead
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
        db.execute_sql(f'CREATE INDEX "{name}" ON "ticket" ({", ".join(columns)})')


def up(migrator, db):
    _rebuild(db, wide=True)


def down(migrator, db):
    _rebuild(db, wide=False)
