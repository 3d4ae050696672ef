"""Booking slots of a service: where they lie in a day, how many places are free,
which a supervisor blocked. Slots lie inside the office's opening hours
(``hours.open_periods``), never on a closure or holiday.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from ..db import db
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Service, by_id, utcnow
from ..models.bookings import BlockedSlot, BookingSettings, SlotCount
from . import hours
from .clock import business_day, zone

#: What a service takes when an admin first makes it bookable.
DEFAULTS = {"slot_minutes": 30, "capacity": 2, "days_ahead": 7, "hours_from": "",
            "hours_to": "", "cutoff_minutes": 30}
LIMITS = {"slot_minutes": (5, 240), "capacity": (1, 100), "days_ahead": (0, 90),
          "cutoff_minutes": (0, 24 * 60)}


@dataclass
class Slot:
    """One slot of a service on a day (local times, and its UTC start)."""

    start: time
    end: time
    start_at: datetime  # naive UTC, as stored
    end_at: datetime
    capacity: int
    booked: int
    blocked: bool
    reason: str = ""
    open: bool = True  # still bookable now (not past its cut-off)

    @property
    def free(self):
        return 0 if self.blocked or not self.open else max(0, self.capacity - self.booked)

    @property
    def label(self):
        return f"{self.start:%H:%M}"


def settings_for(service):
    """The service's BookingSettings, or None when it takes no bookings."""
    found = BookingSettings.get_or_none(BookingSettings.service == _id(service))
    return found if found is not None and found.bookable else None


def save_settings(service, **values):
    """Create or change the service's booking settings (validated); returns them."""
    for name, (low, high) in LIMITS.items():
        if name in values and not (isinstance(values[name], int) and low <= values[name] <= high):
            raise InvalidInput(f"'{name}' must be an integer from {low} to {high}.",
                               code="out_of_range",
                               params={"field": name, "low": low, "high": high})
    for name in ("hours_from", "hours_to"):
        if values.get(name) and not hours.is_hhmm(values[name]):
            raise InvalidInput(f"'{name}' must be HH:MM or empty.", code="bad_time",
                               params={"field": name})
    with db.atomic():
        row = BookingSettings.get_or_none(BookingSettings.service == _id(service))
        if row is None:
            row = BookingSettings(service=_id(service), **DEFAULTS)
            row.save(force_insert=True)
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    return row


def open_periods(office, day):
    """[(open, close)] local times of the office on ``day`` (its weekly table with the
    lunch break, dated closures and holidays: ``hours.open_periods``); empty when closed."""
    return list(hours.open_periods(office, day))


