"""The languages an office's boards announce calls in, in turn ("vi,en"); empty: the
default rule (``engine.boards.announce_languages``)."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("office", "announce_languages",
                                         CharField(max_length=16, default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("office", "announce_languages"))
