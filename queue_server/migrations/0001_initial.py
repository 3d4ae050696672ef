"""Initial schema. A frozen copy of the models as they were: later migrations change it."""
from peewee import (BooleanField, CharField, CompositeKey, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model, TextField)


class BaseModel(Model):
    class Meta:
        database = None
        legacy_table_names = False


class Office(BaseModel):
    name = CharField(max_length=200)
    timezone = CharField(max_length=64, default="Asia/Ho_Chi_Minh")
    default_language = CharField(max_length=5, default="vi")
  
    opening_hours = TextField(default="")
    notice = TextField(default="")
    display_key = CharField(max_length=128, null=True)
    kiosk_key = CharField(max_length=128, null=True)
    public_stats = BooleanField(default=False)
    created_at = DateTimeField()


class Service(BaseModel):
    office = ForeignKeyField(Office, backref="services", on_delete="RESTRICT")
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
    role = CharField(max_length=16)
    office = ForeignKeyField(Office, null=True, backref="users", on_delete="RESTRICT")
    full_name = CharField(max_length=200, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField()


class Counter(BaseModel):
    office = ForeignKeyField(Office, backref="counters", on_delete="RESTRICT")
    number = IntegerField()
    name = CharField(max_length=100, default="")
    active = BooleanField(default=True)
    paused = BooleanField(default=False)
    clerk = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("office", "number"), True),)


class CounterService(BaseModel):

    counter = ForeignKeyField(Counter, backref="service_links", on_delete="CASCADE")
    service = ForeignKeyField(Service, backref="counter_links", on_delete="RESTRICT")
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("counter", "service"), True),)


class ApiToken(BaseModel):
    user = ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField()
    expires_at = DateTimeField()
    revoked_at = DateTimeField(null=True)


class ServiceDaySequence(BaseModel):

    service = ForeignKeyField(Service, on_delete="CASCADE")
    day = DateField()
    last_seq = IntegerField(default=0)

    class Meta:
        primary_key = CompositeKey("service", "day")


class Ticket(BaseModel):
    office = ForeignKeyField(Office, on_delete="RESTRICT")
    service = ForeignKeyField(Service, on_delete="RESTRICT")
    day = DateField()
    sequence = IntegerField()
    number = CharField(max_length=16)
    priority = BooleanField(default=False)
    status = CharField(max_length=16, default="waiting")
    issued_at = DateTimeField()
    called_at = DateTimeField(null=True)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    counter = ForeignKeyField(Counter, null=True, on_delete="RESTRICT")
    clerk = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    recall_count = IntegerField(default=0)
    source = CharField(max_length=16, default="api")
    token = CharField(max_length=64, unique=True)
    transferred_from = ForeignKeyField("self", null=True, on_delete="RESTRICT")
  
    print_status = CharField(max_length=16, null=True)
  
    estimated_wait_s = IntegerField(null=True)

    class Meta:
        indexes = (
            (("service", "day", "sequence"), False),
            (("office", "status", "day"), False),
            (("office", "day"), False),
        )


class TicketEvent(BaseModel):

    ticket = ForeignKeyField(Ticket, backref="events", on_delete="RESTRICT")
    kind = CharField(max_length=16)
    at = DateTimeField()
    from_status = CharField(max_length=16, null=True)
    to_status = CharField(max_length=16)
    counter = ForeignKeyField(Counter, null=True, on_delete="RESTRICT")
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    detail = TextField(default="")

    class Meta:
        indexes = ((("ticket", "at"), False), (("at",), False))


MODELS = [Office, Service, User, Counter, CounterService, ApiToken,
          ServiceDaySequence, Ticket, TicketEvent]


def up(migrator, db):
    with db.bind_ctx(MODELS):
        db.create_tables(MODELS)


def down(migrator, db):
    with db.bind_ctx(MODELS):
        db.drop_tables(MODELS)
