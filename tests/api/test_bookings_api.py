"""The bookings API: slots, book (201 / 409 slot_full), read, cancel, .ics, check-in
(201 with the ticket / 409 outside_check_in_window), staff views, and phones' tickets."""
from datetime import timedelta

from icalendar import Calendar

from queue_server.engine import remote, slots
from queue_server.models import Office, Service, Ticket, utcnow
from queue_server.models.bookings import Booking


def _tomorrow():
    from queue_server.engine.clock import business_day

    return (business_day(Office.get()) + timedelta(days=1)).isoformat()


def _service_a():
    return Service.get(Service.code == "A").id


def book(client, start="09:00", **extra):
    return client.post("/api/v1/bookings", json={"service": _service_a(), "day": _tomorrow(),
                                                 "start": start, **extra})


def test_slots_of_a_day(client):
    response = client.get(f"/api/v1/services/{_service_a()}/slots?day={_tomorrow()}")
    assert response.status_code == 200
    rows = response.json
    assert rows[0] == {"start": "07:30", "end": "08:00", "free": 2, "capacity": 2, "booked": 0,
                       "blocked": False, "start_at": rows[0]["start_at"]}
    assert len(rows) == 19
    b = Service.get(Service.code == "B").id
    assert client.get(f"/api/v1/services/{b}/slots?day={_tomorrow()}").json == []
    assert client.get(f"/api/v1/services/999/slots?day={_tomorrow()}").status_code == 404
    bad = client.get(f"/api/v1/services/{_service_a()}/slots?day=tomorrow")
    assert (bad.status_code, bad.json["error"]["code"]) == (400, "invalid_input")


def test_book_then_full_is_409_slot_full(client):
    first = book(client, name="Nguyễn Văn A", phone="0912 345 678")
    assert first.status_code == 201
    body = first.json
    assert {k: body[k] for k in ("service", "service_code", "day", "start", "end", "status",
                                 "name", "phone", "ticket", "blocked")} == {
        "service": _service_a(), "service_code": "A", "day": _tomorrow(), "start": "09:00",
        "end": "09:30", "status": "booked", "name": "Nguyễn Văn A", "phone": "0912 345 678",
        "ticket": None, "blocked": False}
    assert len(body["code"]) == 8 and body["url"].endswith("/booking/" + body["code"])
    assert book(client).status_code == 201
    full = book(client)
    assert (full.status_code, full.json["error"]["code"]) == (409, "slot_full")
    assert Booking.select().count() == 2
    slot = [s for s in client.get(f"/api/v1/services/{_service_a()}/slots?day={_tomorrow()}")
            .json if s["start"] == "09:00"][0]
    assert (slot["free"], slot["booked"]) == (0, 2)


def test_bad_bookings_are_refused_and_write_nothing(client):
    for body, status, code in (
            ({"service": _service_a(), "day": _tomorrow(), "start": "12:15"}, 409,
             "slot_unavailable"),
            ({"service": _service_a(), "day": _tomorrow(), "start": "9:00"}, 400,
             "invalid_input"),
            ({"service": _service_a(), "day": _tomorrow(), "start": "09:00", "phone": "abc"},
             400, "invalid_input"),
            ({"service": 99999, "day": _tomorrow(), "start": "09:00"}, 404, "unknown_service"),
            ({"service": "A", "day": _tomorrow(), "start": "09:00"}, 400, "invalid_input"),
            ({"day": _tomorrow(), "start": "09:00"}, 400, "invalid_input")):
        response = client.post("/api/v1/bookings", json=body)
        assert (response.status_code, response.json["error"]["code"]) == (status, code), body
    assert Booking.select().count() == 0


