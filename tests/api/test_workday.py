"""The clerk's and supervisor's API of issue 16, as an integrator would drive it."""
import csv
import io

from openpyxl import load_workbook

from queue_server import socketio
from queue_server.engine import boards, calling, counters, ratings, tickets
from queue_server.engine.stats import live
from queue_server.events import DISPLAY_NS
from queue_server.models import Counter, Service, Ticket

from ..factories import demo_counter, demo_user


def post(client, path, headers, body=None):
    return client.post("/api/v1" + path, json=body, headers=headers) if body is not None \
        else client.post("/api/v1" + path, headers=headers)


def board_events(sock):
    return [(e["name"], e["args"][0]) for e in sock.get_received(DISPLAY_NS)]


def test_signing_out_with_a_called_ticket_no_longer_strands_it(app, client, office,
                                                               auth_header):
    """Issue 16's first finding: counter 3 "closed" yet "serving A004" on the dashboard,
    "A004 -> 3" on the board and the counter display, and nothing could recover it."""
    clerk = auth_header("clerk3")
    ticket = tickets.issue(office, "C")
    desk = demo_counter(3).id
    assert post(client, f"/counters/{desk}/call-next", clerk).status_code == 200
    board = socketio.test_client(app, namespace=DISPLAY_NS, auth={"office": office.id},
                                 flask_test_client=client)
    display = socketio.test_client(app, namespace=DISPLAY_NS,
                                   auth={"counter": desk},
                                   flask_test_client=client)
    board_events(board), board_events(display)

    refused = post(client, f"/counters/{desk}/sign-out", clerk)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "counter_has_ticket"
    assert Counter.get_by_id(desk).clerk_id == demo_user("clerk3").id  # nothing changed
    assert post(client, f"/counters/{desk}/sign-out", clerk,
                {"ticket": "maybe"}).status_code == 400

    out = post(client, f"/counters/{desk}/sign-out", clerk, {"ticket": "release"})
    assert out.status_code == 200 and out.json["clerk"] is None
    assert Ticket.get_by_id(ticket.id).status == "waiting"
    # The board drops "C001 -> 3" from now serving and counts it waiting again ...
    received = board_events(board)
    freed = [c for name, p in received if name == "queue_changed" for c in p["counters"]]
    freed += [p for name, p in received if name == "counter_changed"]
    assert freed and all(c["number"] is None for c in freed if c["counter"] == 3)
    waiting = [p["waiting"] for name, p in received if name == "queue_changed"][-1]
    assert {r["service"]: r["waiting"] for r in waiting}["C"] == 1
    assert boards.current_calls(office) == []
    # ... the counter display and the dashboard too.
    assert boards.counter_state(Counter.get_by_id(desk))["number"] is None
    assert [p["number"] for name, p in board_events(display) if name == "counter_changed"][-1] \
        is None
    row = live.snapshot(office)["counters"][2]
    assert (row["state"], row["ticket"]) == ("closed", None)
    board.disconnect(namespace=DISPLAY_NS)
    display.disconnect(namespace=DISPLAY_NS)


def test_waiting_list_and_calling_a_chosen_number(client, office, auth_header):
    clerk = auth_header("clerk1")
    a1, b1 = tickets.issue(office, "A"), tickets.issue(office, "B")
    tickets.issue(office, "C")
    desk = demo_counter(1).id
    listed = client.get(f"/api/v1/counters/{desk}/waiting", headers=clerk)
    assert listed.status_code == 200
    assert [(t["number"], t["service"]) for t in listed.json] == [(a1.number, "A"),
                                                                  (b1.number, "B")]
    assert set(listed.json[0]) >= {"id", "number", "service", "priority", "issued_at",
                                   "waited_s", "source"}
    called = post(client, f"/counters/{desk}/call", clerk, {"ticket": b1.id})
    assert called.status_code == 200 and called.json["ticket"]["number"] == b1.number
    again = post(client, f"/counters/{demo_counter(2).id}/call", auth_header("clerk2"),
                 {"ticket": b1.id})
    assert again.status_code == 409 and again.json["error"]["code"] == "not_waiting"
    c = Ticket.get(Ticket.service == Service.get(Service.code == "C").id)
    post(client, f"/tickets/{b1.id}/finish", clerk)
    wrong = post(client, f"/counters/{desk}/call", clerk, {"ticket": c.id})
    assert wrong.status_code == 409 and wrong.json["error"]["code"] == "not_served_here"
    assert post(client, f"/counters/{desk}/call", clerk, {"ticket": "1"}).status_code == 400