def _utc(office, day, at):
    local = datetime.combine(day, at, zone(office))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def parse_day(value):
    """A YYYY-MM-DD text as a date, or InvalidInput."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidInput("'day' must be a date written YYYY-MM-DD.")
    try:
        return date.fromisoformat(value) if len(value) == 10 else _bad_day()
    except ValueError:
        return _bad_day()


def _bad_day():
    raise InvalidInput("'day' must be a date written YYYY-MM-DD.")


def bookable_days(service, at=None):
    """The local days a citizen may book the service on now (today first)."""
    settings = settings_for(service)
    if settings is None:
        return []
    today = business_day(service.office, at or utcnow())
    return [today + timedelta(days=n) for n in range(settings.days_ahead + 1)]


def day_slots(service, day, at=None):
    """Every slot of the service on local ``day`` (empty when it takes no bookings,
    the office is closed that day, or the day is out of the booking range).

    ``open`` says whether a slot can still be booked at ``at`` (before its cut-off).
    """
    at = at or utcnow()
    settings = settings_for(service)
    if settings is None or day not in bookable_days(service, at):
        return []
    office = service.office
    step = timedelta(minutes=settings.slot_minutes)
    window = (time.fromisoformat(settings.hours_from) if settings.hours_from else time.min,
              time.fromisoformat(settings.hours_to) if settings.hours_to else time.max)
    starts = []
    for opens, closes in open_periods(office, day):
        start = datetime.combine(day, max(opens, window[0]))
        end = datetime.combine(day, min(closes, window[1]))
        while start + step <= end:
            starts.append((start.time(), (start + step).time()))
            start += step
    if not starts:
        return []
    first, last = _utc(office, day, starts[0][0]), _utc(office, day, starts[-1][0])
    counts = dict(SlotCount.select(SlotCount.start_at, SlotCount.booked)
                  .where((SlotCount.service == service.id) & (SlotCount.start_at >= first)
                         & (SlotCount.start_at <= last)).tuples())
    blocked = dict(BlockedSlot.select(BlockedSlot.start_at, BlockedSlot.reason)
                   .where((BlockedSlot.service == service.id) & (BlockedSlot.start_at >= first)
                          & (BlockedSlot.start_at <= last)).tuples())
    cutoff = at + timedelta(minutes=settings.cutoff_minutes)
    slots = []
    for start, end in starts:
        start_at = _utc(office, day, start)
        slots.append(Slot(start, end, start_at, _utc(office, day, end), settings.capacity,
                          counts.get(start_at, 0), start_at in blocked,
                          blocked.get(start_at, ""), open=start_at >= cutoff))
    return slots


def find_slot(service, day, start, at=None):
    """The slot of the service starting at local ``start`` ("HH:MM") on ``day``, or
    Conflict ``slot_unavailable`` (no such slot: closed, out of range, not aligned)."""
    if not isinstance(start, str) or not hours.is_hhmm(start):
        raise InvalidInput("'start' must be a local time written HH:MM.")
    for slot in day_slots(service, day, at):
        if slot.label == start:
            return slot
    raise Conflict(f"Service {service.code} has no slot at {start} on {day.isoformat()}.",
                   code="slot_unavailable")


def find_service(service_id):
    """The active service with ``service_id``, or NotFound."""
    service = by_id(Service, service_id) if isinstance(service_id, int) else None
    if service is None or not service.active:
        raise NotFound(f"Service {service_id} does not exist.", code="unknown_service")
    return service


def set_blocked(service, day, start, blocked=True, reason="", at=None):
    """Block (or unblock) one slot of the service; returns the slot as it is now."""
    slot = _any_slot(service, day, start, at)
    with db.atomic():
        BlockedSlot.delete().where((BlockedSlot.service == service.id)
                                   & (BlockedSlot.start_at == slot.start_at)).execute()
        if blocked:
            BlockedSlot.create(service=service.id, start_at=slot.start_at,
                               reason=(reason or "")[:200])
    return _any_slot(service, day, start, at)


def _any_slot(service, day, start, at):
    # A supervisor may block a slot whose cut-off has passed (a clerk fell ill today).
    for slot in day_slots(service, day, at):
        if slot.label == start:
            return slot
    raise Conflict(f"Service {service.code} has no slot at {start} on {day.isoformat()}.",
                   code="slot_unavailable")


def withdrawn(booking):
    """Why the office can no longer serve the booking's slot: the supervisor's reason
    when it is blocked ("" when none was given, or the day became a closure or the
    hours changed), else None."""
    reason = blocked_reason(booking.service_id, booking.start_at)
    if reason is not None:
        return reason
    office = booking.service.office
    start = booking.start_at.replace(tzinfo=timezone.utc).astimezone(zone(office))
    end = booking.end_at.replace(tzinfo=timezone.utc).astimezone(zone(office))
    inside = any(opens <= start.time() and end.time() <= closes
                 for opens, closes in open_periods(office, booking.day))
    return None if inside else ""


def blocked_reason(service_id, start_at):
    """The supervisor's reason when the slot is blocked, else None."""
    row = BlockedSlot.get_or_none((BlockedSlot.service == service_id)
                                  & (BlockedSlot.start_at == start_at))
    return None if row is None else row.reason


def _id(value):
    return value if isinstance(value, int) else value.id
