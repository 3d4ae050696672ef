"""The live dashboard: the page, the /supervisor socket and its alerts."""
from datetime import timedelta

from queue_server import socketio
from queue_server.engine import calling, counters, tickets
from queue_server.engine.stats import live
from queue_server.models import Counter, User, utcnow

from .test_pages import login


def dashboards(client_sio):
    return [e["args"][0] for e in client_sio.get_received("/supervisor")
            if e["name"] == "dashboard"]


def test_socket_refuses_anonymous_and_clerks(app, client):
    anonymous = socketio.test_client(app, namespace="/supervisor", flask_test_client=client)
    assert not anonymous.is_connected("/supervisor")
    login(client, "clerk1")
    clerk = socketio.test_client(app, namespace="/supervisor", flask_test_client=client)
    assert not clerk.is_connected("/supervisor")


def test_supervisor_gets_a_snapshot_then_one_per_change(app, client, office):
    app.config["SUPERVISOR_THROTTLE_S"] = 0
    login(client, "supervisor")
    sio = socketio.test_client(app, namespace="/supervisor", flask_test_client=client)
    assert sio.is_connected("/supervisor")
    [first] = dashboards(sio)
    assert [s["code"] for s in first["services"]] == ["A", "B", "C", "D"]
    assert [c["number"] for c in first["counters"]] == [1, 2, 3, 4]
    ticket = tickets.issue(office, "A")
    [after_issue] = dashboards(sio)
    assert after_issue["services"][0]["waiting"] == 1
    clerk = User.get(User.username == "clerk1")
    counters.sign_in(Counter.get(Counter.number == 1).id, clerk)
    calling.call_next(Counter.get(Counter.number == 1).id, user=clerk)
    latest = dashboards(sio)[-1]
    assert latest["counters"][0] == {"id": Counter.get(Counter.number == 1).id, "number": 1,
                                     "name": "Quầy 1", "state": "open",
                                     "clerk": "clerk1", "ticket": ticket.number,
                                     "ticket_id": ticket.id,
                                     "ticket_status": "called", "busy_s": 0}
    assert latest["services"][0]["waiting"] == 0
    sio.disconnect("/supervisor")


def test_alerts_for_long_waits_and_long_queues(office):
    now = utcnow()
    for _ in range(3):
        tickets.issue(office, "B", at=now - timedelta(minutes=11))  # B's target is 10 min
    snap = live.snapshot(office, at=now, alert_length=2)
    # Nobody is signed in anywhere: no open counter serves B either (issue 16).
    assert {(a["kind"], a["service"]) for a in snap["alerts"]} == {
        ("wait_over_target", "B"), ("queue_length", "B"), ("unserved_waiting", "B")}
    b = snap["services"][1]
    assert (b["waiting"], b["longest_wait_s"], b["over_target"], b["too_long"]) == (
        3, 660, True, True)


def test_dashboard_page_renders_live_figures(app, client, office):
    login(client, "supervisor")
    tickets.issue(office, "A")
    html = client.get("/supervisor?lang=en").get_data(as_text=True)
    assert "Supervisor dashboard" in html and "supervisor/dashboard.js" in html
    assert "<script>" not in html  # no inline script