def test_undo_no_show_note_and_finish_and_call_next(client, office, auth_header):
    clerk = auth_header("clerk1")
    first, second = tickets.issue(office, "A"), tickets.issue(office, "A")
    desk = demo_counter(1).id
    post(client, f"/counters/{desk}/call-next", clerk)
    assert post(client, f"/tickets/{first.id}/no-show", clerk).json["status"] == "no_show"
    other = post(client, f"/tickets/{first.id}/undo-no-show", auth_header("clerk2"))
    assert other.status_code == 403
    undone = post(client, f"/tickets/{first.id}/undo-no-show", clerk)
    assert undone.status_code == 200 and undone.json["status"] == "waiting"
    assert post(client, f"/tickets/{first.id}/undo-no-show", clerk).status_code == 409
    post(client, f"/counters/{desk}/call-next", clerk)
    noted = post(client, f"/tickets/{first.id}/note", clerk, {"text": "Thiếu tờ khai"})
    assert noted.status_code == 200 and noted.json["note"] == "Thiếu tờ khai"
    assert post(client, f"/tickets/{first.id}/note", clerk, {"text": 5}).status_code == 400
    both = post(client, f"/counters/{desk}/finish-and-call-next", clerk, {"ticket": first.id})
    assert both.status_code == 200
    assert (both.json["finished"]["status"], both.json["called"]["number"]) == (
        "done", second.number)


def test_alerts_and_release_by_a_supervisor(client, office, auth_header):
    boss = auth_header("supervisor")
    assert client.get("/api/v1/alerts", headers=auth_header("clerk1")).status_code == 403
    ticket = tickets.issue(office, "C")
    counters.sign_in(demo_counter(3).id, demo_user("clerk3"))
    calling.call_next(demo_counter(3).id)
    counters.pause(demo_counter(3).id)
    found = client.get(f"/api/v1/alerts?office={office.id}", headers={
        **boss, "Accept-Language": "en"})
    assert found.status_code == 200
    [stranded] = [a for a in found.json if a["kind"] == "counter_closed_with_ticket"]
    assert stranded["message"] == f"Counter 3 is paused but still holds ticket {ticket.number}."
    assert stranded["since"]
    assert post(client, f"/tickets/{ticket.id}/release", auth_header("clerk3")).status_code \
        == 403
    released = post(client, f"/tickets/{ticket.id}/release", boss)
    assert released.status_code == 200 and released.json["status"] == "waiting"
    assert post(client, f"/tickets/{ticket.id}/release", boss).status_code == 409
    kinds = [a["kind"] for a in client.get("/api/v1/alerts", headers=boss).json]
    assert "counter_closed_with_ticket" not in kinds and "unserved_waiting" in kinds


def test_supervisor_moves_waiting_and_opens_a_counter_for_a_service(client, office,
                                                                     auth_header):
    boss = auth_header("supervisor")
    for _ in range(3):
        tickets.issue(office, "D")
    moved = post(client, "/services/move-waiting", boss, {"from": "D", "to": "C"})
    assert moved.status_code == 200 and moved.json == {"moved": 3}
    assert post(client, "/services/move-waiting", boss, {"from": "C", "to": "C"}
                ).status_code == 409
    opened = post(client, f"/counters/{demo_counter(1).id}/services", boss,
                  {"service": "C", "serves": True})
    assert opened.status_code == 200 and opened.json["services"] == ["A", "B", "C"]
    assert post(client, f"/counters/{demo_counter(1).id}/services", boss,
                {"service": "C", "serves": True}).status_code == 409


def _served_and_rated(office, comment, level=2):
    clerk = demo_user("clerk1")
    desk = demo_counter(1).id
    counters.sign_in(desk, clerk)
    ticket = tickets.issue(office, "A")
    calling.call_next(desk, user=clerk)
    tickets.start(ticket.id, user=clerk)
    tickets.finish(ticket.id, user=clerk)
    ratings.rate(desk, ticket.id, level, comment)
    return ticket


def test_per_ticket_export_and_comments(client, office, auth_header):
    boss = auth_header("supervisor")
    ticket = _served_and_rated(office, "=Chờ lâu quá")
    day = ticket.day.isoformat()
    rng = f"office={office.id}&from={day}&to={day}"
    data = client.get(f"/api/v1/stats/tickets?{rng}", headers=boss).json
    [row] = data["tickets"]
    assert [e["kind"] for e in row["events"]] == ["issued", "called", "start", "finish"]
    assert row["called_by"] == "clerk1" and row["counter"] == 1
    assert all(e["counter"] == 1 for e in row["events"][1:])
    text = client.get(f"/api/v1/stats/tickets?{rng}&format=csv", headers=boss).data
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert lines[1][0] == ticket.number and "called @1 clerk1" in lines[1][-1]
    book = load_workbook(io.BytesIO(client.get(f"/api/v1/stats/tickets?{rng}&format=xlsx",
                                               headers=boss).data))
    assert book.worksheets[1].max_row == 5  # header + four events
    assert client.get(f"/api/v1/stats/tickets?{rng}&format=pdf", headers=boss
                      ).status_code == 400
    comments = client.get(f"/api/v1/stats/comments?{rng}", headers=boss).json
    assert [(c["comment"], c["score"], c["counter"], c["clerk"]) for c in comments] == [
        ("=Chờ lâu quá", 2, 1, "clerk1")]
    assert client.get(f"/api/v1/stats/comments?{rng}&score=4", headers=boss).json == []
    assert client.get(f"/api/v1/stats/comments?{rng}&score=9", headers=boss
                      ).status_code == 400
    empty = client.get(f"/api/v1/stats/comments?{rng}&score=", headers=boss)  # schemathesis
    assert empty.status_code == 400 and empty.json["error"]["code"] == "invalid_input"
