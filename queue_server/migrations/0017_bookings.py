"""Appointments and joining from the phone (docs/bookings.md): booking settings per
service, bookings, per-slot counts, blocked slots, the office's remote-join switch."""


def up(migrator, db):
    from queue_server.models.bookings import BOOKING_MODELS

    db.create_tables(BOOKING_MODELS)


def down(migrator, db):
    for table in ("booking", "blocked_slot", "slot_count", "remote_join", "booking_settings"):
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
