"""Many boards in one thread, as lean as a measuring client can be.

Each board is a plain non-blocking socket speaking the real protocol to the real
endpoint (the HTTP upgrade, Engine.IO v4 over a websocket, the Socket.IO namespace
connect with ``auth``, answering every ping), all read by one ``selectors`` loop in a
thread of its own. A frame's arrival is timed as soon as its bytes are read, before
any parsing: the client's own cost stays out of the call-to-board figure. In Python
with asyncio and aiohttp (``board_client.py``) one message to 500 boards took the
client ~25 ms to read; here ~5 ms (docs/benchmarks.md).
"""
import base64
import json
import os
import selectors
import socket
import threading
import time

UPGRADE = ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}\r\n"
           "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Key: {key}\r\n\r\n")


def masked_text_frame(text):
    """A client's websocket text frame (clients must mask, RFC 6455 5.3)."""
    payload, mask = text.encode(), os.urandom(4)
    size = len(payload)
    head = bytes((0x81, 0x80 | size)) if size < 126 else \
        bytes((0x81, 0x80 | 126)) + size.to_bytes(2, "big")
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def frames(buffer):
    """Split complete server frames off ``buffer``: ([payload, ...], rest)."""
    out = []
    while len(buffer) >= 2:
        size, start = buffer[1] & 0x7F, 2
        if size == 126:
            if len(buffer) < 4:
                break
            size, start = int.from_bytes(buffer[2:4], "big"), 4
        elif size == 127:
            if len(buffer) < 10:
                break
            size, start = int.from_bytes(buffer[2:10], "big"), 10
        if len(buffer) < start + size:
            break
        out.append(buffer[start:start + size])
        buffer = buffer[start + size:]
    return out, buffer


class Board:
    def __init__(self, sock):
        self.sock, self.buffer, self.state = sock, b"", "upgrading"


class RawBoards:
    """``connect(count)`` boards on /display; ``arrivals[number]`` lists the
    ``time.perf_counter()`` at which each board read that number's ``ticket_called``."""

    def __init__(self, host, port, namespace="/display", auth=None, per_address=250,
                 first_address=30, keep=False):
        self.host, self.port, self.namespace = host, port, namespace
        self.auth = auth or {"office": 1}
        self.per_address, self.first_address = per_address, first_address
        #: keep=True: every ticket_called as (board index, perf_counter, wall clock, bytes)
        self.keep, self.kept, self.messages = keep, [], 0
        self.selector = selectors.DefaultSelector()
        self.boards, self.arrivals, self.errors = [], {}, []
        self.joined = 0
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def connect(self, count, timeout=60):
        key = base64.b64encode(os.urandom(16)).decode()
        request = UPGRADE.format(host=f"{self.host}:{self.port}", key=key).encode()
        for index in range(count):
            source = (f"127.0.0.{self.first_address + index // self.per_address}", 0)
            sock = socket.create_connection((self.host, self.port), timeout=10,
                                            source_address=source)
            sock.sendall(request)
            sock.setblocking(False)
            board = Board(sock)
            board.index = index
            self.boards.append(board)
            self.selector.register(sock, selectors.EVENT_READ, board)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while self.joined < count and time.monotonic() < deadline and not self.errors:
            time.sleep(0.05)
        if self.joined < count:
            raise RuntimeError(f"{self.joined} of {count} boards joined; errors: "
                               f"{self.errors[:3]}")

    def _loop(self):
        while self.running:
            for key, _ in self.selector.select(timeout=0.2):
                at = time.perf_counter()
                board = key.data
                try:
                    data = board.sock.recv(262144)
                except BlockingIOError:
                    continue
                except OSError as exc:
                    self._gone(board, repr(exc))
                    continue
                if not data:
                    self._gone(board, "closed by the server")
                    continue
                self._read(board, board.buffer + data, at)

    def _gone(self, board, reason):
        self.selector.unregister(board.sock)
        if self.running:
            self.errors.append(reason)

    def _read(self, board, data, at):
        if board.state == "upgrading":
            if b"\r\n\r\n" not in data:
                board.buffer = data
                return
            head, data = data.split(b"\r\n\r\n", 1)
            if not head.startswith(b"HTTP/1.1 101"):
                self.errors.append(head.split(b"\r\n", 1)[0].decode())
                return
            board.state = "open"
        payloads, board.buffer = frames(data)
        for payload in payloads:
            if board.state == "joined" and payload.startswith(b"42"):
                self.messages += 1
            if payload.startswith(b"42" + self.namespace.encode() + b',["ticket_called"'):
                if self.keep:
                    self.kept.append((board.index, at, time.time(), payload))
                    continue
                start = payload.find(b'"number":"') + 10
                number = payload[start:payload.find(b'"', start)].decode()
                with self.lock:
                    self.arrivals.setdefault(number, []).append(at)
            elif payload == b"2":
                board.sock.sendall(masked_text_frame("3"))
            elif payload.startswith(b"0{"):  # Engine.IO open: join the namespace
                board.sock.sendall(masked_text_frame(
                    "40" + self.namespace + "," + json.dumps(self.auth)))
            elif payload.startswith(b"40" + self.namespace.encode() + b","):
                board.state = "joined"
                self.joined += 1
            elif payload.startswith(b"44"):
                self.errors.append(payload[:200].decode("utf-8", "replace"))

    def heard_by_all(self, number):
        with self.lock:
            return len(self.arrivals.get(number, ())) >= len(self.boards)

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        for board in self.boards:
            board.sock.close()
