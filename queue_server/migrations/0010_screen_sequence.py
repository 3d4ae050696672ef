"""The per-office sequence of screen messages (boards converge on it, docs/display.md),
and the row ``/healthz`` writes to prove the database takes writes."""


def up(migrator, db):
    from queue_server.models import HealthCheck, ScreenSequence

    db.create_tables([ScreenSequence, HealthCheck])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "screen_sequence"')
    db.execute_sql('DROP TABLE IF EXISTS "health_check"')
