"""The citizen's and clerk's flows through the test client, as a user notices them."""
from datetime import timedelta

from queue_server import socketio
from queue_server.models import Rating, Ticket, utcnow

from .helpers import current_ticket_id, sign_in, take_ticket


def test_kiosk_console_tracking_rating(client):
    token = take_ticket(client, "A")
    page = client.get(f"/kiosk/1/ticket/{token}").get_data(as_text=True)
    assert "A001" in page and "/t/" + token + "/qr.svg" in page
    qr = client.get(f"/t/{token}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert "Đang chờ" in client.get(f"/t/{token}").get_data(as_text=True)

    sign_in(client, "clerk1", counter=1)
    console = client.post("/counter/call-next", follow_redirects=True).get_data(as_text=True)
    assert "A001" in console
    assert "Đến lượt quý khách: quầy số 1" in client.get(f"/t/{token}").get_data(as_text=True)
    assert "Your turn: counter 1" in client.get(f"/t/{token}?lang=en").get_data(as_text=True)
    client.get("/counter?lang=vi")

    ticket_id = current_ticket_id(console)
    client.post("/counter/start", data={"ticket_id": ticket_id})
    done = client.post("/counter/finish", data={"ticket_id": ticket_id}, follow_redirects=True)
    assert "Đã phục vụ hôm nay tại quầy này: <strong data-served>1</strong>" in done.get_data(as_text=True)

    tablet = client.get("/rate/1").get_data(as_text=True)
    assert "A001" in tablet and "Rất hài lòng" in tablet and "Không hài lòng" in tablet
    response = client.post("/rate/1", data={"ticket_id": ticket_id, "level": "very_satisfied",
                                            "comment": "Tốt"})
    assert response.status_code == 302 and response.location.endswith("/rate/1/thanks")
    rating = Rating.get()
    assert (rating.ticket_id, rating.counter.number, rating.clerk.username, rating.score,
            rating.comment) == (ticket_id, 1, "clerk1", 4, "Tốt")
    # One rating per ticket: the tablet is idle again and a second vote is refused.
    assert "A001" not in client.get("/rate/1").get_data(as_text=True)
    again = client.post("/rate/1", data={"ticket_id": ticket_id, "level": "dissatisfied"},
                        follow_redirects=True)
    assert "không thể đánh giá" in again.get_data(as_text=True) and Rating.select().count() == 1


def test_tablet_rates_only_its_counters_latest_ticket(client):
    sign_in(client, "clerk1", counter=1)
    ids = []
    for _ in range(2):
        take_ticket(client, "A")
        ticket_id = current_ticket_id(client.post("/counter/call-next", follow_redirects=True)
                                      .get_data(as_text=True))
        client.post("/counter/start", data={"ticket_id": ticket_id})
        client.post("/counter/finish", data={"ticket_id": ticket_id})
        ids.append(ticket_id)
    client.post("/rate/1", data={"ticket_id": ids[0], "level": "satisfied"})
    client.post("/rate/2", data={"ticket_id": ids[1], "level": "satisfied"})  # another counter
    assert Rating.select().count() == 0
    # A minute later the tablet is idle: the window has passed.
    Ticket.update(finished_at=utcnow() - timedelta(minutes=5)).execute()
    assert "A002" not in client.get("/rate/1").get_data(as_text=True)


def test_priority_ticket_from_the_kiosk_goes_first(client):
    take_ticket(client, "A")
    token = take_ticket(client, "A", priority="elderly")
    assert Ticket.get(Ticket.token == token).priority
    sign_in(client, "clerk1", counter=1)
    console = client.post("/counter/call-next", follow_redirects=True).get_data(as_text=True)
    assert "A002" in console and "Ưu tiên" in console


def test_pause_stops_calls_until_resumed(client):
    take_ticket(client, "A")
    sign_in(client, "clerk1", counter=1)
    paused = client.post("/counter/pause", follow_redirects=True).get_data(as_text=True)
    assert "Quầy đang tạm dừng" in paused
    refused = client.post("/counter/call-next", follow_redirects=True)
    assert refused.status_code == 200
    assert "hãy tiếp tục để gọi số" in refused.get_data(as_text=True)
    assert Ticket.get().status == "waiting"
    client.post("/counter/resume")
    assert "A001" in client.post("/counter/call-next", follow_redirects=True).get_data(as_text=True)


def test_transfer_shows_in_the_other_services_queue(client):
    token = take_ticket(client, "A")
    sign_in(client, "clerk1", counter=1)
    ticket_id = current_ticket_id(client.post("/counter/call-next", follow_redirects=True)
                                  .get_data(as_text=True))
    moved = client.post("/counter/transfer", data={"ticket_id": ticket_id, "service": "C"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Đã chuyển số A001 sang dịch vụ C" in moved
    client.post("/logout")
    sign_in(client, "clerk3", counter=3)  # counter 3 serves C
    console = client.get("/counter").get_data(as_text=True)
    assert 'data-waiting="C">1<' in console
    # The citizen's link follows the ticket into the new line.
    assert "Đất đai" in client.get(f"/t/{token}").get_data(as_text=True)
    assert "A001" in client.post("/counter/call-next", follow_redirects=True).get_data(as_text=True)


def test_conflict_is_a_message_not_an_error_page(client, app):
    take_ticket(client, "A")
    sign_in(client, "clerk1", counter=1)
    ticket_id = current_ticket_id(client.post("/counter/call-next", follow_redirects=True)
                                  .get_data(as_text=True))
    # Someone else (the API, a supervisor) marks it no-show meanwhile.
    from queue_server.engine import tickets
    tickets.no_show(ticket_id)
    stale = client.post("/counter/start", data={"ticket_id": ticket_id}, follow_redirects=True)
    assert stale.status_code == 200
    html = stale.get_data(as_text=True)
    assert "Số này vừa được thay đổi" in html and 'role="alert"' in html


def test_closed_office_kiosk_issues_nothing(client, office):
    office.opening_hours = '{"mon": [["00:00", "00:01"]]}'
    office.save()
    page = client.get("/kiosk/1")
    assert "Hiện đã hết giờ làm việc" in page.get_data(as_text=True)
    assert b'name="service"' not in page.data
    refused = client.post("/kiosk/1", data={"service": "A"})
    assert refused.status_code == 409 and Ticket.select().count() == 0
    assert "Closed now" not in refused.get_data(as_text=True)


def test_printer_failure_is_said_plainly_and_the_ticket_counts(client, monkeypatch):
    from queue_server.views import kiosk
    monkeypatch.setattr(kiosk, "print_ticket", lambda ticket: "failed")
    response = client.post("/kiosk/1", data={"service": "B"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Máy in đang gặp sự cố" in html and "B001" in html
    assert Ticket.get().number == "B001"


def test_tracking_socket_snapshot_then_live_call(app, client):
    token = take_ticket(client, "A")
    take_ticket(client, "A")
    second = Ticket.get(Ticket.number == "A002").token
    phone = socketio.test_client(app, namespace="/track", auth={"token": second})
    first = phone.get_received("/track")
    assert first[0]["name"] == "ticket_update"
    assert first[0]["args"][0]["ahead"] == 1 and first[0]["args"][0]["number"] == "A002"
    mine = socketio.test_client(app, namespace="/track", auth={"token": token})
    mine.get_received("/track")
    sign_in(client, "clerk1", counter=1)
    client.post("/counter/call-next")
    called = [m["args"][0] for m in mine.get_received("/track")
              if m["name"] == "ticket_update"][-1]
    assert called["status"] == "called" and called["counter"] == 1
    moved = [m["args"][0] for m in phone.get_received("/track") if m["name"] == "line_changed"]
    assert moved[-1]["line"].index("A002") == 0  # the phone's new place: first in line
    refused = socketio.test_client(app, namespace="/track", auth={"token": "nope"})
    assert not refused.is_connected("/track")


def test_kiosk_keeps_its_printer_choice_across_tickets(client):
    response = client.post("/kiosk/1?printer=2", data={"service": "A"})
    assert "printer=2" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "/kiosk/1?lang=vi&amp;printer=2" in page  # the way back keeps it (and goes to vi)
