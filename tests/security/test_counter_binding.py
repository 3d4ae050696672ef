"""A clerk acts only at the counter they are signed in to; supervisors anywhere, audited.

Before, clerk1's token called next at counter 2 and clerk2's token started a ticket
clerk1 had called at counter 1, with no audit entry.
"""
from queue_server.engine import tickets
from queue_server.models import AuditLog, Counter, Ticket

from ..factories import demo_counter, demo_user


def post(client, path, headers, **kwargs):
    return client.post("/api/v1" + path, headers=headers, **kwargs)


def signed_in_at(username):
    counter = Counter.get_or_none(Counter.clerk == demo_user(username).id)
    return counter.number if counter else None


def test_a_call_at_a_free_counter_signs_the_clerk_in_there(client, auth_header, office):
    tickets.issue(office, "A")
    clerk1 = auth_header("clerk1")
    assert signed_in_at("clerk1") is None
    called = post(client, f"/counters/{demo_counter(1).id}/call-next", clerk1)
    assert called.status_code == 200 and called.json["ticket"]["counter"] == 1
    assert signed_in_at("clerk1") == 1
    # Their console (the same account in a browser) now opens at counter 1.
    client.post("/login", data={"username": "clerk1", "password": "demo"})
    assert "Quầy 1" in client.get("/counter").get_data(as_text=True)


def test_a_clerk_cannot_act_at_another_counter(client, auth_header, office):
    tickets.issue(office, "A")
    tickets.issue(office, "A")
    clerk1, clerk2 = auth_header("clerk1"), auth_header("clerk2")
    first = post(client, f"/counters/{demo_counter(1).id}/call-next", clerk1).json["ticket"]

    # clerk1, at counter 1, calls at counter 2: 403, nothing called there.
    second = post(client, f"/counters/{demo_counter(2).id}/call-next", clerk1)
    assert second.status_code == 403 and second.json["error"]["code"] == "not_your_counter"
    assert Ticket.select().where(Ticket.status == "called").count() == 1
    assert post(client, f"/counters/{demo_counter(2).id}/pause", clerk1).status_code == 403

    # clerk2, signed in nowhere, at clerk1's counter or on clerk1's ticket: 403.
    taken = post(client, f"/counters/{demo_counter(1).id}/call-next", clerk2)
    assert taken.status_code == 403 and taken.json["error"]["code"] == "counter_taken"
    for action in ("start", "finish", "no-show", "recall"):
        refused = post(client, f"/tickets/{first['id']}/{action}", clerk2)
        assert refused.status_code == 403, action
    refused = post(client, f"/tickets/{first['id']}/transfer", clerk2, json={"service": "B"})
    assert refused.status_code == 403
    assert Ticket.get_by_id(first["id"]).status == "called" and signed_in_at("clerk2") is None

    # clerk1 at their own counter works as before.
    assert post(client, f"/tickets/{first['id']}/start", clerk1).json["status"] == "serving"


def test_a_waiting_ticket_is_handled_from_a_counter(client, auth_header, office):
    waiting = tickets.issue(office, "A")
    clerk1 = auth_header("clerk1")
    refused = post(client, f"/tickets/{waiting.id}/cancel", clerk1)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "not_signed_in"
    post(client, f"/counters/{demo_counter(1).id}/pause", clerk1)  # signs clerk1 in
    assert signed_in_at("clerk1") == 1
    assert post(client, f"/tickets/{waiting.id}/cancel", clerk1).json["status"] == "cancelled"


def test_sign_out_frees_the_counter(client, auth_header, office):
    tickets.issue(office, "A")
    clerk1, clerk2 = auth_header("clerk1"), auth_header("clerk2")
    desk = demo_counter(1).id
    post(client, f"/counters/{desk}/pause", clerk1)
    assert post(client, f"/counters/{desk}/sign-out", clerk2).status_code == 403
    out = post(client, f"/counters/{desk}/sign-out", clerk1)
    assert out.status_code == 200 and out.json["clerk"] is None
    assert signed_in_at("clerk1") is None
    assert post(client, f"/counters/{desk}/resume", clerk2).json["clerk"] == "clerk2"
    # Signed out of a counter one is not at: nothing to end.
    assert post(client, f"/counters/{demo_counter(3).id}/sign-out",
                clerk1).status_code == 409


def test_the_console_does_not_take_a_counter_another_clerk_holds(client, auth_header):
    post(client, f"/counters/{demo_counter(1).id}/pause", auth_header("clerk1"))
    client.post("/login", data={"username": "clerk2", "password": "demo"})
    page = client.post("/counter/sign-in", data={"counter_id": demo_counter(1).id},
                       follow_redirects=True).get_data(as_text=True)
    assert signed_in_at("clerk1") == 1 and signed_in_at("clerk2") is None
    assert "Quầy 1 đang có nhân viên khác làm việc" in page


def test_supervisors_act_anywhere_in_their_office_audited(client, auth_header, office):
    tickets.issue(office, "A")
    tickets.issue(office, "B")
    clerk2, boss, admin = auth_header("clerk2"), auth_header("supervisor"), \
        auth_header("admin")
    post(client, f"/counters/{demo_counter(2).id}/pause", clerk2)
    post(client, f"/counters/{demo_counter(2).id}/resume", clerk2)
    called = post(client, f"/counters/{demo_counter(2).id}/call-next", boss)
    assert called.status_code == 200
    ticket_id = called.json["ticket"]["id"]
    assert post(client, f"/tickets/{ticket_id}/start", admin).status_code == 200
    # The ticket in hand is settled first (issue 16: a sign-out never strands it).
    assert post(client, f"/counters/{demo_counter(2).id}/sign-out", boss).status_code == 409
    assert client.post(f"/api/v1/counters/{demo_counter(2).id}/sign-out", headers=boss,
                       json={"ticket": "finish"}).status_code == 200
    assert signed_in_at("clerk2") is None and signed_in_at("supervisor") is None
    log = [(row.username, row.action, row.target) for row in
           AuditLog.select().where(AuditLog.action.startswith("override."))
           .order_by(AuditLog.id)]
    assert log == [("supervisor", "override.call_next", f"counter:{demo_counter(2).id}"),
                   ("admin", "override.start", f"ticket:{ticket_id}"),
                   ("supervisor", "override.sign_out", f"counter:{demo_counter(2).id}")]
