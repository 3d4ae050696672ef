"""Accounts and sessions: hashes, tokens, lockout, rate limits, cookies, CSRF, secret key."""
import hashlib
import re
from datetime import timedelta

import pytest

from queue_server import create_app
from queue_server.config import Config
from queue_server.engine import accounts
from queue_server.models import ApiToken, User, utcnow
from queue_server.security import InsecureConfig
from tests import factories


def _token(client, username="clerk1", password=factories.PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_passwords_are_stored_as_scrypt_hashes(app):
    stored = User.get(User.username == "clerk1").password_hash
    assert stored.startswith("scrypt:") and factories.PASSWORD not in stored


def test_tokens_are_stored_hashed_expire_and_can_be_revoked(client):
    raw = _token(client).json["token"]
    row = ApiToken.get(ApiToken.token_hash == hashlib.sha256(raw.encode()).hexdigest())
    assert raw not in (row.token_hash,) and ApiToken.select().where(
        ApiToken.token_hash == raw).count() == 0
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/printers", headers=headers).status_code == 403  # a clerk
    assert client.post("/api/v1/auth/revoke", headers=headers).json == {"revoked": True}
    refused = client.post("/api/v1/counters/1/pause", headers=headers)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "bad_token"

    other = _token(client).json["token"]
    ApiToken.update(expires_at=utcnow() - timedelta(seconds=1)).where(
        ApiToken.token_hash == hashlib.sha256(other.encode()).hexdigest()).execute()
    expired = client.post("/api/v1/counters/1/pause",
                          headers={"Authorization": f"Bearer {other}"})
    assert expired.status_code == 401


def test_the_api_locks_a_username_out_after_repeated_failures(app, client):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert _token(client, password="wrong").status_code == 401
    locked = _token(client)  # even the right password, while locked out
    assert locked.status_code == 429
    assert locked.json["error"]["code"] == "locked_out"
    assert _token(client, "clerk2").status_code == 200  # other usernames are unaffected


def test_the_sign_in_form_says_so_when_locked_out(app, client):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login?lang=en", data={"username": "clerk1", "password": "nope"})
    page = client.post("/login?lang=en", data={"username": "clerk1",
                                               "password": factories.PASSWORD})
    assert page.status_code == 429
    assert "Too many failed sign-ins" in page.get_data(as_text=True)
    vi = client.post("/login?lang=vi", data={"username": "clerk1", "password": "x"})
    assert "Đăng nhập sai quá nhiều lần" in vi.get_data(as_text=True)


def test_the_lockout_ends(app, client, monkeypatch):
    from queue_server import security

    now = [1000.0]
    monkeypatch.setattr(security.time, "monotonic", lambda: now[0])
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _token(client, password="wrong")
    assert _token(client).status_code == 429
    now[0] += app.config["LOGIN_LOCKOUT_S"] + 1
    assert _token(client).status_code == 200


@pytest.fixture
def limited(db_url, tmp_path):
    from tests.conftest import _config_dict

    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "RATELIMIT_ENABLED": True,
                      "LOGIN_RATE": "3/minute", "TICKET_RATE": "4/minute",
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    yield app
    app.extensions["printing"].stop()


def test_sign_in_attempts_are_rate_limited_per_client(limited):
    client = limited.test_client()
    answers = [client.post("/api/v1/auth/token",
                           json={"username": f"nobody{i}", "password": "x"}).status_code
               for i in range(4)]
    assert answers == [401, 401, 401, 429]  # the form and the API share one budget
    refused = client.post("/api/v1/auth/token", json={"username": "a", "password": "b"})
    assert refused.json["error"]["code"] == "too_many_requests"
    assert "Retry-After" in refused.headers
    form = client.post("/login", data={"username": "x", "password": "y"})
    assert form.status_code == 429


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = client.post("/login", data={"username": "clerk1", "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(app):
    client = app.test_client()
    response = client.post("/login", base_url="https://queue.example",
                           data={"username": "clerk1", "password": factories.PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_proxy_fix_trusts_the_proxy_s_https(db_url, tmp_path):
    from tests.conftest import _config_dict

    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "PROXY_FIX": 1,
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    response = app.test_client().post(
        "/login", headers={"X-Forwarded-Proto": "https"},
        data={"username": "clerk1", "password": factories.PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]
    app.extensions["printing"].stop()


def _csrf(page):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))[1]


def test_every_form_needs_its_csrf_token(csrf_app):
    client = csrf_app.test_client()
    refused = client.post("/login", data={"username": "clerk1", "password": factories.PASSWORD})
    assert refused.status_code == 400
    token = _csrf(client.get("/login"))
    signed_in = client.post("/login", data={"username": "clerk1", "csrf_token": token,
                                            "password": factories.PASSWORD})
    assert signed_in.status_code == 302
    assert client.post("/counter/call-next").status_code == 400  # no token: refused
    assert client.post("/kiosk/1", data={"service": "A"}).status_code == 400


def test_a_cookie_session_cannot_write_to_the_api_without_the_csrf_header(csrf_app):
    client = csrf_app.test_client()
    token = _csrf(client.get("/login"))
    client.post("/login", data={"username": "clerk1", "csrf_token": token,
                                "password": factories.PASSWORD})
    forged = client.post("/api/v1/counters/1/pause")  # what another site could make it do
    assert forged.status_code == 400 and forged.json["error"]["code"] == "csrf_failed"
    token = _csrf(client.get("/counter"))
    allowed = client.post("/api/v1/counters/1/pause", headers={"X-CSRFToken": token})
    assert allowed.status_code == 200
    bearer = _token(client).json["token"]  # bearer clients need no CSRF token
    assert client.post("/api/v1/counters/1/resume",
                       headers={"Authorization": f"Bearer {bearer}"}).status_code == 200
    assert client.post("/api/v1/tickets", json={"service": "A"}).status_code == 201


def stop_background_work(app):
    """Stop the print spooler and the housekeeping thread of an app built with the
    production config: left running, housekeeping would expire past days' tickets in
    whatever database later tests bind (it expired a 2024 scenario's ticket once)."""
    app.extensions["printing"].stop()
    app.extensions["housekeeping"].set()


class Production(Config):
    """The production config, with a database a test may use."""


@pytest.mark.parametrize("key", ["demo-secret-not-for-production", "changeme", "short"])
def test_a_default_or_weak_secret_key_is_refused_outside_demo(db_url, monkeypatch, key):
    monkeypatch.setenv("QUEUE_SECRET_KEY", key)
    monkeypatch.setenv("QUEUE_DATABASE_URL", db_url)
    with pytest.raises(InsecureConfig):
        create_app()
    stop_background_work(create_app(demo=True))  # the demo accepts it


def test_a_missing_secret_key_is_refused_when_serving(db_url, monkeypatch):
    monkeypatch.delenv("QUEUE_SECRET_KEY", raising=False)
    monkeypatch.setenv("QUEUE_DATABASE_URL", db_url)
    with pytest.raises(InsecureConfig, match="QUEUE_SECRET_KEY"):
        create_app()


def test_no_demo_accounts_outside_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUE_SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("QUEUE_DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    app = create_app()
    with app.app_context():
        assert User.select().count() == 0
    stop_background_work(app)


def test_usernames_are_normalised_to_nfc(app, client):
    combining = "ngu\u031bo\u031b\u0300i"  # "người" typed with combining marks
    accounts.create_user(combining, "password-123", "clerk")
    assert User.select().where(User.username == "người").count() == 1
    assert _token(client, "người", "password-123").status_code == 200
    assert _token(client, combining, "password-123").status_code == 200
