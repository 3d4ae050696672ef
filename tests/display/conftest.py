"""Fixtures for boards: socket clients on /display, waiting tickets, a speech cache."""
import pytest

from display import speech
from queue_server import socketio
from queue_server.engine import tickets
from queue_server.events import DISPLAY_NS


@pytest.fixture(autouse=True)
def speech_cache(tmp_path):
    """Announcements cached in the test's own folder."""
    speech.configure(tmp_path / "speech-cache")
    yield
    speech.configure(None)


@pytest.fixture
def render_calls(monkeypatch):
    """Count how often the engine really synthesises."""
    calls = []
    real = speech._render

    def counting(text, lang):
        calls.append((lang, text))
        return real(text, lang)

    monkeypatch.setattr(speech, "_render", counting)
    return calls


@pytest.fixture
def board(app, client):
    """``board(auth)`` -> a connected /display test client (asserted connected)."""
    opened = []

    def connect(auth=None, expect=True):
        socket = socketio.test_client(app, namespace=DISPLAY_NS, auth=auth,
                                      flask_test_client=client)
        assert socket.is_connected(DISPLAY_NS) is expect
        opened.append(socket)
        return socket

    yield connect
    for socket in opened:
        if socket.is_connected(DISPLAY_NS):
            socket.disconnect(namespace=DISPLAY_NS)


@pytest.fixture
def issue(office):
    """``issue("A")`` -> a waiting ticket of the demo office."""
    return lambda code="A": tickets.issue(office, code)


def events(socket, name=None):
    """[(name, payload)] received since the last call, or the payloads of ``name``."""
    received = [(item["name"], item["args"][0]) for item in socket.get_received(DISPLAY_NS)]
    if name is None:
        return received
    return [payload for event, payload in received if event == name]
