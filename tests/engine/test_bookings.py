"""Booking slots, capacity (also under concurrency), holidays, check-in window, no-shows,
the called order of a checked-in booking, erasure of personal data."""
import json
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import pytest

from queue_server.db import db
from queue_server.engine import bookings, calling, slots, tickets
from queue_server.errors import Conflict, InvalidInput, NotFound
from queue_server.models import Closure, Service, Ticket
from queue_server.models.bookings import Booking, SlotCount

from .. import factories
from . import booking_workers

MONDAY = date(2026, 3, 2)  # the demo office is in Asia/Ho_Chi_Minh, UTC+7
TUESDAY = MONDAY + timedelta(days=1)
NOW = datetime(2026, 3, 2, 1, 0)  # 08:00 local on Monday


def utc(day, hh, mm):
    """Local hh:mm of ``day`` in the demo office as naive UTC."""
    return datetime.combine(day, time(hh, mm)) - timedelta(hours=7)


@pytest.fixture
def service_a(app):
    return slots.find_service(Service.get(Service.code == "A").id)


def test_demo_service_a_offers_30_minute_slots_for_two_within_its_hours(service_a):
    day = slots.day_slots(service_a, TUESDAY, at=NOW)
    assert [s.label for s in day][:3] == ["07:30", "08:00", "08:30"]
    assert day[-1].label == "16:30" and f"{day[-1].end:%H:%M}" == "17:00"
    assert {(s.capacity, s.free) for s in day} == {(2, 2)}
    assert [d.isoformat() for d in slots.bookable_days(service_a, NOW)][::7] == \
        ["2026-03-02", "2026-03-09"]  # today and 7 days ahead
    assert slots.day_slots(service_a, MONDAY + timedelta(days=8), at=NOW) == []


def test_slots_keep_inside_opening_hours_and_skip_the_lunch_break(service_a, office):
    office.opening_hours = json.dumps({"mon": [["07:30", "11:30"], ["13:30", "17:00"]],
                                       "tue": [["07:30", "11:30"], ["13:30", "17:00"]]})
    office.save()
    service_a = slots.find_service(service_a.id)
    labels = [s.label for s in slots.day_slots(service_a, TUESDAY, at=NOW)]
    assert "11:00" in labels and "11:30" not in labels and "13:00" not in labels
    assert labels[labels.index("11:00") + 1] == "13:30"
    with pytest.raises(Conflict) as refused:
        bookings.book(service_a, TUESDAY, "12:00", at=NOW)
    assert refused.value.code == "slot_unavailable"
    # Sunday is not in the weekly table: closed, no slot.
    assert slots.day_slots(service_a, MONDAY + timedelta(days=6), at=NOW) == []


def test_a_slot_on_a_holiday_cannot_be_booked(service_a, office):
    before = bookings.book(service_a, TUESDAY, "09:00", at=NOW)
    assert slots.withdrawn(before) is None
    Closure.create(office=office, day=TUESDAY, reason_vi="Nghỉ lễ", reason_en="Holiday")
    assert slots.withdrawn(Booking.get_by_id(before.id)) == ""  # its page says so
    assert slots.day_slots(service_a, TUESDAY, at=NOW) == []
    with pytest.raises(Conflict) as refused:
        bookings.book(service_a, TUESDAY, "09:30", at=NOW)
    assert refused.value.code == "slot_unavailable"
    assert Booking.select().count() == 1


def test_capacity_then_full_and_a_cancellation_frees_a_place(service_a):
    first = bookings.book(service_a, TUESDAY, "09:00", name=" Nguyễn  Văn A ",
                          phone="0912 345 678", at=NOW)
    bookings.book(service_a, TUESDAY, "09:00", at=NOW)
    with pytest.raises(Conflict) as full:
        bookings.book(service_a, TUESDAY, "09:00", at=NOW)
    assert full.value.code == "slot_full"
    assert (first.name, first.phone) == ("Nguyễn Văn A", "0912 345 678")
    nine = [s for s in slots.day_slots(service_a, TUESDAY, at=NOW) if s.label == "09:00"][0]
    assert (nine.booked, nine.free) == (2, 0)
    assert bookings.cancel(first.code.lower(), at=NOW).status == "cancelled"
    with pytest.raises(Conflict) as again:
        bookings.cancel(first.code, at=NOW)
    assert again.value.code == "not_cancellable"
    assert bookings.book(service_a, TUESDAY, "09:00", at=NOW).status == "booked"
    assert SlotCount.get().booked == 2


