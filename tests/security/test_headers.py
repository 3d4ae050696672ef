"""Response headers a client relies on: one charset, Allow on 405, the API's CSRF answer."""
import re

import pytest

from tests import factories
from tests.views.helpers import sign_in

RANGE = "from=2024-03-04&to=2024-03-04"


def test_the_csv_says_charset_utf_8_once(client):
    sign_in(client, "supervisor")
    response = client.get(f"/supervisor/reports.csv?{RANGE}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("method, path, allowed", [
    ("GET", "/api/v1/tickets", {"POST"}),
    ("DELETE", "/api/v1/counters/1/call-next", {"POST"}),
    ("PUT", "/api/v1/services", {"GET", "HEAD"}),
    ("GET", "/logout", {"POST"}),
])
def test_405_answers_carry_allow(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}
    if path.startswith("/api/"):
        assert response.json["error"]["code"] == "method_not_allowed"


def _signed_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    assert client.post("/login", data={"username": "clerk1", "csrf_token": token,
                                       "password": factories.PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("language, words", [
    ("en", "must send the page's CSRF token in the X-CSRFToken header"),
    ("en-US,en;q=0.9", "must send the page's CSRF token in the X-CSRFToken header"),
    ("vi", "phải gửi mã CSRF của trang trong header X-CSRFToken"),
    (None, "phải gửi mã CSRF của trang trong header X-CSRFToken"),  # the office's language
])
def test_an_api_csrf_refusal_answers_json_in_the_request_s_language(csrf_app, language, words):
    client = _signed_in(csrf_app)
    headers = {"Accept": "application/json"}
    if language:
        headers["Accept-Language"] = language
    refused = client.post("/api/v1/counters/1/pause", headers=headers)
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "csrf_failed"
    assert words in refused.json["error"]["message"]


def test_pages_keep_the_office_language_whatever_the_browser_asks(client):
    page = client.get("/kiosk/1", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="vi">' in page.get_data(as_text=True)


SOCKET_PATHS = ["/socket.io/?EIO=4&transport=polling",  # a new Engine.IO session
                "/socket.io/?EIO=4&transport=polling&sid=nope",  # an unknown session: 400
                "/socket.io/?EIO=3&transport=polling",  # an old protocol: refused
                "/socket.io/?EIO=4&transport=polling&office=1&key=wrong"]  # 401 at the door


@pytest.mark.parametrize("path", SOCKET_PATHS)
def test_socket_io_answers_carry_the_security_headers(client, office, path):
    from queue_server.models import Office
    from queue_server.security import HEADERS

    Office.update(display_key="k").where(Office.id == office.id).execute()
    response = client.get(path)
    assert response.status_code < 500
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code)
    assert len(response.headers.getlist("Content-Security-Policy")) == 1


def test_socket_io_headers_over_a_real_connection(app):
    """The same through a real server: what a browser sees on the wire."""
    import http.client
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
        conn.request("GET", "/socket.io/?EIO=4&transport=polling")
        answer = conn.getresponse()
        answer.read()
        assert answer.status == 200
        assert answer.getheader("X-Frame-Options") == "DENY"
        assert "frame-ancestors 'none'" in answer.getheader("Content-Security-Policy")
        assert answer.getheader("X-Content-Type-Options") == "nosniff"
        conn.close()
    finally:
        server.shutdown()
        thread.join(5)
