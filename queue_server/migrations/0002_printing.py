"""Printers per office and tracked print jobs."""
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    Model, TextField)


class Office(Model):
    class Meta:
        table_name = "office"


class Ticket(Model):
    class Meta:
        table_name = "ticket"


class Printer(Model):
    office = ForeignKeyField(Office, on_delete="RESTRICT")
    name = CharField(max_length=100)
    url = CharField(max_length=255)
    width_dots = IntegerField(default=512)
    profile = CharField(max_length=64, default="TM-T88V")
    mode = CharField(max_length=8, default="raster")
    footer = CharField(max_length=200, default="")
    active = BooleanField(default=True)

    class Meta:
        table_name = "printer"


class PrintJob(Model):
    ticket = ForeignKeyField(Ticket, on_delete="RESTRICT")
    printer = ForeignKeyField(Printer, null=True, on_delete="SET NULL")
    url = CharField(max_length=255)
    status = CharField(max_length=16, default="pending")
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    ahead = IntegerField(default=0)
    estimated_wait_s = IntegerField(null=True)
    track_url = CharField(max_length=500, default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "print_job"
        indexes = ((("status",), False),)


def up(migrator, db):
    with db.bind_ctx([Office, Ticket, Printer, PrintJob]):
        db.create_tables([Printer, PrintJob])


def down(migrator, db):
    with db.bind_ctx([Printer, PrintJob]):
        db.drop_tables([PrintJob, Printer])
