"""The access table covers every route and socket event, and each role gets what it says.

Every endpoint of the URL map is tried by every identity: anonymous, a clerk,
a supervisor and an admin of the demo office, and a clerk and a supervisor of
ANOTHER office. Nobody gets more than the table allows; staff of another
office are refused the demo office's tickets, counters, printers and figures.
"""
import os

import pytest
from flask import url_for

from queue_server import access, socketio
from queue_server.engine import accounts, audit, counters, feedback, regions, tickets
from queue_server.models import Counter, Office, Service, User
from tests import factories

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STAFF = ("clerk", "supervisor", "admin")
# Identities in the order they are tried: the admin last, so its removals
# (run last of all) leave nothing missing for the others.
IDENTITIES = [("anonymous", None), ("other_clerk", "clerk"), ("other_supervisor", "supervisor"),
              ("clerk1", "clerk"), ("supervisor", "supervisor"), ("regional", "regional"),
              ("admin", "admin")]
OTHER_OFFICE = ("other_clerk", "other_supervisor")


def test_every_route_and_socket_event_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(access.HTTP)) == [], "routes missing from the access table"
    assert sorted(set(access.HTTP) - endpoints) == [], "table entries without a route"
    events = set(access.registered_events(socketio))
    assert sorted(events - set(access.SOCKETS)) == [], "socket events missing from the table"
    assert sorted(set(access.SOCKETS) - events) == [], "table entries without a handler"
    assert all(rule.role in access.ROLES for rule in access.HTTP.values())
    assert all(rule.role in access.ROLES for rule in access.SOCKETS.values())


def test_boards_and_phones_only_listen(app):
    for namespace, event in access.registered_events(socketio):
        if namespace in access.READ_ONLY_NAMESPACES:
            assert event in access.READ_ONLY_EVENTS, (namespace, event)


def test_view_marks_agree_with_the_table(app):
    access.check_marks(app)  # raises on any disagreement


def test_docs_access_md_is_up_to_date():
    with open(os.path.join(ROOT, "docs", "access.md"), encoding="utf-8") as doc:
        assert doc.read() == access.render_markdown(), \
            "run: python -m queue_server.access > docs/access.md"


@pytest.fixture
def world(app, office):
    """A ticket and spare rows in the demo office; another office with its own staff."""
    other = factories.office("Other office")
    factories.user("other_clerk", "clerk", office=other)
    factories.user("other_supervisor", "supervisor", office=other)
    victim = factories.user("victim", "clerk", office=office)
    # clerk1 works at counter 1: a clerk acts at their own counter only.
    counters.sign_in(Counter.get(Counter.number == 1).id, User.get(User.username == "clerk1"))
    ticket = tickets.issue(office, "A")
    # The demo office lies in a region with a regional user; the other office does not.
    audit.acting(None)
    region = regions.save_region(name="Region")
    Office.update(region=region).where(Office.id == office.id).execute()
    accounts.create_user("regional", factories.PASSWORD, "regional", region=region)
    item = feedback.submit(office, "Góp ý", ticket=ticket)
    return {"office_id": office.id, "counter_id": Counter.get(Counter.number == 1).id,
            "ticket_id": ticket.id, "token": ticket.token, "user_id": victim.id,
            "service_id": Service.get(Service.code == "A").id, "region_id": region.id,
            "feedback_id": item.id}


# Sample values of URL variables that are not ids.
WORDS = {"action": {"console.ticket_action": "recall", "console.pause_resume": "pause"},
         "which": "display", "kind": "csv", "filename": "style.css", "language": "vi",
         "number": "A001", "counter": 1, "code": "ABCDEFGH"}


def _url(app, rule, world):
    args = {}
    for name in rule.arguments:
        value = world.get(name, WORDS.get(name))
        args[name] = value.get(rule.endpoint) if isinstance(value, dict) else value
    with app.test_request_context():
        return url_for(rule.endpoint, **args, office=world["office_id"])