def test_cut_off_days_ahead_and_bad_input(service_a):
    with pytest.raises(Conflict) as closed:  # 08:00 now; cut-off 30 min
        bookings.book(service_a, MONDAY, "08:00", at=NOW)
    assert closed.value.code == "slot_closed"
    assert bookings.book(service_a, MONDAY, "08:30", at=NOW).status == "booked"
    with pytest.raises(Conflict) as far:
        bookings.book(service_a, MONDAY + timedelta(days=8), "09:00", at=NOW)
    assert far.value.code == "slot_unavailable"
    for kwargs in ({"name": "x" * 101}, {"phone": "call me"}, {"phone": "0" * 21}):
        with pytest.raises(InvalidInput):
            bookings.book(service_a, TUESDAY, "09:00", at=NOW, **kwargs)
    with pytest.raises(InvalidInput):
        bookings.book(service_a, TUESDAY, "9h", at=NOW)
    with pytest.raises(InvalidInput):
        bookings.book(service_a, "2026-02-30", "09:00", at=NOW)
    assert Booking.select().count() == 1


def test_a_blocked_slot_takes_no_booking_and_its_citizens_see_why(service_a):
    kept = bookings.book(service_a, TUESDAY, "10:00", at=NOW)
    slot = slots.set_blocked(service_a, TUESDAY, "10:00", reason="Cán bộ nghỉ ốm", at=NOW)
    assert (slot.blocked, slot.free) == (True, 0)
    with pytest.raises(Conflict) as refused:
        bookings.book(service_a, TUESDAY, "10:00", at=NOW)
    assert refused.value.code == "slot_blocked"
    assert slots.blocked_reason(service_a.id, kept.start_at) == "Cán bộ nghỉ ốm"
    slots.set_blocked(service_a, TUESDAY, "10:00", blocked=False, at=NOW)
    assert slots.blocked_reason(service_a.id, kept.start_at) is None
    assert bookings.book(service_a, TUESDAY, "10:00", at=NOW).status == "booked"


def test_codes_are_typed_loosely_or_scanned_as_the_booking_url(service_a):
    booking = bookings.book(service_a, TUESDAY, "09:00", at=NOW)
    code = booking.code
    for typed in (code, code.lower(), f" {code[:4]}-{code[4:]} ",
                  f"http://10.0.0.2:5000/booking/{code}", f"https://x/book/{code}.ics"):
        assert bookings.find(typed, at=NOW).id == booking.id, typed
    for wrong in ("", "ABC", "IIIIOOOO", None, "x" * 600, "A\x00B"):
        with pytest.raises(NotFound):
            bookings.find(wrong, at=NOW)


def test_check_in_window_opens_15_before_and_closes_10_after(service_a):
    booking = bookings.book(service_a, MONDAY, "09:00", at=NOW)
    start = utc(MONDAY, 9, 0)
    with pytest.raises(Conflict) as early:
        bookings.check_in(booking.code, at=start - timedelta(minutes=16))
    assert early.value.code == "outside_check_in_window"
    booked, ticket = bookings.check_in(booking.code, at=start - timedelta(minutes=15))
    assert (booked.status, ticket.status, ticket.source, ticket.slot_at) == \
        ("checked_in", "waiting", "booked", start)
    assert Booking.get_by_id(booking.id).ticket_id == ticket.id
    with pytest.raises(Conflict) as twice:
        bookings.check_in(booking.code, at=start)
    assert twice.value.code == "already_checked_in"
    assert Ticket.select().count() == 1


