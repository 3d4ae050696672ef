"""JSON bodies are checked before anything reads them: depth, text, types (issue 15)."""
import json

import pytest

from queue_server.models import Ticket
from tests import factories

DEEP = "[" * 5000 + "]" * 5000  # Python's parser: RecursionError


def _post(client, path, body, headers=None):
    return client.post(path, data=body, content_type="application/json", headers=headers or {})


def _error(response, status=400):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert set(response.json["error"]) == {"code", "message"}
    return response.json["error"]["code"]


@pytest.mark.parametrize("body", [
    DEEP,
    '{"service": ' + DEEP + "}",
    '{"service": "A", "x": ' + "{\"a\": " * 40 + "1" + "}" * 40 + "}",
])
@pytest.mark.parametrize("path", ["/api/v1/tickets", "/api/v1/auth/token"])
def test_deeply_nested_json_is_a_400_not_a_500(client, path, body):
    assert _error(_post(client, path, body)) == "too_deep"


@pytest.mark.parametrize("path, body", [
    ("/api/v1/tickets", '{"service": "\\ud800"}'),
    ("/api/v1/tickets", '{"service": "A", "\\udfff": 1}'),
    ("/api/v1/auth/token", '{"username": "clerk1", "password": "\\ud800"}'),
    ("/api/v1/auth/token", '{"username": "\\udc00clerk1", "password": "demo"}'),
])
def test_a_lone_surrogate_is_a_400_not_a_500(client, path, body):
    assert _error(_post(client, path, body)) == "invalid_text"


@pytest.mark.parametrize("body", ['{"service": "A", "office": NaN}',
                                  '{"service": "A", "priority": Infinity}'])
def test_non_numbers_are_refused(client, body):
    assert _error(_post(client, "/api/v1/tickets", body)) == "malformed_json"


@pytest.mark.parametrize("office", [1.5, True, "1", 0, -1])
def test_an_office_id_must_be_an_integer(client, office):
    before = Ticket.select().count()
    response = client.post("/api/v1/tickets", json={"service": "A", "office": office})
    assert _error(response) == "invalid_input"
    assert "office" in response.json["error"]["message"]
    assert Ticket.select().count() == before  # no ticket in office 1


@pytest.mark.parametrize("printer", [{}, [], 1.5, True, "1"])
@pytest.mark.parametrize("wants_print", [True, False])
def test_a_printer_must_be_an_id_when_issuing(client, printer, wants_print):
    before = Ticket.select().count()
    response = client.post("/api/v1/tickets", json={"service": "A", "print": wants_print,
                                                    "printer": printer})
    assert _error(response) == "invalid_input"
    assert Ticket.select().count() == before


@pytest.mark.parametrize("printer", [{}, [], 1.5, True])
def test_a_printer_must_be_an_id_when_reprinting(client, auth_header, printer):
    ticket = client.post("/api/v1/tickets", json={"service": "A"}).json
    response = client.post(f"/api/v1/tickets/{ticket['id']}/reprint", json={"printer": printer},
                           headers=auth_header("clerk1"))
    assert _error(response) == "invalid_input"


def test_print_must_be_a_boolean(client):
    assert _error(client.post("/api/v1/tickets", json={"service": "A", "print": 1})) \
        == "invalid_input"


def test_the_engine_refuses_a_printer_that_is_no_id(app, office):
    from queue_server.engine.printing import _printer_id
    from queue_server.errors import InvalidInput

    assert _printer_id("3") == 3 and _printer_id(3) == 3
    for bad in ({}, [], True, 1.5, "x", "²", 0, 2 ** 70):
        with pytest.raises(InvalidInput):
            _printer_id(bad)


def _write_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.methods & {"POST", "PUT", "PATCH"}:
            path = rule.rule
            for argument in rule.arguments:
                path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
            yield path, sorted(rule.methods & {"POST", "PUT", "PATCH"})[0]


def test_every_json_endpoint_checks_the_body_first(app, client):
    token = client.post("/api/v1/auth/token", json={"username": "admin",
                                                    "password": factories.PASSWORD}).json
    headers = {"Authorization": "Bearer " + token["token"]}
    routes = list(_write_routes(app))
    assert len(routes) > 5
    for path, method in routes:
        for body in (DEEP, json.dumps({"x": "\ud800"}, ensure_ascii=True)):
            response = client.open(path, method=method, data=body,
                                   content_type="application/json", headers=headers)
            assert response.status_code == 400, (path, response.status_code)
            assert response.json["error"]["code"] in ("too_deep", "invalid_text"), path
