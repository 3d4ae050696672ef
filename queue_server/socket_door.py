"""Limits on Engine.IO sessions, before any Socket.IO namespace handler runs.

- A session must join a namespace within ``SOCKET_JOIN_TIMEOUT_S`` seconds (default 5):
  a raw Engine.IO connection that never does (no namespace, no key) is closed, so an
  idle flood holds nothing for long.
- A board or counter display that names its office or counter in the handshake
  (``?office=<id>&key=...`` or ``?counter=<id>&key=...``, as ``live.js`` does) has its
  display key checked there: a wrong key is refused (401) before the socket upgrades.
  The ``/display`` namespace checks the same key again from its ``auth``.
"""
import logging
import socket
from urllib.parse import parse_qs

from .db import db
from .errors import QueueError
from .extensions import socketio

log = logging.getLogger(__name__)


def _handshake_key_ok(environ):
    """False when the handshake names an office or counter and carries the wrong key."""
    from .engine import boards, counters, offices

    query = parse_qs(environ.get("QUERY_STRING", ""))
    office, counter = query.get("office", [""])[0], query.get("counter", [""])[0]
    if not (_id(office) or _id(counter)):
        return True  # names neither: the namespace's own auth decides
    key = query.get("key", [None])[0]
    try:
        with db.connection_context():
            target = (counters.get_counter(int(counter)).office if _id(counter)
                      else offices.get_office(int(office)))
            boards.check_display_key(target, key)
    except QueueError:
        return False
    except Exception:  # noqa: BLE001 - a refusal, never a traceback for the client
        log.exception("handshake key check failed")
        return False
    return True


def _id(text):
    """A database id as a handshake query sends it: ASCII digits, within 64 bits."""
    return text.isascii() and text.isdigit() and 0 < int(text) < 2 ** 63


def _joined(server, eio_sid):
    manager = server.manager
    return any(manager.sid_from_eio_sid(eio_sid, namespace) is not None
               for namespace in list(manager.rooms))


def _drop_if_idle(server, eio_sid, timeout):
    socketio.sleep(timeout)
    if _joined(server, eio_sid) or eio_sid not in server.eio.sockets:
        return
    log.info("Engine.IO session %s joined no namespace in %ss: closed", eio_sid, timeout)
    # The handshake's TCP connection: a client that ignores the close frame would
    # otherwise keep it until the read timeout.
    sock = (server.environ.get(eio_sid) or {}).get("gunicorn.socket")
    server.eio.disconnect(eio_sid)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _without_websocket_compression(wsgi_app):
    """Drop the client's ``Sec-WebSocket-Extensions`` offer on Socket.IO's path.

    simple-websocket accepts permessage-deflate whenever a client offers it (browsers
    and aiohttp do), and then every message is compressed once per connection, with
    that connection's own zlib state: a call to 4,000 boards was 4,000 compressions.
    Board messages are a few hundred bytes on a local network; without the extension
    each is framed the same way for every board (docs/serving.md, "Fan-out")."""
    def app(environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/socket.io"):
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)
    return app


def init_app(app):
    """Wrap the Socket.IO server's Engine.IO connect handler (after ``socketio.init_app``),
    and its WSGI entry (no websocket compression)."""
    app.wsgi_app = _without_websocket_compression(app.wsgi_app)
    server = socketio.server
    timeout = float(app.config.get("SOCKET_JOIN_TIMEOUT_S", 5))
    connected = server._handle_eio_connect

    def on_eio_connect(eio_sid, environ):
        if not _handshake_key_ok(environ):
            return False  # Engine.IO answers 401 and opens nothing
        connected(eio_sid, environ)
        if timeout > 0:
            socketio.start_background_task(_drop_if_idle, server, eio_sid, timeout)

    server.eio.on("connect", on_eio_connect)