def test_a_late_booking_is_a_no_show_and_cannot_check_in(service_a):
    late = bookings.book(service_a, MONDAY, "09:00", at=NOW)
    on_time = bookings.book(service_a, MONDAY, "09:30", at=NOW)
    cancelled = bookings.book(service_a, MONDAY, "09:30", at=NOW)
    bookings.cancel(cancelled.code, at=NOW)
    with pytest.raises(Conflict) as refused:
        bookings.check_in(late.code, at=utc(MONDAY, 9, 10, ) + timedelta(seconds=1))
    assert refused.value.code == "outside_check_in_window"
    assert Booking.get_by_id(late.id).status == "no_show"
    # housekeeping closes the others once their window is over
    assert bookings.close_missed(at=utc(MONDAY, 9, 40)) == 0
    assert bookings.close_missed(at=utc(MONDAY, 9, 41)) == 1
    assert [Booking.get_by_id(b.id).status for b in (late, on_time, cancelled)] == \
        ["no_show", "no_show", "cancelled"]
    with pytest.raises(Conflict) as gone:
        bookings.check_in(cancelled.code, at=utc(MONDAY, 9, 30))
    assert gone.value.code == "booking_cancelled"


def test_checked_in_booking_is_called_at_its_slot_ahead_of_later_walk_ins(service_a, office):
    booking = bookings.book(service_a, MONDAY, "09:00", at=NOW)
    earlier = tickets.issue(office, "A", at=utc(MONDAY, 8, 55))  # came before the slot
    later = tickets.issue(office, "A", at=utc(MONDAY, 9, 2))  # came after the slot began
    _, booked = bookings.check_in(booking.code, at=utc(MONDAY, 9, 5))  # 5 minutes late
    assert booked.ahead == 1  # only the walk-in who came before 09:00
    from queue_server.engine.estimate import ahead_of
    assert (ahead_of(Ticket.get_by_id(later.id)), ahead_of(Ticket.get_by_id(booked.id))) == (2, 1)
    counter = factories.demo_counter(1)
    order = []
    for minute in (6, 7, 8):
        ticket = calling.call_next(counter.id, at=utc(MONDAY, 9, minute))
        order.append(ticket.id)
        tickets.no_show(ticket.id, at=utc(MONDAY, 9, minute))
    assert order == [earlier.id, booked.id, later.id]


def test_an_early_check_in_waits_for_walk_ins_who_came_before_the_slot(service_a, office):
    booking = bookings.book(service_a, MONDAY, "09:00", at=NOW)
    _, booked = bookings.check_in(booking.code, at=utc(MONDAY, 8, 50))
    walk_in = tickets.issue(office, "A", at=utc(MONDAY, 8, 55))  # before 09:00: goes first
    after_slot = tickets.issue(office, "A", at=utc(MONDAY, 9, 1))
    counter = factories.demo_counter(2)  # serves B first, then A
    called = [calling.call_next(counter.id, at=utc(MONDAY, 9, 2)).id]
    tickets.no_show(called[0], at=utc(MONDAY, 9, 2))
    called.append(calling.call_next(counter.id, at=utc(MONDAY, 9, 3)).id)
    assert called == [walk_in.id, booked.id]
    assert Ticket.get_by_id(after_slot.id).status == "waiting"


def test_transfer_keeps_the_booked_place(service_a, office):
    booking = bookings.book(service_a, MONDAY, "09:00", at=NOW)
    _, booked = bookings.check_in(booking.code, at=utc(MONDAY, 9, 0))
    moved = tickets.transfer(booked.id, "B", at=utc(MONDAY, 9, 1))
    assert (moved.slot_at, moved.source) == (utc(MONDAY, 9, 0), "booked")


