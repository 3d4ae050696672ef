"""Satisfaction ratings (one per finished ticket) and a printer URL per office."""
from peewee import (CharField, DateTimeField, ForeignKeyField, IntegerField, Model,
                    TextField)


class BaseModel(Model):
    class Meta:
        database = None
        legacy_table_names = False


# Frozen stand-ins for the referenced tables: only their primary keys matter here.
class Ticket(BaseModel):
    pass


class Counter(BaseModel):
    pass


class User(BaseModel):
    pass


class Rating(BaseModel):
    ticket = ForeignKeyField(Ticket, unique=True, on_delete="RESTRICT")
    counter = ForeignKeyField(Counter, on_delete="RESTRICT")
    clerk = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    score = IntegerField()
    comment = TextField(default="")
    created_at = DateTimeField()


def up(migrator, db):
    with db.bind_ctx([Rating, Ticket, Counter, User]):
        db.create_tables([Rating])
    migrator.migrate(migrator.add_column("office", "printer_url",
                                         CharField(max_length=255, default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("office", "printer_url"))
    with db.bind_ctx([Rating, Ticket, Counter, User]):
        db.drop_tables([Rating])