def _headers(username):
    if username is None:
        return {"Accept": "application/json"}
    token = accounts.issue_token(User.get(User.username == username), 600)
    return {"Authorization": f"Bearer {token}"}


def _requests(app, world):
    # Removals, new keys and sign-outs last: they change what the other requests would find.
    rules = sorted(app.url_map.iter_rules(),
                   key=lambda r: (any(word in r.endpoint for word in
                                      ("remove", "new_key", "sign_out")), r.endpoint))
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, _url(app, rule, world)


def _is_own_office_resource(endpoint):
    # Endpoints that address a row of the demo office (or take ?office=): another
    # office's staff must be refused. The console works on the clerk's own counter.
    rule = access.HTTP[endpoint]
    return "own office" in rule.note and not endpoint.startswith("console.")


def test_each_identity_gets_what_the_table_allows(app, client, world):
    refused_cross_office = 0
    for name, role in IDENTITIES:
        for endpoint, method, url in _requests(app, world):
            rule = access.HTTP[endpoint]
            response = client.open(url, method=method, headers=_headers(
                None if name == "anonymous" else name), json={} if method == "POST" else None)
            status, where = response.status_code, f"{name} {method} {url} ({endpoint})"
            assert status < 500, where
            if rule.role in access.ANONYMOUS:
                assert status not in (401, 403), where
            elif role is None:
                assert status == 401, where  # JSON asked for: 401, not a login redirect
            elif not accounts.role_at_least(User.get(User.username == name), rule.role):
                assert status == 403, where
            elif name in OTHER_OFFICE and _is_own_office_resource(endpoint):
                assert status == 403, where
                refused_cross_office += 1
            else:
                assert status not in (401, 403), where
    assert refused_cross_office >= 15


def test_a_browser_without_a_session_is_sent_to_the_sign_in_page(client):
    for path in ("/counter", "/admin", "/admin/users", "/supervisor"):
        response = client.get(path)
        assert response.status_code == 302 and "/login?next=" in response.location, path


def test_an_admin_acts_in_every_office_a_supervisor_only_in_hers(client, world):
    from queue_server.models import Office

    other = Office.get(Office.name == "Other office")
    admin, supervisor = _headers("admin"), _headers("supervisor")
    summary = f"/api/v1/stats/summary?office={other.id}&from=2024-01-01&to=2024-01-02"
    assert client.get(summary, headers=admin).status_code == 200
    assert client.get(summary, headers=supervisor).status_code == 403


def test_a_clerk_without_an_office_acts_nowhere(client, world):
    factories.user("drifter", "clerk")
    response = client.post(f"/api/v1/counters/{world['counter_id']}/call-next",
                           headers=_headers("drifter"))
    assert response.status_code == 403


def test_unknown_endpoints_are_refused(app, client):
    @app.route("/sneaky")
    def sneaky():
        return "open?"
    response = client.get("/sneaky", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "not_in_access_table"


def test_staff_socket_namespace_authenticates_on_connect(app, client):
    anonymous = socketio.test_client(app, namespace="/supervisor", flask_test_client=client)
    assert not anonymous.is_connected("/supervisor")
    client.post("/login", data={"username": "clerk1", "password": factories.PASSWORD})
    clerk = socketio.test_client(app, namespace="/supervisor", flask_test_client=client)
    assert not clerk.is_connected("/supervisor")
    client.post("/logout")
    client.post("/login", data={"username": "supervisor", "password": factories.PASSWORD})
    boss = socketio.test_client(app, namespace="/supervisor", flask_test_client=client)
    assert boss.is_connected("/supervisor")
    boss.disconnect(namespace="/supervisor")


def test_socket_events_outside_the_table_are_refused(app):
    with app.test_request_context():
        with pytest.raises(Exception) as refused:
            access._socket_check("/display", "set_ticket")
    assert "not in the access table" in str(refused.value)
    assert socketio._access_guarded
