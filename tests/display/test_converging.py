"""Screens converge on the truth: numbered messages, resync, sync beats, live set-up changes."""
from queue_server import screen_sync
from queue_server.engine import admin, boards, counters, screens, tickets

from ..factories import demo_counter, demo_user
from .conftest import events


def call_next(client, auth_header, number=1, user="clerk1"):
    response = client.post(f"/api/v1/counters/{demo_counter(number).id}/call-next",
                           headers=auth_header(user))
    assert response.status_code == 200, response.json
    return response.json["ticket"]


def test_every_message_carries_the_next_number_after_the_snapshot(board, office, issue,
                                                                  client, auth_header):
    issue("A")
    issue("B")
    counters.sign_in(demo_counter(1).id, demo_user("clerk1"))  # or the call signs in
    socket = board({"office": office.id})
    (name, snapshot), = events(socket)
    assert name == "snapshot" and snapshot["seq"] == screens.current_seq(office.id)
    call_next(client, auth_header, 1)
    issue("C")
    numbers = [payload["seq"] for _, payload in events(socket)]
    # ticket_called, queue_changed, queue_changed: one after another, none skipped
    assert numbers == list(range(snapshot["seq"] + 1, snapshot["seq"] + 1 + len(numbers)))
    assert len(numbers) == 3


def test_resync_sends_a_fresh_snapshot_with_what_changed(board, office, issue):
    socket = board({"office": office.id})
    events(socket)
    # A change the board never heard of (as when the message queue lost it):
    tickets.issue(office, "D")
    socket.get_received("/display")  # dropped on the floor
    socket.emit("resync", namespace="/display")
    (name, snapshot), = events(socket)
    assert name == "snapshot"
    assert {r["service"]: r["waiting"] for r in snapshot["waiting"]}["D"] == 1
    assert snapshot["seq"] == screens.current_seq(office.id)


def test_the_sync_beat_tells_each_room_its_office_number(board, office, issue):
    whole = board({"office": office.id})
    desk = board({"counter": demo_counter(2).id})
    boards.save_zone(office, "upstairs", services=["C"])
    zone = board({"office": office.id, "zone": "upstairs"})
    for socket in (whole, desk, zone):
        events(socket)
    issue("A")
    screen_sync.beat()
    now = screens.current_seq(office.id)
    for socket in (whole, desk, zone):
        assert events(socket, "sync") == [{"seq": now}]


def test_a_changed_notice_reaches_open_boards(board, office, app):
    whole = board({"office": office.id})
    desk = board({"counter": demo_counter(1).id})
    events(whole)
    events(desk)
    with app.app_context():
        admin.save_office(office, name=office.name, timezone=office.timezone,
                          notice="Nghỉ trưa 11:30–13:30")
    (refresh,) = events(whole, "refresh")
    assert refresh["seq"] == screens.current_seq(office.id)
    assert events(desk, "refresh")  # the counter display asks again too
    whole.emit("resync", namespace="/display")
    (snapshot,) = events(whole, "snapshot")
    assert snapshot["office"]["notice"] == "Nghỉ trưa 11:30–13:30"


def test_a_new_service_reaches_open_boards(board, office, app):
    socket = board({"office": office.id})
    events(socket)
    with app.app_context():
        admin.save_service(office, code="E", name_vi="Tư pháp", prefix="E")
    assert events(socket, "refresh")
    socket.emit("resync", namespace="/display")
    (snapshot,) = events(socket, "snapshot")
    assert "E" in [row["service"] for row in snapshot["waiting"]]
