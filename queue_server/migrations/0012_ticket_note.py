"""A clerk's note on a ticket (what the citizen came for, what is missing): issue 16."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("ticket", "note", TextField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("ticket", "note"))
