"""The phone and booking screens: /join, its poster, /book, the booking page, the kiosk's
check-in, the supervisor's bookings, the admin's settings; vi and en; limits per device."""
import re
from datetime import timedelta

import pytest

from queue_server import create_app, housekeeping
from queue_server.engine import bookings, remote, slots
from queue_server.engine.clock import business_day
from queue_server.models import Office, Service, Ticket, utcnow
from queue_server.models.bookings import Booking
from tests.conftest import _config_dict

from .helpers import sign_in
from .test_pages_i18n import _check


def _tomorrow():
    return business_day(Office.get()) + timedelta(days=1)


def _book(start="09:00", **extra):
    service = slots.find_service(Service.get(Service.code == "A").id)
    return bookings.book(service, _tomorrow(), start, **extra)


def _shift(booking, start_at):
    Booking.update(start_at=start_at, end_at=start_at + timedelta(minutes=30)).where(
        Booking.id == booking.id).execute()


def test_pages_render_in_vietnamese_and_english(client):
    booking = _book(name="Nguyễn Văn A")
    for path, vi, en in (
            ("/join/1", "Lấy số bằng điện thoại", "Take a number from your phone"),
            ("/join/1/poster", "Quét mã bằng camera điện thoại", "Scan the code with your phone"),
            ("/book/1", "Đặt lịch hẹn", "Book a time"),
            (f"/book/1?service=A&day={_tomorrow().isoformat()}", "còn 2 chỗ", "2 places left"),
            (f"/booking/{booking.code}", "Mã đặt lịch", "Booking code"),
            ("/kiosk/1/check-in", "Nhập mã đặt lịch", "Type your booking code"),
            ("/kiosk/1", "Tôi đã đặt lịch", "I have a booking")):
        _check(client, path, vi, en)


