"""The office's data: offices, services, counters, users, tickets and their events.

Times are stored as naive UTC datetimes; the business ``day`` of a ticket is the
office's local date when it was issued.
"""
from datetime import datetime, timezone
from functools import partial

from peewee import (BooleanField, CharField, CompositeKey, DateField, DateTimeField,
                    DeferredForeignKey, ForeignKeyAccessor, ForeignKeyField, IntegerField, Model,
                    TextField)

from ..db import Prepared, db, is_sqlite
from ..errors import NotFound


def utcnow():
    """The current time as a naive UTC datetime, the form every timestamp is stored in."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False

    @classmethod
    def find(cls, row_id, *, lock=False):
        """The row with ``row_id``, or NotFound naming it.

        ``lock``: inside a transaction, take the row lock (PostgreSQL; SQLite's
        writers already hold the whole database).
        """
        row = by_id(cls, row_id, lock=lock)
        if row is None:
            raise NotFound(f"{cls.__name__} {row_id} does not exist.")
        return row


def _select_by_id(model, lock, row_id):
    query = model.select().where(model._meta.primary_key == row_id)
    return query.for_update() if lock and not is_sqlite() else query


_BY_ID = {}  # (model, lock) -> Prepared


#: The largest id a row can have (a signed 64-bit integer, SQLite's and PostgreSQL's).
MAX_ID = 2 ** 63 - 1


def by_id(model, row_id, *, lock=False):
    """The ``model`` row with primary key ``row_id``, or None.

    Every request loads tickets, counters, services and offices by id, directly or
    through a foreign key; the SQL is written once per model (``db.Prepared``).
    """
    prepared = _BY_ID.get((model, lock))
    if prepared is None:
        prepared = _BY_ID[(model, lock)] = Prepared(partial(_select_by_id, model, lock))
    # As peewee would bind it ("7" from a form -> 7): the SQL is bound as written.
    key = model._meta.primary_key.db_value(row_id)
    if isinstance(key, int) and not 0 < key <= MAX_ID:
        return None  # no such row; SQLite would raise OverflowError, PostgreSQL DataError
    rows = prepared.models(model, key)
    return rows[0] if rows else None


class _ByIdAccessor(ForeignKeyAccessor):
    """``ticket.service`` and the like: the related row through ``by_id``."""

    def get_rel_instance(self, instance):
        value = instance.__data__.get(self.name)
        if (value is not None and self.name not in instance.__rel__ and self.field.lazy_load
                and self.field.rel_field is self.rel_model._meta.primary_key):
            found = by_id(self.rel_model, value)
            if found is None:
                raise self.rel_model.DoesNotExist(
                    f"{self.rel_model.__name__} {value} does not exist.")
            instance.__rel__[self.name] = found
        return super().get_rel_instance(instance)


class ForeignKey(ForeignKeyField):
    """A foreign key whose related row loads through ``by_id``."""

    accessor_class = _ByIdAccessor


class Office(BaseModel):
    name = CharField(max_length=200)
    timezone = CharField(max_length=64, default="Asia/Ho_Chi_Minh")
    default_language = CharField(max_length=5, default="vi")
    # The weekly table (engine/hours.py), JSON: {"mon": [["07:30", "11:30"], ["13:30",
    # "17:00"]], ...}: a day's open periods, a lunch break between them; a day left out
    # is closed; empty = always open. Dated closures: models/hours.py.
    opening_hours = TextField(default="")
    # When tickets stop before closing (engine/hours.py): "" never, "estimate" when the
    # estimated wait runs past closing, "time" from last_ticket_time ("HH:MM", local).
    last_ticket_rule = CharField(max_length=16, default="")
    last_ticket_time = CharField(max_length=5, default="")
    notice = TextField(default="")
    display_key = CharField(max_length=128, null=True)
    kiosk_key = CharField(max_length=128, null=True)
    public_stats = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    # Where the kiosk's tickets print (a transport URL such as tcp://10.0.0.5:9100).
    printer_url = CharField(max_length=255, default="")
    # Board announcement languages in turn, e.g. "vi,en"; "" = the default rule
    # (engine.boards.announce_languages). Migration 0016.
    announce_languages = CharField(max_length=16, default="")
    # The region the office belongs to (models/regions.py) and the hours within
    # which it promises to answer citizens' feedback (issue 19, migration 0019).
    region = DeferredForeignKey("Region", null=True, on_delete="SET NULL")
    feedback_promise_h = IntegerField(default=72)


class Service(BaseModel):
    office = ForeignKey(Office, backref="services", on_delete="RESTRICT")
    code = CharField(max_length=16)
    name_vi = CharField(max_length=200)
    name_en = CharField(max_length=200, default="")
    prefix = CharField(max_length=1)
    target_wait_min = IntegerField(default=15)
    daily_cap = IntegerField(null=True)
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("office", "code"), True),)


class User(BaseModel):
    username = CharField(max_length=64, unique=True)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=16)  # admin / supervisor / clerk
    office = ForeignKey(Office, null=True, backref="users", on_delete="RESTRICT")
    full_name = CharField(max_length=200, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    # Part of every sign-in cookie; bumped to end all of the user's sessions.
    session_version = IntegerField(default=0)
    # A ``regional`` user's region (models/regions.py): they see its offices, read-only.
    region = DeferredForeignKey("Region", null=True, on_delete="SET NULL")


class Counter(BaseModel):
    office = ForeignKey(Office, backref="counters", on_delete="RESTRICT")
    number = IntegerField()
    name = CharField(max_length=100, default="")
    active = BooleanField(default=True)
    paused = BooleanField(default=False)
    clerk = ForeignKey(User, null=True, on_delete="SET NULL")  # who is signed in here

    class Meta:
        indexes = ((("office", "number"), True),)


class CounterService(BaseModel):
    """The services a counter serves, in the order it serves them."""

    counter = ForeignKey(Counter, backref="service_links", on_delete="CASCADE")
    service = ForeignKey(Service, backref="counter_links", on_delete="RESTRICT")
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("counter", "service"), True),)


class ApiToken(BaseModel):
    user = ForeignKey(User, backref="tokens", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    revoked_at = DateTimeField(null=True)


class ServiceDaySequence(BaseModel):
    """Last number issued per service and local business day; bumped atomically."""

    service = ForeignKey(Service, on_delete="CASCADE")
    day = DateField()
    last_seq = IntegerField(default=0)

    class Meta:
        primary_key = CompositeKey("service", "day")


class Ticket(BaseModel):
    office = ForeignKey(Office, on_delete="RESTRICT")
    service = ForeignKey(Service, on_delete="RESTRICT")
    day = DateField()
    sequence = IntegerField()
    number = CharField(max_length=16)
    priority = BooleanField(default=False)
    status = CharField(max_length=16, default="waiting")
    issued_at = DateTimeField(default=utcnow)
    called_at = DateTimeField(null=True)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    counter = ForeignKey(Counter, null=True, on_delete="RESTRICT")
    clerk = ForeignKey(User, null=True, on_delete="RESTRICT")
    recall_count = IntegerField(default=0)
    source = CharField(max_length=16, default="api")
    token = CharField(max_length=64, unique=True)
    transferred_from = ForeignKey("self", null=True, on_delete="RESTRICT")
    # Printing: None (not printed here), "pending", "printed", "failed".
    print_status = CharField(max_length=16, null=True)
    # The estimate handed to the citizen at issue time, kept to measure its accuracy.
    estimated_wait_s = IntegerField(null=True)
    # Measured once, written by the engine at call and finish so statistics can
    # aggregate and rank them through indexes (see engine/stats): whole seconds
    # from issue to first call, from start to finish, and the local hour of issue.
    wait_s = IntegerField(null=True)
    service_s = IntegerField(null=True)
    hour = IntegerField(null=True)
    # The citizen's rating score (1..4), kept equal to Rating.score by database
    # triggers (migration 0005) so reports count ratings in the same index scan.
    rating = IntegerField(null=True)
    # The clerk's note on the ticket (migration 0012; engine/corrections.py).
    note = TextField(null=True)
    # A checked-in booking's slot start (engine/bookings.py): the ticket takes its place
    # in line at that time, not at check-in (engine/calling.py).
    slot_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("counter", "status"), False),
            (("service", "day", "sequence"), False),
            # Widened to cover the wait estimate's counts (migration 0008).
            (("office", "status", "day", "service", "priority", "issued_at"), False),
            (("office", "day", "issued_at", "service", "transferred_from"), False),
        )


class TicketEvent(BaseModel):
    """Append-only log of every transition, written in the same transaction."""

    ticket = ForeignKey(Ticket, backref="events", on_delete="RESTRICT")
    kind = CharField(max_length=16)
    at = DateTimeField(default=utcnow)
    from_status = CharField(max_length=16, null=True)
    to_status = CharField(max_length=16)
    counter = ForeignKey(Counter, null=True, on_delete="RESTRICT")
    user = ForeignKey(User, null=True, on_delete="RESTRICT")
    detail = TextField(default="")

    class Meta:
        indexes = ((("ticket", "at"), False), (("at",), False))


ALL_MODELS = [Office, Service, User, Counter, CounterService, ApiToken,
              ServiceDaySequence, Ticket, TicketEvent]


class DisplayZone(BaseModel):
    """A named part of an office's boards: a board showing zone "tang-2" shows only
    the calls of these services at these counters (an empty list means all)."""

    office = ForeignKey(Office, backref="display_zones", on_delete="CASCADE")
    name = CharField(max_length=64)
    service_codes = CharField(max_length=255, default="")  # "A,B"
    counter_numbers = CharField(max_length=255, default="")  # "1,2"

    class Meta:
        indexes = ((("office", "name"), True),)


ALL_MODELS.append(DisplayZone)


class Rating(BaseModel):
    """A citizen's satisfaction with one finished ticket, from the counter's tablet."""

    ticket = ForeignKey(Ticket, unique=True, backref="ratings", on_delete="RESTRICT")
    counter = ForeignKey(Counter, backref="ratings", on_delete="RESTRICT")
    clerk = ForeignKey(User, null=True, on_delete="RESTRICT")
    score = IntegerField()  # 4 very satisfied, 3 satisfied, 2 neutral, 1 dissatisfied
    comment = TextField(default="")
    created_at = DateTimeField(default=utcnow)


ALL_MODELS.append(Rating)


class Printer(BaseModel):
    """A ticket printer of an office (one per kiosk); see printer/ for URLs."""

    office = ForeignKey(Office, backref="printers", on_delete="RESTRICT")
    name = CharField(max_length=100)
    url = CharField(max_length=255)
    width_dots = IntegerField(default=512)  # 384 for 58 mm paper, 512 or 576 for 80 mm
    profile = CharField(max_length=64, default="TM-T88V")
    mode = CharField(max_length=8, default="raster")  # or "text" for printers without raster
    footer = CharField(max_length=200, default="")
    active = BooleanField(default=True)


class PrintJob(BaseModel):
    """One attempt-tracked delivery of a ticket to a printer; a reprint is a new job."""

    ticket = ForeignKey(Ticket, backref="print_jobs", on_delete="RESTRICT")
    printer = ForeignKey(Printer, null=True, on_delete="SET NULL")  # None: the default
    url = CharField(max_length=255)
    status = CharField(max_length=16, default="pending")  # pending / printed / failed
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    ahead = IntegerField(default=0)
    estimated_wait_s = IntegerField(null=True)
    track_url = CharField(max_length=500, default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("status",), False),)


ALL_MODELS += [Printer, PrintJob]


class AuditLog(BaseModel):
    """Who changed what and when: admin changes and supervisor overrides (engine/audit.py)."""

    at = DateTimeField(default=utcnow, index=True)
    user = ForeignKey(User, null=True, on_delete="SET NULL")
    username = CharField(max_length=64, default="")  # kept when the user is deleted
    action = CharField(max_length=64)  # e.g. "office.update", "override.call_next"
    target = CharField(max_length=128, default="")  # e.g. "office:3"
    details = TextField(default="")  # JSON


ALL_MODELS.append(AuditLog)


class ScreenSequence(BaseModel):
    """The number of the last message an office's screens were sent (engine/screens.py)."""

    office = ForeignKey(Office, primary_key=True, on_delete="CASCADE")
    seq = IntegerField(default=0)


ALL_MODELS.append(ScreenSequence)

from .hours import Closure  # noqa: E402  (issue 16: dated closures)

ALL_MODELS.append(Closure)

from .bookings import BOOKING_MODELS  # noqa: E402 - appointments, phone joining (issue 18)

ALL_MODELS += BOOKING_MODELS
from .regions import REGION_MODELS, Feedback, Region  # noqa: E402,F401
ALL_MODELS += REGION_MODELS
