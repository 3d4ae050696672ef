"""A checked-in booking's ticket takes its place in line at its slot's start
(``ticket.slot_at``; engine/calling.py orders by it when set)."""
from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("ticket", "slot_at", DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("ticket", "slot_at"))
