"""Bookings: free slots (public), book, view, cancel and check in by code, and the
staff's view per slot and blocking of slots."""
from flask import current_app, jsonify, request

from ..auth import PUBLIC, access, current, require_office
from ..engine import bookings, offices, remote, slots
from ..engine.clock import iso, local
from ..errors import Forbidden, InvalidInput
from ..security import require_kiosk_key
from . import bp, field, id_field, json_body
from .serialize import ticket_json


def slot_json(slot):
    """One slot as the API shows it (local HH:MM times and the UTC start)."""
    return {"start": slot.label, "end": f"{slot.end:%H:%M}", "free": slot.free,
            "capacity": slot.capacity, "booked": slot.booked, "blocked": slot.blocked,
            "start_at": iso(slot.start_at)}


def booking_json(booking, *, personal=True):
    """A booking as the API shows it; ``personal``: with the optional name and phone."""
    office = booking.service.office
    before, after = _window()
    opens, closes = bookings.window(booking, before, after)
    reason = slots.withdrawn(booking)
    base = (current_app.config.get("PUBLIC_URL") or request.host_url).rstrip("/")
    data = {"code": booking.code, "service": booking.service_id,
            "service_code": booking.service.code, "office": booking.office_id,
            "day": booking.day.isoformat(), "start": f"{local(office, booking.start_at):%H:%M}",
            "end": f"{local(office, booking.end_at):%H:%M}", "start_at": iso(booking.start_at),
            "end_at": iso(booking.end_at), "status": booking.status,
            "blocked": reason is not None, "blocked_reason": reason or "",
            "check_in_opens": iso(opens), "check_in_closes": iso(closes),
            "url": f"{base}/booking/{booking.code}", "ics_url": f"{base}/book/{booking.code}.ics",
            "ticket": booking.ticket.number if booking.ticket_id else None}
    if personal:
        data.update(name=booking.name, phone=booking.phone)
    return data


def _window():
    return (current_app.config["CHECK_IN_BEFORE_MIN"], current_app.config["CHECK_IN_AFTER_MIN"])


@bp.get("/services/<int:service_id>/slots")
@access(PUBLIC)
def service_slots(service_id):
    """The service's slots on ``?day=`` (empty when it takes no bookings that day)."""
    service = slots.find_service(service_id)
    day = slots.parse_day(request.args.get("day"))
    return jsonify([slot_json(s) for s in slots.day_slots(service, day)])


@bp.post("/bookings")
@access(PUBLIC)
def create_booking():
    """Book a slot: 201 with the booking; 409 ``slot_full`` when it has no room."""
    data = json_body()
    service = slots.find_service(id_field(data, "service", required=True))
    booking = bookings.book(service, field(data, "day", str), field(data, "start", str),
                            name=field(data, "name", str, required=False, default=""),
                            phone=field(data, "phone", str, required=False, default=""))
    return jsonify(booking_json(booking)), 201


@bp.get("/bookings/<code>")
@access(PUBLIC)
def get_booking(code):
    """The booking with this code (whoever holds the code)."""
    return jsonify(booking_json(bookings.find(code, after_min=_window()[1])))


@bp.delete("/bookings/<code>")
@access(PUBLIC)
def cancel_booking(code):
    """Cancel the booking (whoever holds the code): its place is free again."""
    return jsonify(booking_json(bookings.cancel(code)))


@bp.post("/bookings/<code>/check-in")
@access(PUBLIC)
def check_in_booking(code):
    """Check in on the day: 201 with the ticket; 409 ``outside_check_in_window``."""
    booking = bookings.find(code, after_min=_window()[1])
    office = booking.service.office
    if not remote.may_check_in_here(office, request.remote_addr, _kiosk_key_ok(office)):
        raise Forbidden("Check in at the office's kiosk or on its network.", code="not_on_site")
    before, after = _window()
    booking, ticket = bookings.check_in(code, before_min=before, after_min=after)
    return jsonify({**ticket_json(ticket, fresh=True), "booking": booking.code}), 201


def _kiosk_key_ok(office):
    if not office.kiosk_key:
        return False
    try:
        require_kiosk_key(office)
    except Forbidden:
        return False
    return True


@bp.get("/bookings")
@access("clerk")
def list_bookings():
    """The office's bookings on ``?day=`` per service and slot (staff)."""
    user = current()
    office = offices.get_office(request.args.get("office") or user.office_id)
    require_office(office.id)
    day = slots.parse_day(request.args.get("day"))
    return jsonify([{"service": service.id, "service_code": service.code, "slots": [
        {**slot_json(slot), "bookings": [booking_json(b) for b in booked]}
        for slot, booked in rows]} for service, rows in bookings.day_overview(office, day)])


@bp.post("/services/<int:service_id>/blocked-slots")
@access("supervisor")
def block_slot(service_id):
    """Block (``"blocked": false``: unblock) one slot of the service."""
    service = slots.find_service(service_id)
    require_office(service.office_id)
    data = json_body()
    day = slots.parse_day(field(data, "day", str))
    reason = field(data, "reason", str, required=False, default="")
    if len(reason) > 200:
        raise InvalidInput("'reason' may hold at most 200 characters.")
    slot = slots.set_blocked(service, day, field(data, "start", str),
                             blocked=field(data, "blocked", bool, required=False, default=True),
                             reason=reason)
    return jsonify(slot_json(slot))
