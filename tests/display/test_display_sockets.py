"""The /display namespace: snapshot first, calls pushed to the right boards, keys."""
from datetime import datetime

from queue_server.engine import boards, counters
from queue_server.models import Office, Ticket

from ..factories import demo_counter, demo_user
from .conftest import events


def call_next(client, auth_header, counter_number, user="clerk1"):
    response = client.post(f"/api/v1/counters/{demo_counter(counter_number).id}/call-next",
                           headers=auth_header(user))
    assert response.status_code == 200, response.json
    return response.json["ticket"]


def test_snapshot_is_the_first_event_and_shows_the_office(board, office, issue):
    issue("A")
    issue("A")
    issue("C")
    socket = board({"office": office.id})
    received = events(socket)
    assert received[0][0] == "snapshot"
    snapshot = received[0][1]
    assert snapshot["office"]["name"] == office.name
    assert snapshot["current"] == [] and snapshot["recent"] == []
    waiting = {row["service"]: row["waiting"] for row in snapshot["waiting"]}
    assert waiting == {"A": 2, "B": 0, "C": 1, "D": 0}
    assert [c["counter"] for c in snapshot["counters"]] == [1, 2, 3, 4]


def test_call_next_through_the_api_pushes_ticket_called(board, office, issue, client,
                                                         auth_header):
    issue("A")
    socket = board({"office": office.id})
    events(socket)  # the snapshot
    ticket = call_next(client, auth_header, 1)
    called = events(socket, "ticket_called")
    assert called == [{"number": ticket["number"], "counter": 1, "counter_name": "Quầy 1",
                       "service": "A", "called_at": called[0]["called_at"], "recall": False,
                       "seq": called[0]["seq"]}]
    assert datetime.fromisoformat(called[0]["called_at"]).utcoffset() is not None


def test_a_call_changes_the_waiting_counts_on_the_board(board, office, issue, client,
                                                        auth_header):
    issue("A")
    counters.sign_in(demo_counter(1).id, demo_user("clerk1"))  # or the call signs in
    socket = board({"office": office.id})
    events(socket)
    issue("B")
    assert {r["service"]: r["waiting"] for r in events(socket, "queue_changed")[0]["waiting"]
            }["B"] == 1
    call_next(client, auth_header, 1)
    names = [name for name, _ in events(socket)]
    assert names == ["ticket_called", "queue_changed"]


def test_a_board_hears_a_counter_finish_but_not_its_start(board, office, issue, client,
                                                          auth_header):
    issue("A")
    socket = board({"office": office.id})
    events(socket)
    ticket = call_next(client, auth_header, 1)
    events(socket)
    client.post(f"/api/v1/tickets/{ticket['id']}/start", headers=auth_header("clerk1"))
    assert events(socket) == []  # the board already shows the number at its counter
    client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=auth_header("clerk1"))
    # The freed counter comes with the board's (throttled) waiting counts.
    update = events(socket)
    assert [name for name, _ in update] == ["queue_changed"]
    assert [(c["counter"], c["number"]) for c in update[0][1]["counters"]] == [(1, None)]


def test_freed_counters_wait_for_the_board_update_and_are_read_when_it_goes(
        board, office, issue, client, auth_header, monkeypatch):
    from queue_server import events as server_events

    issue("A")
    issue("A")
    socket = board({"office": office.id})
    first = call_next(client, auth_header, 1)
    events(socket)
    due = []  # the board update is not due yet (the throttle holds it)
    monkeypatch.setattr(server_events, "_queue_changed", due.append)
    client.post(f"/api/v1/tickets/{first['id']}/start", headers=auth_header("clerk1"))
    client.post(f"/api/v1/tickets/{first['id']}/finish", headers=auth_header("clerk1"))
    second = call_next(client, auth_header, 1)
    assert [name for name, _ in events(socket)] == ["ticket_called"]  # the call, at once
    assert set(due) == {office.id}
    server_events.emit_queue_changed(office.id)  # the throttle's run
    update = events(socket, "queue_changed")
    # Read when it goes out: counter 1 already shows the next number again.
    assert [(c["counter"], c["number"]) for c in update[0]["counters"]] == [
        (1, second["number"])]
    server_events.emit_queue_changed(office.id)
    assert events(socket, "queue_changed")[0]["counters"] == []  # sent once


