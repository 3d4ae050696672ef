"""Appointments and joining from the phone: per-service booking settings, bookings,
the per-slot counts that keep capacity, blocked slots, and the office's remote-join
switch (engine/bookings.py, engine/slots.py, docs/bookings.md).

Slot times are stored as naive UTC datetimes like every other timestamp; ``day`` is
the office's local date of the slot.
"""
from peewee import BooleanField, CharField, CompositeKey, DateField, DateTimeField, IntegerField

from . import BaseModel, ForeignKey, Office, Service, Ticket, utcnow


class BookingSettings(BaseModel):
    """How a service takes appointments (a service without a row takes none)."""

    service = ForeignKey(Service, primary_key=True, on_delete="CASCADE")
    bookable = BooleanField(default=False)
    slot_minutes = IntegerField(default=30)
    capacity = IntegerField(default=2)  # citizens one slot serves, across the counters
    days_ahead = IntegerField(default=7)  # today + this many days
    # Local "HH:MM" bounds of the slots inside the opening hours ("" = the whole day).
    hours_from = CharField(max_length=5, default="")
    hours_to = CharField(max_length=5, default="")
    cutoff_minutes = IntegerField(default=30)  # booking closes this long before a slot


class RemoteJoin(BaseModel):
    """Whether citizens may take a number from their phone (/join): ``open``,
    ``off``, or ``network`` (only from the office's own address ranges)."""

    office = ForeignKey(Office, primary_key=True, on_delete="CASCADE")
    mode = CharField(max_length=8, default="open")
    networks = CharField(max_length=500, default="")  # "192.168.1.0/24, 10.0.0.0/8"


class SlotCount(BaseModel):
    """Places taken in one slot of a service; bumped by a conditional UPDATE so two
    citizens booking at once never exceed the capacity."""

    service = ForeignKey(Service, on_delete="CASCADE")
    start_at = DateTimeField()
    booked = IntegerField(default=0)

    class Meta:
        primary_key = CompositeKey("service", "start_at")


class BlockedSlot(BaseModel):
    """A slot a supervisor closed (a clerk absent): nobody books it, and the citizens
    already booked see a notice on their booking page."""

    service = ForeignKey(Service, on_delete="CASCADE")
    start_at = DateTimeField()
    reason = CharField(max_length=200, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        primary_key = CompositeKey("service", "start_at")


class Booking(BaseModel):
    """One citizen's appointment. ``name`` and ``phone`` are optional and erased by
    housekeeping after ``BOOKING_KEEP_DAYS`` days (``erased_at``).

    Status: booked -> checked_in (a ticket, source "booked") | cancelled | no_show.
    """

    code = CharField(max_length=16, unique=True)
    office = ForeignKey(Office, on_delete="RESTRICT")
    service = ForeignKey(Service, on_delete="RESTRICT")
    day = DateField()
    start_at = DateTimeField()
    end_at = DateTimeField()
    status = CharField(max_length=16, default="booked")
    name = CharField(max_length=100, default="")
    phone = CharField(max_length=20, default="")
    created_at = DateTimeField(default=utcnow)
    changed_at = DateTimeField(default=utcnow)
    ticket = ForeignKey(Ticket, null=True, on_delete="SET NULL")
    erased_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("service", "start_at", "status"), False),
                   (("office", "day", "start_at"), False),
                   (("status", "start_at"), False))


BOOKING_MODELS = [BookingSettings, RemoteJoin, SlotCount, BlockedSlot, Booking]
