"""One call to every board: each message is framed once and written straight to each
board's socket, under gevent.

python-engineio sends a packet to a websocket client through that client's queue and
writer greenlet, which frames it again with wsproto for every client. A call to 500
boards was 500 queue hand-overs, greenlet switches, gevent timeouts and wsproto frames
before the 500 writes the kernel needs (profile: docs/benchmarks.md, "Fan-out").
Here, when a board's writer is idle (nothing queued, not in the middle of a send),
``Socket.send`` writes the packet's websocket frame itself, without blocking; the
frame is built once per packet object, which python-socketio already shares between
the recipients of one emit. Whenever that is not possible (polling, a queue, a full
socket buffer, a compressed connection) it falls back to python-engineio's path, and a
partial write finishes before anything else is sent on that socket: order is kept.

Server frames are not masked, so a complete text message without extensions is the
same bytes for every client; websockets are opened without permessage-deflate
(``socket_door``). wsproto keeps no state across complete messages, so frames written
past it leave it consistent. Installed by ``install()`` only under gevent.
"""
import gevent
from engineio import packet as eio_packet
from engineio import socket as eio_socket

_installed = []
#: Direct writes between two yields to the loop: a call to 4,000 boards is ~100 ms of
#: writes, which would otherwise hold every other request of the process that long.
#: An office's messages all come from its dispatcher lane (``dispatch``), so a yield
#: inside one fan-out never lets another message to the same boards overtake it.
YIELD_EVERY = 64
_sent = [0]


def frame(text):
    """The unmasked websocket text frame of ``text`` (RFC 6455, FIN set, opcode 1)."""
    payload = text.encode("utf-8")
    size = len(payload)
    if size < 126:
        head = bytes((0x81, size))
    elif size < 65536:
        head = bytes((0x81, 126)) + size.to_bytes(2, "big")
    else:
        head = bytes((0x81, 127)) + size.to_bytes(8, "big")
    return head + payload


def _frame_of(pkt):
    cached = getattr(pkt, "_ws_frame", None)
    if cached is None:
        cached = pkt._ws_frame = frame(pkt.encode())
    return cached


class _Guard:
    """Wraps a client's SimpleWebSocketWSGI ``send``: marks it busy while the writer
    greenlet sends, and lets a partial direct write finish first."""

    def __init__(self, wrapper):
        self.wrapper, self.busy, self.rest = wrapper, False, None
        self.original = wrapper.send
        wrapper.send = self.send

    def send(self, message):
        if self.rest is not None:
            self.rest.join()
        self.busy = True
        try:
            return self.original(message)
        finally:
            self.busy = False

    def raw_socket(self):
        ws = getattr(self.wrapper, "ws", None)
        proto = getattr(getattr(getattr(ws, "ws", None), "connection", None), "_proto", None)
        if ws is None or not ws.connected or proto is None or proto.extensions:
            return None
        return ws.sock

    def finish(self, sock, rest):
        def send_rest():
            try:
                sock.sendall(rest)
            except OSError:
                pass  # the connection is gone; its reader notices
            finally:
                self.rest = None
        self.rest = gevent.spawn(send_rest)


def _send(self, pkt):
    # Only Socket.IO messages go direct. Engine.IO's pings (every 25 s) keep taking the
    # queue: the writer greenlet closes the websocket when its queue stays empty for
    # ping_interval + ping_timeout (45 s), which all-direct sends did to idle boards.
    guard = getattr(self, "_fanout_guard", None)
    if (guard is None or pkt.packet_type != eio_packet.MESSAGE or pkt.binary
            or not self.upgraded or self.closed or guard.busy or guard.rest is not None
            or not self.queue.empty()):
        return _original_send(self, pkt)
    sock = guard.raw_socket()
    raw = getattr(sock, "_sock", None)  # the non-blocking OS socket under gevent's
    if raw is None or not self.check_ping_timeout():
        return _original_send(self, pkt)
    data = _frame_of(pkt)
    try:
        written = raw.send(data)
    except BlockingIOError:
        written = 0
    except OSError:
        return None  # gone: the reader greenlet closes the session
    if written < len(data):
        guard.finish(sock, data[written:])
    _sent[0] += 1
    if _sent[0] % YIELD_EVERY == 0:
        gevent.sleep(0)


def _websocket_handler(self, ws):
    self._fanout_guard = _Guard(ws)
    return _original_handler(self, ws)


_original_send = eio_socket.Socket.send
_original_handler = eio_socket.Socket._websocket_handler


def install():
    """Patch python-engineio's websocket sends (once per process)."""
    if not _installed:
        eio_socket.Socket.send = _send
        eio_socket.Socket._websocket_handler = _websocket_handler
        _installed.append(True)
