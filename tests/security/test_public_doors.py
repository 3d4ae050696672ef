"""The doors open to anyone: kiosk, ticket API, boards, tracking pages, and their headers."""
import os
import re

import pytest

from queue_server import create_app
from queue_server.models import Office, Service, Ticket
from tests.conftest import _config_dict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def limited(db_url, tmp_path):
    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "RATELIMIT_ENABLED": True,
                      "TICKET_RATE": "5/minute",
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    yield app
    app.extensions["printing"].stop()


def test_the_ticket_api_and_the_kiosk_form_are_rate_limited_per_client(limited):
    client = limited.test_client()
    answers = [client.post("/api/v1/tickets", json={"service": "A"}).status_code
               for _ in range(4)]
    answers.append(client.post("/kiosk/1", data={"service": "A"}).status_code)
    refused = client.post("/api/v1/tickets", json={"service": "A"})
    assert answers == [201, 201, 201, 201, 302] and refused.status_code == 429
    assert refused.json["error"]["code"] == "too_many_requests"
    other = limited.test_client()  # another kiosk (another address) is not affected
    assert other.post("/api/v1/tickets", json={"service": "A"},
                      environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 201
    assert client.get("/kiosk/1").status_code == 200  # showing the kiosk is not limited


def test_a_service_stops_issuing_at_its_daily_cap(client):
    Service.update(daily_cap=2).where(Service.code == "B").execute()
    assert [client.post("/api/v1/tickets", json={"service": "B"}).status_code
            for _ in range(2)] == [201, 201]
    capped = client.post("/api/v1/tickets", json={"service": "B"})
    assert capped.status_code == 409 and capped.json["error"]["code"] == "daily_cap_reached"
    assert client.post("/api/v1/tickets", json={"service": "A"}).status_code == 201
    assert Ticket.select().where(Ticket.number == "B003").count() == 0


def test_a_kiosk_key_binds_the_kiosk_page_and_printing(client, office):
    Office.update(kiosk_key="k-123").execute()
    assert client.get("/kiosk/1").status_code == 403
    assert client.get("/kiosk/1?key=wrong").status_code == 403
    assert client.get("/kiosk/1?key=k-123").status_code == 200
    # The kiosk's session keeps the key: its form posts need not repeat it.
    assert client.post("/kiosk/1", data={"service": "A"}).status_code == 302
    stranger = client.application.test_client()
    assert stranger.post("/kiosk/1", data={"service": "A"}).status_code == 403
    printed = stranger.post("/api/v1/tickets", json={"service": "A", "print": True})
    assert printed.status_code == 403 and printed.json["error"]["code"] == "bad_kiosk_key"
    assert stranger.post("/api/v1/tickets", json={"service": "A", "print": True},
                         headers={"X-Kiosk-Key": "k-123"}).status_code == 201
    # A phone or web form without printing still gets a ticket on screen.
    assert stranger.post("/api/v1/tickets", json={"service": "A"}).status_code == 201


def test_tracking_tokens_are_unguessable(client):
    tokens = [client.post("/api/v1/tickets", json={"service": "A"}).json["track_url"]
              .rsplit("/", 1)[1] for _ in range(20)]
    assert len(set(tokens)) == 20 and all(len(t) >= 22 for t in tokens)  # 128 random bits
    assert client.get("/t/" + tokens[0][:-1] + "x").status_code == 404


def test_no_personal_data_is_kept_for_a_ticket():
    from queue_server.models import Ticket as T

    assert not {"name", "phone", "email", "citizen_id", "address"} & set(T._meta.fields)


@pytest.mark.parametrize("path", ["/kiosk/1", "/login", "/api/v1/services", "/healthz",
                                  "/display/1", "/nowhere", "/static/css/app.css"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp  # no third-party origin
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def _templates():
    for folder in ("templates", "display/templates"):
        for base, _, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith(".html"):
                    yield os.path.join(base, name)


def test_no_template_has_inline_script_or_event_handlers():
    found = []
    for path in _templates():
        with open(path, encoding="utf-8") as page:
            html = page.read()
        for match in re.finditer(r"<script\b([^>]*)>", html, re.I):
            if "src=" not in match.group(1):
                found.append(f"{path}: inline <script>")
        found += [f"{path}: {m.group(0)}" for m in
                  re.finditer(r"\son[a-z]+\s*=", html, re.I)]
        found += [f"{path}: javascript: URL" for _ in re.finditer(r"javascript:", html, re.I)]
    assert list(_templates()) and not found, found


def test_socket_io_accepts_only_same_origin_pages(app):
    from queue_server import socketio

    assert socketio.server.eio.cors_allowed_origins is None  # None: same origin only
