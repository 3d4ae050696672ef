"""Appointments: book a slot, view or cancel it by its code, check in on the day (a
ticket, source "booked"), no-show when not checked in by the end of the window,
personal data erased after a set number of days. docs/bookings.md has the rules.

Capacity holds under concurrency on SQLite and PostgreSQL: a booking bumps its
slot's ``SlotCount`` row with ``UPDATE ... SET booked = booked + 1 WHERE booked <
capacity`` in the booking's transaction. SQLite runs one writer at a time (BEGIN
IMMEDIATE); PostgreSQL locks the row and re-checks the condition on the version
the other transaction committed, so the last place goes to exactly one citizen.
"""
import re
import secrets
from datetime import timedelta

from peewee import IntegrityError

from ..db import db, is_sqlite
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Service, Ticket, utcnow
from ..models.bookings import Booking, SlotCount
from . import estimate, slots, tickets
from .clock import day_bounds_utc
from .signals import publish_ticket

#: Booking codes: 8 letters and digits without look-alikes (no I, O, 0, 1): 40 bits,
#: typed at the kiosk as ABCD-EFGH (dashes, spaces and case do not matter).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CHECK_IN_BEFORE_MIN, CHECK_IN_AFTER_MIN = 15, 10  # the window's defaults (config)
KEEP_DAYS = 30  # personal data kept this many days after the slot (config)
NAME_MAX, PHONE_MAX = 100, 20
PHONE = re.compile(r"[0-9+ ().-]*")
ACTIVE = ("booked", "checked_in")


def new_code():
    """A fresh random booking code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text):
    """The booking code in what a citizen typed or a scanner sent (the booking page's
    URL from the QR code works too); None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 500:
        return None
    tail = text.strip().rstrip("/").rsplit("/", 1)[-1]
    code = re.sub(r"[\s-]", "", tail.split("?")[0].removesuffix(".ics")).upper()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def pretty(code):
    """``ABCDEFGH`` as ``ABCD-EFGH`` (easier to read aloud and type)."""
    return f"{code[:4]}-{code[4:]}"


def clean_personal(name, phone):
    """The optional name and phone, trimmed and checked (InvalidInput)."""
    name = "" if name is None else name
    phone = "" if phone is None else phone
    if not isinstance(name, str) or not isinstance(phone, str):
        raise InvalidInput("'name' and 'phone' must be text.")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"'name' may hold at most {NAME_MAX} characters.")
    if len(phone) > PHONE_MAX or not PHONE.fullmatch(phone):
        raise InvalidInput("'phone' may hold digits, spaces and + ( ) . - only "
                           f"(at most {PHONE_MAX}).")
    # No database takes NUL in text (PostgreSQL refuses it): dropped, like extra spaces.
    return " ".join(name.replace("\x00", " ").split()), phone.strip()


def book(service, day, start, *, name="", phone="", at=None):
    """Book the slot of ``service`` starting at local ``start`` ("HH:MM") on ``day``.

    Conflict ``slot_unavailable`` (no such slot), ``slot_blocked``, ``slot_closed``
    (past its cut-off), ``slot_full`` (no place left). Returns the Booking.
    """
    at = at or utcnow()
    name, phone = clean_personal(name, phone)
    day = slots.parse_day(day)
    slot = slots.find_slot(service, day, start, at)
    if slot.blocked:
        raise Conflict(f"The slot at {start} is blocked.", code="slot_blocked")
    if not slot.open:
        raise Conflict(f"Booking the slot at {start} has closed.", code="slot_closed")
    with db.atomic():
        SlotCount.insert(service=service.id, start_at=slot.start_at,
                         booked=0).on_conflict_ignore().execute()
        taken = (SlotCount.update(booked=SlotCount.booked + 1)
                 .where((SlotCount.service == service.id)
                        & (SlotCount.start_at == slot.start_at)
                        & (SlotCount.booked < slot.capacity)).execute())
        if not taken:
            raise Conflict(f"The slot at {start} is full.", code="slot_full")
        booking = _insert(service, day, slot, name, phone, at)
    return booking


def _insert(service, day, slot, name, phone, at):
    for _ in range(5):
        try:
            with db.atomic():  # a savepoint: a code collision leaves the slot taken
                return Booking.create(code=new_code(), office=service.office_id,
                                      service=service.id, day=day,
                                      start_at=slot.start_at, end_at=slot.end_at,
                                      status="booked", name=name, phone=phone,
                                      created_at=at, changed_at=at)
        except IntegrityError:
            continue
    raise Conflict("No free booking code was found; try again.", code="try_again")


def find(code, *, at=None, after_min=None):
    """The booking with ``code`` (as typed), its status brought up to date (a booking
    past its check-in window is a no-show); NotFound ``unknown_booking``."""
    normal = normalise_code(code)
    booking = Booking.get_or_none(Booking.code == normal) if normal else None
    if booking is None:
        raise NotFound("No booking has this code.", code="unknown_booking")
    at = at or utcnow()
    after_min = CHECK_IN_AFTER_MIN if after_min is None else after_min
    if booking.status == "booked" and booking.start_at + timedelta(minutes=after_min) < at:
        close_missed(at=at, after_min=after_min, booking_id=booking.id)
        booking = Booking.get_by_id(booking.id)
    return booking


def _locked(booking_id):
    query = Booking.select().where(Booking.id == booking_id)
    return (query if is_sqlite() else query.for_update()).get()


