"""Sessions that really end: sign-out, password reset and deactivation (issue 15)."""
from queue_server.models import User
from tests import factories
from tests.views.helpers import sign_in


def _copy_session(app, source):
    """A second browser holding a copy of ``source``'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = source.get_cookie("session")
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    return thief


def _opens_console(client):
    response = client.get("/counter")
    return response.status_code == 200


def _token(client, username="clerk1"):
    response = client.post("/api/v1/auth/token",
                           json={"username": username, "password": factories.PASSWORD})
    return {"Authorization": "Bearer " + response.json["token"]}


def test_a_cookie_copied_before_logout_gets_the_login_page_after_it(app, client):
    sign_in(client, "clerk1")
    thief = _copy_session(app, client)
    assert _opens_console(thief)  # the copy works while the clerk is signed in

    assert client.post("/logout").status_code == 302
    replayed = thief.get("/counter")
    assert replayed.status_code == 302 and "/login" in replayed.location
    assert client.get("/counter").status_code == 302
    sign_in(client, "clerk1")  # signing in again works, with a new cookie
    assert _opens_console(client)


def test_a_password_reset_ends_the_user_s_sessions_and_tokens(app, client, auth_header):
    victim = app.test_client()
    sign_in(victim, "clerk1")
    thief = _copy_session(app, victim)
    token = _token(client)
    assert client.post("/api/v1/counters/1/pause", headers=token).status_code in (200, 409)

    admin = app.test_client()
    sign_in(admin, "admin")
    clerk1 = User.get(User.username == "clerk1")
    reset = admin.post(f"/admin/users/{clerk1.id}/password", data={"password": "new-secret-1"})
    assert reset.status_code == 302

    for browser in (victim, thief):
        response = browser.get("/counter")
        assert response.status_code == 302 and "/login" in response.location
    refused = client.post("/api/v1/counters/1/pause", headers=token)
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "bad_token"
    assert admin.get("/admin/users").status_code == 200  # the admin's own session stays


def test_deactivating_a_user_ends_their_sessions_and_tokens(app, client):
    victim = app.test_client()
    sign_in(victim, "clerk2")
    token = _token(client, "clerk2")
    admin = app.test_client()
    sign_in(admin, "admin")
    clerk2 = User.get(User.username == "clerk2")
    saved = admin.post(f"/admin/users/{clerk2.id}", data={
        "username": "clerk2", "role": "clerk", "office_id": clerk2.office_id,
        "full_name": clerk2.full_name})  # "active" unticked
    assert saved.status_code == 302
    assert not User.get_by_id(clerk2.id).active

    response = victim.get("/counter")
    assert response.status_code == 302 and "/login" in response.location
    refused = client.post("/api/v1/counters/2/pause", headers=token)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "bad_token"
