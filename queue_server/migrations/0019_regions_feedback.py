"""Regions of offices (one level of nesting), regional users, and citizens' feedback.

Frozen stand-ins for the tables referred to, as in 0003: only their keys matter.
"""
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    Model, TextField)


class BaseModel(Model):
    class Meta:
        database = None
        legacy_table_names = False


class Office(BaseModel):
    pass


class Ticket(BaseModel):
    pass


class Rating(BaseModel):
    pass


class User(BaseModel):
    class Meta:
        table_name = "user"


class Region(BaseModel):
    name = CharField(max_length=200)
    parent = ForeignKeyField("self", null=True, on_delete="RESTRICT")
    created_at = DateTimeField()


class Feedback(BaseModel):
    office = ForeignKeyField(Office, on_delete="RESTRICT")
    ticket = ForeignKeyField(Ticket, null=True, on_delete="SET NULL")
    rating = ForeignKeyField(Rating, null=True, unique=True, on_delete="SET NULL")
    source = CharField(max_length=16, default="phone")
    text = TextField()
    contact = CharField(max_length=200, default="")
    state = CharField(max_length=16, default="new")
    spam = BooleanField(default=False)
    answer = TextField(default="")
    answered_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField()
    handling_at = DateTimeField(null=True)
    answered_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("office", "state", "created_at"), False),
                   (("office", "created_at"), False))


def up(migrator, db):
    with db.bind_ctx([Office, Ticket, Rating, User, Region, Feedback]):
        db.create_tables([Region, Feedback])
        migrator.migrate(
            migrator.add_column("office", "region_id", ForeignKeyField(
                Region, null=True, on_delete="SET NULL", field=Region.id)),
            migrator.add_column("office", "feedback_promise_h", IntegerField(default=72)),
            migrator.add_column("user", "region_id", ForeignKeyField(
                Region, null=True, on_delete="SET NULL", field=Region.id)),
        )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "office_region_id" ON "office" (region_id)')


def down(migrator, db):
    migrator.migrate(migrator.drop_column("user", "region_id"),
                     migrator.drop_column("office", "feedback_promise_h"),
                     migrator.drop_column("office", "region_id"))
    db.execute_sql('DROP TABLE IF EXISTS "feedback"')
    db.execute_sql('DROP TABLE IF EXISTS "region"')