def cancel(code, *, at=None):
    """Withdraw a booking that is still ``booked``: its place is free again."""
    at = at or utcnow()
    found = find(code, at=at)
    with db.atomic():
        booking = _locked(found.id)
        if booking.status != "booked":
            raise Conflict(f"This booking is {booking.status}; it cannot be cancelled.",
                           code="not_cancellable")
        Booking.update(status="cancelled", changed_at=at).where(Booking.id == booking.id).execute()
        (SlotCount.update(booked=SlotCount.booked - 1)
         .where((SlotCount.service == booking.service_id)
                & (SlotCount.start_at == booking.start_at) & (SlotCount.booked > 0)).execute())
        booking.status = "cancelled"
    return booking


def window(booking, before_min=None, after_min=None):
    """(opens, closes): naive-UTC bounds of the booking's check-in window."""
    before_min = CHECK_IN_BEFORE_MIN if before_min is None else before_min
    after_min = CHECK_IN_AFTER_MIN if after_min is None else after_min
    return (booking.start_at - timedelta(minutes=before_min),
            booking.start_at + timedelta(minutes=after_min))


def check_in(code, *, at=None, before_min=None, after_min=None):
    """The citizen has come: the booking becomes a waiting ticket (source "booked")
    that takes its place in line at the slot's start. Returns (booking, ticket).

    Conflict ``outside_check_in_window`` (too early, or too late: then a no-show),
    ``already_checked_in``, ``booking_cancelled``.
    """
    at = at or utcnow()
    before_min = CHECK_IN_BEFORE_MIN if before_min is None else before_min
    after_min = CHECK_IN_AFTER_MIN if after_min is None else after_min
    booking = find(code, at=at, after_min=after_min)
    opens, closes = window(booking, before_min, after_min)
    if booking.status == "checked_in":
        raise Conflict("This booking has already been checked in.", code="already_checked_in")
    if booking.status == "cancelled":
        raise Conflict("This booking was cancelled.", code="booking_cancelled")
    if booking.status == "no_show" or at > closes or at < opens:
        raise Conflict("Check-in is open from %d minutes before the slot to %d minutes "
                       "after its start." % (before_min, after_min),
                       code="outside_check_in_window")
    service = Service.find(booking.service_id)
    with db.atomic():
        claimed = (Booking.update(status="checked_in", changed_at=at)
                   .where((Booking.id == booking.id) & (Booking.status == "booked")).execute())
        if not claimed:
            raise Conflict("This booking has already been checked in.",
                           code="already_checked_in")
        ticket = tickets.new_ticket(service.office, service, at, source="booked",
                                    slot_at=booking.start_at, capped=False)
        Booking.update(ticket=ticket.id).where(Booking.id == booking.id).execute()
        # Its place is its slot, not the moment it was issued (which new_ticket assumed).
        ticket.ahead = estimate.ahead_of(ticket)
        ticket.estimated_wait_s = estimate.estimate_for(ticket, at)
        Ticket.update(estimated_wait_s=ticket.estimated_wait_s).where(
            Ticket.id == ticket.id).execute()
    publish_ticket("issued", ticket)
    booking.status, booking.ticket = "checked_in", ticket
    return booking, ticket


def close_missed(*, at=None, after_min=None, booking_id=None):
    """Bookings not checked in by the end of their window become no-shows; how many."""
    at = at or utcnow()
    after_min = CHECK_IN_AFTER_MIN if after_min is None else after_min
    query = Booking.update(status="no_show", changed_at=at).where(
        (Booking.status == "booked") & (Booking.start_at < at - timedelta(minutes=after_min)))
    if booking_id is not None:
        query = query.where(Booking.id == booking_id)
    with db.atomic():
        return query.execute()


def erase_personal_data(*, at=None, keep_days=KEEP_DAYS):
    """Blank the name and phone of bookings whose slot ended more than ``keep_days``
    days ago; how many. The booking itself stays (statistics count it)."""
    at = at or utcnow()
    with db.atomic():
        return (Booking.update(name="", phone="", erased_at=at)
                .where(Booking.erased_at.is_null()
                       & (Booking.end_at < at - timedelta(days=keep_days))).execute())


def for_slots(service, day):
    """{slot start (naive UTC): [bookings]} of the service on local ``day``, cancelled
    ones left out."""
    first, last = day_bounds_utc(service.office, day, day)
    grouped = {}
    for booking in (Booking.select().where(
            (Booking.service == service.id) & (Booking.start_at >= first)
            & (Booking.start_at < last) & (Booking.status != "cancelled"))
            .order_by(Booking.start_at, Booking.created_at)):
        grouped.setdefault(booking.start_at, []).append(booking)
    return grouped


def day_overview(office, day, at=None):
    """[(service, [(slot, [bookings])])] of the office's bookable services on local
    ``day``. A past day is listed as of its start (staff look back), else as of now."""
    at = min(day_bounds_utc(office, day, day)[0], at or utcnow())
    rows = []
    for service in (Service.select().where((Service.office == office.id) & Service.active)
                    .order_by(Service.code)):
        if slots.settings_for(service) is None:
            continue
        booked = for_slots(service, day)
        rows.append((service, [(slot, booked.get(slot.start_at, []))
                               for slot in slots.day_slots(service, day, at=at)]))
    return rows


def ticket_of(booking):
    """The ticket a checked-in booking became, or None."""
    return booking.ticket if booking.ticket_id else None