def test_reconnect_gets_a_snapshot_with_the_current_call(board, office, issue, client,
                                                         auth_header):
    issue("A")
    ticket = call_next(client, auth_header, 1)
    snapshot = events(board({"office": office.id}), "snapshot")[0]
    assert [c["number"] for c in snapshot["current"]] == [ticket["number"]]
    assert snapshot["current"][0] == boards.call_view(Ticket.get_by_id(ticket["id"]))
    assert [c["number"] for c in snapshot["recent"]] == [ticket["number"]]
    assert snapshot["counters"][0]["number"] == ticket["number"]


def test_recall_flashes_again_with_recall_true(board, office, issue, client, auth_header):
    issue("A")
    ticket = call_next(client, auth_header, 1)
    socket = board({"office": office.id})
    events(socket)
    response = client.post(f"/api/v1/tickets/{ticket['id']}/recall", headers=auth_header())
    assert response.status_code == 200
    called = events(socket, "ticket_called")
    assert [(c["number"], c["recall"]) for c in called] == [(ticket["number"], True)]


def test_a_zone_board_gets_only_its_services_and_counters(board, office, issue, client,
                                                          auth_header):
    boards.save_zone(office, "land", services=["C"])
    boards.save_zone(office, "desks-1-2", counters=[1, 2])
    issue("A")
    issue("C")
    land = board({"office": office.id, "zone": "land"})
    desks = board({"office": office.id, "zone": "desks-1-2"})
    whole = board({"office": office.id})
    land_snapshot = events(land, "snapshot")[0]
    assert [row["service"] for row in land_snapshot["waiting"]] == ["C"]
    assert [c["counter"] for c in events(desks, "snapshot")[0]["counters"]] == [1, 2]
    events(whole)

    a_ticket = call_next(client, auth_header, 1)
    c_ticket = call_next(client, auth_header, 3, user="clerk3")
    assert [c["number"] for c in events(land, "ticket_called")] == [c_ticket["number"]]
    assert [c["number"] for c in events(desks, "ticket_called")] == [a_ticket["number"]]
    assert [c["number"] for c in events(whole, "ticket_called")] == [a_ticket["number"],
                                                                     c_ticket["number"]]


def test_unknown_zone_or_office_is_refused(board, office):
    board({"office": office.id, "zone": "nowhere"}, expect=False)
    board({"office": 999}, expect=False)
    board({"office": "not a number"}, expect=False)
    board(None, expect=False)


def test_a_wrong_display_key_is_refused(board, office, app):
    Office.update(display_key="s3cret-key").where(Office.id == office.id).execute()
    board({"office": office.id}, expect=False)
    board({"office": office.id, "key": "guess"}, expect=False)
    counter = demo_counter(1)
    board({"counter": counter.id, "key": "guess"}, expect=False)
    socket = board({"office": office.id, "key": "s3cret-key"})
    assert events(socket)[0][0] == "snapshot"


def test_counter_display_follows_its_counter(board, office, issue, client, auth_header):
    issue("A")
    issue("B")
    counter = demo_counter(2)
    socket = board({"counter": counter.id})
    snapshot = events(socket, "snapshot")[0]
    assert snapshot["counter"]["state"] == "closed" and snapshot["counter"]["number"] is None
    other = board({"counter": demo_counter(1).id})
    events(other)

    ticket = call_next(client, auth_header, 2, user="clerk2")
    assert [c["number"] for c in events(socket, "ticket_called")] == [ticket["number"]]
    assert events(other, "ticket_called") == []

    client.post(f"/api/v1/tickets/{ticket['id']}/start", headers=auth_header("clerk2"))
    client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=auth_header("clerk2"))
    changes = events(socket, "counter_changed")
    assert [c["number"] for c in changes] == [ticket["number"], None]

    counters.sign_in(counter.id, demo_user("clerk2"))
    counters.pause(counter.id)
    assert [c["state"] for c in events(socket, "counter_changed")] == ["open", "paused"]