def test_read_cancel_and_ics_by_code(client):
    code = book(client, start="10:00", name="Lê C").json["code"]
    read = client.get(f"/api/v1/bookings/{code.lower()}")
    assert (read.status_code, read.json["code"], read.json["name"]) == (200, code, "Lê C")
    ics = client.get(f"/book/{code}.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat() == read.json["start_at"]
    assert (event.decoded("dtend") - event.decoded("dtstart")) == timedelta(minutes=30)
    assert code[:4] + "-" + code[4:] in str(event.get("description"))
    cancelled = client.delete(f"/api/v1/bookings/{code}")
    assert (cancelled.status_code, cancelled.json["status"]) == (200, "cancelled")
    again = client.delete(f"/api/v1/bookings/{code}")
    assert (again.status_code, again.json["error"]["code"]) == (409, "not_cancellable")
    assert b"STATUS:CANCELLED" in client.get(f"/book/{code}.ics").data
    for path in ("/api/v1/bookings/NOSUCHCD", "/api/v1/bookings/x", "/book/ZZZZZZZZ.ics"):
        assert client.get(path).status_code == 404, path


def _shift(code, start_at):
    Booking.update(start_at=start_at, end_at=start_at + timedelta(minutes=30)).where(
        Booking.code == code).execute()


def test_check_in_gives_201_with_the_ticket_or_409_outside_the_window(client):
    code = book(client).json["code"]
    early = client.post(f"/api/v1/bookings/{code}/check-in")
    assert (early.status_code, early.json["error"]["code"]) == (409, "outside_check_in_window")
    _shift(code, utcnow() + timedelta(minutes=5))  # the slot starts in 5 minutes
    checked = client.post(f"/api/v1/bookings/{code}/check-in")
    assert checked.status_code == 201
    assert (checked.json["source"], checked.json["status"], checked.json["booking"]) == \
        ("booked", "waiting", code)
    assert checked.json["number"].startswith("A")
    assert client.get(f"/api/v1/bookings/{code}").json["ticket"] == checked.json["number"]
    twice = client.post(f"/api/v1/bookings/{code}/check-in")
    assert (twice.status_code, twice.json["error"]["code"]) == (409, "already_checked_in")
    late = book(client, start="11:00").json["code"]
    _shift(late, utcnow() - timedelta(minutes=11))
    missed = client.post(f"/api/v1/bookings/{late}/check-in")
    assert (missed.status_code, missed.json["error"]["code"]) == (409, "outside_check_in_window")
    assert client.get(f"/api/v1/bookings/{late}").json["status"] == "no_show"
    assert Ticket.select().count() == 1


def test_check_in_needs_the_kiosk_key_or_the_office_network_once_set(client):
    office = Office.get()
    code = book(client).json["code"]
    _shift(code, utcnow())
    office.kiosk_key = "kiosk-secret"
    office.save()
    refused = client.post(f"/api/v1/bookings/{code}/check-in")
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "not_on_site")
    remote.save(office, "open", "127.0.0.0/8")  # the test client's address is 127.0.0.1
    assert client.post(f"/api/v1/bookings/{code}/check-in").status_code == 201


def test_check_in_with_the_kiosk_key(client):
    office = Office.get()
    office.kiosk_key = "kiosk-secret"
    office.save()
    code = book(client).json["code"]
    _shift(code, utcnow())
    checked = client.post(f"/api/v1/bookings/{code}/check-in",
                          headers={"X-Kiosk-Key": "kiosk-secret"})
    assert checked.status_code == 201


def test_phone_tickets_carry_their_source_and_obey_the_office_switch(client):
    office = Office.get()
    phone = client.post("/api/v1/tickets", json={"service": "A", "source": "phone"})
    assert (phone.status_code, phone.json["source"]) == (201, "phone")
    assert client.post("/api/v1/tickets", json={"service": "A"}).json["source"] == "api"
    wrong = client.post("/api/v1/tickets", json={"service": "A", "source": "booked"})
    assert wrong.status_code == 400
    remote.save(office, "off")
    off = client.post("/api/v1/tickets", json={"service": "A", "source": "phone"})
    assert (off.status_code, off.json["error"]["code"]) == (403, "remote_join_off")
    remote.save(office, "network", "192.0.2.0/24")  # documentation range: never reached
    away = client.post("/api/v1/tickets", json={"service": "A", "source": "phone"})
    assert (away.status_code, away.json["error"]["code"]) == (403, "not_on_office_network")
    remote.save(office, "network", "127.0.0.1")
    assert client.post("/api/v1/tickets",
                       json={"service": "A", "source": "phone"}).status_code == 201
    assert Ticket.select().where(Ticket.source == "phone").count() == 2


def test_staff_see_bookings_per_slot_and_a_supervisor_blocks_one(client, auth_header):
    code = book(client, name="Phạm D").json["code"]
    listed = client.get(f"/api/v1/bookings?day={_tomorrow()}", headers=auth_header("clerk1"))
    assert listed.status_code == 200
    (service,) = listed.json
    nine = [s for s in service["slots"] if s["start"] == "09:00"][0]
    assert [(b["code"], b["name"]) for b in nine["bookings"]] == [(code, "Phạm D")]
    path = f"/api/v1/services/{_service_a()}/blocked-slots"
    body = {"day": _tomorrow(), "start": "09:00", "reason": "Cán bộ vắng"}
    assert client.post(path, json=body, headers=auth_header("clerk1")).status_code == 403
    blocked = client.post(path, json=body, headers=auth_header("supervisor"))
    assert (blocked.status_code, blocked.json["blocked"], blocked.json["free"]) == (200, True, 0)
    seen = client.get(f"/api/v1/bookings/{code}").json
    assert (seen["blocked"], seen["blocked_reason"]) == (True, "Cán bộ vắng")
    assert book(client).json["error"]["code"] == "slot_blocked"
    assert client.get(f"/api/v1/bookings?day={_tomorrow()}").status_code == 401


def test_the_demo_service_a_is_bookable_as_documented(app):
    settings = slots.settings_for(Service.get(Service.code == "A"))
    assert (settings.slot_minutes, settings.capacity, settings.days_ahead) == (30, 2, 7)
