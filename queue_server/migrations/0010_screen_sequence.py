"""The per-office sequence of screen messages (boards converge on it, docs/display.md)."""


def up(migrator, db):
    from queue_server.models import ScreenSequence

    db.create_tables([ScreenSequence])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "screen_sequence"')
