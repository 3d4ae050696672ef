"""Socket.IO handshakes with bad auth: every one gets a ``connect_error``, never silence.

A real server (werkzeug, threading mode) and python-socketio's client, as a board or a
phone would connect: the client must hear ``connect_error`` with a reason at once, and
the server must log no traceback. Before, ``{"office": 10**20}`` on /display raised
OverflowError in the id lookup: no answer (the client waited out its timeout) and a
traceback in the log.
"""
import logging
import threading

import pytest
import socketio
from werkzeug.serving import make_server

from queue_server.models import Office
from tests import factories

SURROGATE = "\ud800"


@pytest.fixture
def live(app):
    """The test's app served on 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def handshake(url, namespace, auth, headers=None):
    """What the client heard: ("connected", None) or ("connect_error", data); None: silence."""
    client = socketio.Client(reconnection=False)
    heard = []
    done = threading.Event()

    def on_connect():
        heard.append(("connected", None))
        done.set()

    def on_error(data=None):
        heard.append(("connect_error", data))
        done.set()

    client.on("connect", on_connect, namespace=namespace)
    client.on("connect_error", on_error, namespace=namespace)
    try:
        client.connect(url, namespaces=[namespace], auth=auth, headers=headers or {},
                       transports=["polling"], wait_timeout=2)
    except socketio.exceptions.ConnectionError:
        pass
    done.wait(2)
    client.disconnect()
    return heard[0] if heard else None


def refused_everywhere(url, namespace, cases, caplog, headers=None):
    wrong = []
    for auth in cases:
        heard = handshake(url, namespace, auth, headers)
        if heard is None or heard[0] != "connect_error":
            wrong.append((auth, heard))
    tracebacks = [r.getMessage() for r in caplog.records if r.exc_info]
    assert wrong == [] and tracebacks == []


def test_display_refuses_bad_auth_with_connect_error(live, office, caplog):
    Office.update(display_key="s3cret-key").where(Office.id == office.id).execute()
    key = "s3cret-key"
    cases = [{"office": 10 ** 20, "key": key}, {"office": -1, "key": key},
             {"office": 1.5, "key": key}, {"office": True, "key": key},
             {"counter": True, "key": key}, {"counter": 10 ** 20, "key": key},
             {"counter": 1.5, "key": key}, {"office": "²", "key": key},
             {"office": "1" * 40, "key": key}, {"office": [1], "key": key},
             {"office": office.id, "zone": SURROGATE, "key": key},
             {"office": office.id, "zone": ["desk"], "key": key},
             {"office": office.id, "zone": "desk\x00", "key": key},
             {"office": office.id, "key": SURROGATE}, {"office": office.id, "key": 12},
             {"counter": 1, "key": SURROGATE}, "office 1", [1]]
    with caplog.at_level(logging.ERROR):
        refused_everywhere(live, "/display", cases, caplog)
    # What the board is told: a reason it can show, not the default "rejected".
    told = handshake(live, "/display", {"office": 10 ** 20, "key": key})[1]
    assert told == {"message": "'office' must be an id (an integer).",
                    "data": {"code": "invalid_input"}}
    told = handshake(live, "/display", {"office": office.id, "key": SURROGATE})[1]
    assert told["data"] == {"code": "bad_display_key"}
    assert handshake(live, "/display", {"office": office.id, "key": key})[0] == "connected"


def test_track_refuses_bad_auth_with_connect_error(live, caplog):
    cases = [{"token": SURROGATE}, {"token": "x" + SURROGATE}, {"token": "x\x00"}, {"token": 5},
             {"token": ["a"]}, {"token": "x" * 10000}, {"token": ""}, "token", None]
    with caplog.at_level(logging.ERROR):
        refused_everywhere(live, "/track", cases, caplog)


def test_supervisor_refuses_bad_auth_with_connect_error(live, app, caplog):
    factories.user("chief", role="admin")  # an admin of every office picks one by auth
    client = app.test_client()
    client.post("/login", data={"username": "chief", "password": factories.PASSWORD})
    cookie = client.get_cookie("session")
    headers = {"Cookie": f"session={cookie.value}"}
    cases = [{"office": 10 ** 20}, {"office": 1.5}, {"office": True}, {"office": SURROGATE},
             {"office": "²"}, {"office": [1]}, {"office": 999}, {"office": -3}]
    with caplog.at_level(logging.ERROR):
        refused_everywhere(live, "/supervisor", cases, caplog, headers)
    told = handshake(live, "/supervisor", {"office": 10 ** 20}, headers)[1]
    assert told["data"] == {"code": "not_found"}
    assert handshake(live, "/supervisor", {"office": 1}, headers)[0] == "connected"
