"""A per-user session version: sign-in cookies carry it and stop working when it changes.

Flask-Login's "alternative tokens": ``get_id()`` is the user id plus this
number, bumped on sign-out, password reset and deactivation, so a copied
cookie no longer loads the user.
"""
from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("user", "session_version", IntegerField(default=0)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("user", "session_version"))