def test_personal_data_is_erased_after_the_kept_days(service_a):
    old = bookings.book(service_a, MONDAY, "09:00", name="Trần Thị B", phone="0987", at=NOW)
    recent = bookings.book(service_a, TUESDAY, "09:00", name="Lê C", at=NOW)
    assert bookings.erase_personal_data(at=utc(MONDAY, 9, 30) + timedelta(days=30)) == 0
    erased_at = utc(MONDAY, 9, 31) + timedelta(days=30)
    assert bookings.erase_personal_data(at=erased_at) == 1
    old, recent = Booking.get_by_id(old.id), Booking.get_by_id(recent.id)
    assert (old.name, old.phone, old.erased_at) == ("", "", erased_at)
    assert (recent.name, recent.erased_at) == ("Lê C", None)
    assert bookings.erase_personal_data(at=erased_at + timedelta(days=5)) == 1  # recent now


def test_eight_threads_never_exceed_a_slots_capacity(service_a, db_url):
    def worker(_):
        won = []
        with db.connection_context():
            for start in ("09:00", "09:30", "10:00") * 4:
                try:
                    won.append(bookings.book(service_a, TUESDAY, start, at=NOW).code)
                except Conflict as exc:
                    assert exc.code == "slot_full"
        return won

    with ThreadPoolExecutor(8) as pool:
        codes = [c for batch in pool.map(worker, range(8)) for c in batch]
    assert len(codes) == len(set(codes)) == 6  # 3 slots x 2 places
    counts = {s.label: s.booked for s in slots.day_slots(service_a, TUESDAY, at=NOW)}
    assert (counts["09:00"], counts["09:30"], counts["10:00"]) == (2, 2, 2)
    assert Booking.select().where(Booking.status == "booked").count() == 6


def test_four_processes_never_exceed_a_slots_capacity(app, db_url):
    db.close()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        batches = pool.starmap(booking_workers.book_many,
                               [(db_url, 15, TUESDAY.isoformat(), "11:00", NOW.isoformat())] * 4)
    codes = [c for batch in batches for c in batch]
    db.connect(reuse_if_open=True)
    assert len(codes) == len(set(codes)) == 2
    assert Booking.select().count() == 2
    assert SlotCount.get().booked == 2


def test_settings_are_validated(service_a):
    with pytest.raises(InvalidInput):
        slots.save_settings(service_a, capacity=0)
    with pytest.raises(InvalidInput):
        slots.save_settings(service_a, hours_from="7h30")
    saved = slots.save_settings(service_a, capacity=3, slot_minutes=15)
    assert (saved.capacity, saved.slot_minutes) == (3, 15)
    b = Service.get(Service.code == "B")
    assert slots.settings_for(b) is None and slots.day_slots(b, TUESDAY, at=NOW) == []


def test_a_walk_ins_estimate_counts_booked_citizens_whose_slot_began(service_a, office,
                                                                      monkeypatch):
    from queue_server.engine import booked_ahead, estimate

    first = bookings.book(service_a, MONDAY, "09:00", at=NOW)
    second = bookings.book(service_a, MONDAY, "09:00", at=NOW)
    bookings.book(service_a, MONDAY, "09:30", at=NOW)  # not begun yet: not ahead
    at = utc(MONDAY, 9, 3)
    per_ticket = estimate.recent_service_s(service_a.id, at) / estimate.open_counters(service_a.id)
    monkeypatch.setattr(booked_ahead, "ENABLED", False)
    plain = estimate.for_new_ticket(office, service_a.id, at)[1]
    monkeypatch.setattr(booked_ahead, "ENABLED", True)
    counted = estimate.for_new_ticket(office, service_a.id, at)[1]
    assert counted - plain == round(2 * 0.9 * per_ticket)  # two booked, 90% expected to come
    assert estimate.for_new_ticket(office, service_a.id, at, priority=True)[1] <= plain
    # Once they checked in, the line itself holds them: nothing more is added.
    bookings.check_in(first.code, at=utc(MONDAY, 9, 4))
    bookings.check_in(second.code, at=utc(MONDAY, 9, 4))
    later = utc(MONDAY, 9, 5)
    assert booked_ahead.booked_ahead(service_a.id, later, later) == 0