def test_the_poster_shows_both_languages_and_the_join_link(client):
    html = client.get("/join/1/poster?lang=en").get_data(as_text=True)
    assert "Take a number with your phone" in html and "Lấy số thứ tự bằng điện thoại" in html
    assert "http://localhost/join/1" in html
    svg = client.get("/join/1/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"


def test_a_phone_joins_and_lands_on_its_tracking_page(client):
    page = client.get("/join/1")
    assert "queue_device=" in page.headers.get("Set-Cookie", "")
    response = client.post("/join/1", data={"service": "B", "priority": "elderly"})
    assert response.status_code == 302 and "/t/" in response.location
    ticket = Ticket.get()
    assert (ticket.source, ticket.priority, ticket.service.code) == ("phone", True, "B")
    assert response.location.endswith("/t/" + ticket.token)


def test_remote_joining_switched_off_or_off_the_office_network(client):
    office = Office.get()
    remote.save(office, "off")
    page = client.get("/join/1?lang=en").get_data(as_text=True)
    assert "Numbers are not taken from phones now" in page and 'name="service"' not in page
    assert client.post("/join/1", data={"service": "A"}).status_code == 403
    remote.save(office, "network", "192.0.2.0/24")
    assert "Wi-Fi" in client.get("/join/1?lang=en").get_data(as_text=True)
    assert client.post("/join/1", data={"service": "A"}).status_code == 403
    remote.save(office, "network", "127.0.0.0/8")
    assert client.post("/join/1", data={"service": "A"}).status_code == 302
    assert Ticket.select().count() == 1


@pytest.fixture
def limited_app(db_url, tmp_path):
    made = []

    def make(device, address):
        app = create_app({**_config_dict(), "DATABASE_URL": db_url, "RATELIMIT_ENABLED": True,
                          "PHONE_DEVICE_RATE": device, "PHONE_ADDRESS_RATE": address,
                          "PRINTER": f"preview://{tmp_path / 'printed'}"})
        made.append(app)
        return app
    yield make
    for app in made:
        app.extensions["printing"].stop()


def _phone(app):
    phone = app.test_client()
    phone.get("/join/1")  # the page gives the device its cookie
    return phone


def test_each_phone_has_its_own_budget(limited_app):
    app = limited_app("2/hour", "100/hour")
    first, second = _phone(app), _phone(app)  # two phones behind one address
    assert [first.post("/join/1", data={"service": "A"}).status_code for _ in range(3)] == \
        [302, 302, 429]
    assert [second.post("/join/1", data={"service": "A"}).status_code for _ in range(3)] == \
        [302, 302, 429]
    refused = first.post("/join/1", data={"service": "B"})
    assert "Điện thoại này đã lấy nhiều số" in refused.get_data(as_text=True)
    assert Ticket.select().where(Ticket.source == "phone").count() == 4


def test_an_address_has_a_larger_budget_for_all_its_phones(limited_app):
    app = limited_app("100/hour", "5/hour")
    statuses = [_phone(app).post("/join/1", data={"service": "A"}).status_code
                for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert Ticket.select().count() == 5


def test_booking_through_the_pages_then_cancel(client):
    day = _tomorrow().isoformat()
    form = client.get(f"/book/1?service=A&day={day}").get_data(as_text=True)
    assert 'value="07:30"' in form and 'value="16:30"' in form
    response = client.post("/book/1", data={"service": "A", "day": day, "start": "08:00",
                                            "name": "Trần Thị B", "phone": "0987 654 321"})
    assert response.status_code == 302 and "/booking/" in response.location
    booking = Booking.get()
    assert (booking.name, booking.phone, f"{booking.start_at:%H:%M}") == \
        ("Trần Thị B", "0987 654 321", "01:00")
    page = client.get(response.location + "&lang=en").get_data(as_text=True)
    assert booking.code[:4] + "-" + booking.code[4:] in page and "Add to my calendar" in page
    assert f"/book/{booking.code}.ics" in page and f"/booking/{booking.code}/qr.svg" in page
    assert client.post(f"/booking/{booking.code}/cancel", data={"code": booking.code}) \
        .status_code == 302
    assert Booking.get().status == "cancelled"
    assert "This booking was cancelled." in client.get(
        f"/booking/{booking.code}?lang=en").get_data(as_text=True)


def test_a_full_slot_is_said_on_the_page(client):
    _book("09:00")
    _book("09:00")
    day = _tomorrow().isoformat()
    assert re.search(r'value="09:00" disabled', client.get(
        f"/book/1?service=A&day={day}").get_data(as_text=True))
    refused = client.post("/book/1?lang=en", data={"service": "A", "day": day, "start": "09:00"})
    assert refused.status_code == 409
    assert "just been taken" in refused.get_data(as_text=True)


def test_kiosk_check_in_by_typed_code_or_scanned_url(client):
    typed, scanned = _book("09:00"), _book("09:30")
    for booking in (typed, scanned):
        _shift(booking, utcnow() + timedelta(minutes=2))
    code = typed.code.lower()
    response = client.post("/kiosk/1/check-in", data={"code": f"{code[:4]}-{code[4:]}"})
    assert response.status_code == 302 and "/kiosk/1/ticket/" in response.location
    scan = client.post("/kiosk/1/check-in",
                       data={"code": f"http://10.1.2.3/booking/{scanned.code}"})
    assert scan.status_code == 302
    assert [t.source for t in Ticket.select()] == ["booked", "booked"]
    again = client.post("/kiosk/1/check-in?lang=en", data={"code": typed.code})
    assert again.status_code == 409 and "already checked in" in again.get_data(as_text=True)


def test_kiosk_check_in_too_early_too_late_and_unknown(client):
    early, late = _book("09:00"), _book("10:00")
    _shift(late, utcnow() - timedelta(minutes=30))
    too_early = client.post("/kiosk/1/check-in?lang=en", data={"code": early.code})
    assert too_early.status_code == 409 and "too early" in too_early.get_data(as_text=True)
    missed = client.post("/kiosk/1/check-in?lang=en", data={"code": late.code})
    assert missed.status_code == 409 and "was missed" in missed.get_data(as_text=True)
    assert Booking.get_by_id(late.id).status == "no_show"
    unknown = client.post("/kiosk/1/check-in?lang=en", data={"code": "ZZZZ-ZZZZ"})
    assert unknown.status_code == 404 and "No booking has this code" in unknown.get_data(
        as_text=True)
    assert Ticket.select().count() == 0


def test_supervisor_blocks_a_slot_and_the_citizen_sees_it(client):
    booking = _book("09:00", name="Phạm D", phone="0911")
    day = _tomorrow().isoformat()
    sign_in(client, "supervisor")
    page = client.get(f"/supervisor/bookings?day={day}&lang=en").get_data(as_text=True)
    assert "Phạm D" in page and "0911" in page and "1 / 2" in page
    response = client.post("/supervisor/bookings/block", data={
        "service_id": booking.service_id, "day": day, "start": "09:00", "blocked": "1",
        "reason": "Cán bộ nghỉ ốm"})
    assert response.status_code == 302
    client.post("/logout")
    seen = client.get(f"/booking/{booking.code}?lang=en").get_data(as_text=True)
    assert "The office cannot serve this time any more." in seen and "Cán bộ nghỉ ốm" in seen


def test_admin_settings_make_a_service_bookable_and_set_the_switch(client):
    sign_in(client, "admin")
    b = Service.get(Service.code == "B")
    assert "Takes bookings" in client.get("/admin/bookings/1?lang=en").get_data(as_text=True)
    saved = client.post("/admin/bookings/1", data={
        "form": f"s{b.id}", f"s{b.id}-service_id": b.id, f"s{b.id}-bookable": "y",
        f"s{b.id}-slot_minutes": "20", f"s{b.id}-capacity": "3", f"s{b.id}-days_ahead": "5",
        f"s{b.id}-hours_from": "08:00", f"s{b.id}-hours_to": "10:00",
        f"s{b.id}-cutoff_minutes": "60"})
    assert saved.status_code == 302
    settings = slots.settings_for(b)
    assert (settings.slot_minutes, settings.capacity, settings.hours_to) == (20, 3, "10:00")
    assert client.post("/admin/bookings/1", data={"form": "join", "mode": "network",
                                                   "networks": "10.0.0.0/8"}).status_code == 302
    assert remote.settings_for(Office.get()).mode == "network"
    bad = client.post("/admin/bookings/1", data={"form": "join", "mode": "network",
                                                 "networks": "not a range"})
    assert bad.status_code == 200 and remote.settings_for(Office.get()).networks == "10.0.0.0/8"


def test_housekeeping_marks_no_shows_and_erases_old_personal_data(client):
    late = _book("09:00", name="Đỗ E")
    old = _book("09:30", name="Võ F", phone="0900")
    _shift(late, utcnow() - timedelta(minutes=20))
    _shift(old, utcnow() - timedelta(days=40))
    assert housekeeping.close_bookings(after_min=10, keep_days=30) == (2, 1)
    late, old = Booking.get_by_id(late.id), Booking.get_by_id(old.id)
    assert (late.status, late.name) == ("no_show", "Đỗ E")
    assert (old.status, old.name, old.phone) == ("no_show", "", "")
