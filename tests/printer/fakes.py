"""Test doubles for the printer tests: a real TCP printer peer and an ESC/POS raster reader.

The raster reader is written independently of printer.raster on purpose: the tests
check the production bytes against the ESC/POS spec, not against our own decoder.
"""
from __future__ import annotations

import socket
import threading
from datetime import datetime, timedelta, timezone

from PIL import Image

from printer.ticket import TicketValue

ICT = timezone(timedelta(hours=7))  # Vietnam, no DST


def make_ticket(**overrides) -> TicketValue:
    """A realistic priority ticket; override any field."""
    fields = dict(
        office_name="UBND Phường Bến Nghé – Quận 1",
        service_name_vi="Đăng ký khai sinh – Hộ tịch",
        service_name_en="Birth registration – Civil status",
        number="A012",
        issued_at=datetime(2025, 3, 14, 8, 5, tzinfo=ICT),
        ahead=5,
        estimated_wait_s=900,
        priority=True,
        track_url="https://queue.example.vn/t/7Hq2xK9mPz",
        footer="Vui lòng giữ phiếu. Cảm ơn quý khách!",
    )
    fields.update(overrides)
    return TicketValue(**fields)


def read_raster_job(data: bytes, width_dots: int) -> Image.Image:
    """Rebuild the paper from a raster job, strictly.

    Accepts only ESC @ first, then ESC a n and GS v 0 m xL xH yL yH d..., then the
    cut ``ESC d 6 GS V 0`` last; anything else fails the test.
    """
    assert data[:2] == b"\x1b@", "job must start with ESC @ (initialise)"
    i, align, y = 2, 0, 0
    pieces = []
    while True:
        if data[i:] == b"\x1bd\x06\x1dV\x00":
            break
        if data[i:i + 2] == b"\x1ba":
            align = data[i + 2]
            i += 3
        elif data[i:i + 3] == b"\x1dv0":
            m, xl, xh, yl, yh = data[i + 3:i + 8]
            row_bytes, rows = xl + 256 * xh, yl + 256 * yh
            bits = data[i + 8:i + 8 + row_bytes * rows]
            assert len(bits) == row_bytes * rows, "raster data cut short"
            i += 8 + row_bytes * rows
            pixels = bytearray()
            for byte in bits:  # MSB is the leftmost dot; 1 = burnt (black)
                pixels.extend(0 if byte >> (7 - bit) & 1 else 255 for bit in range(8))
            img = Image.frombytes("L", (row_bytes * 8, rows), bytes(pixels))
            sx, sy = (2 if m & 1 else 1), (2 if m & 2 else 1)
            img = img.resize((img.width * sx, img.height * sy), Image.NEAREST)
            x = (width_dots - img.width) // 2 if align == 1 else 0
            pieces.append((x, y, img))
            y += img.height
        else:
            raise AssertionError(f"unexpected bytes {data[i:i + 6]!r} at offset {i}")
    page = Image.new("L", (width_dots, y), 255)
    for x, top, img in pieces:
        page.paste(img, (x, top))
    return page


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    """True when both pictures have the same size and every dot is equally black/white."""
    return a.size == b.size and a.convert("L").tobytes() == b.convert("L").tobytes()


class FakePrinter:
    """A TCP server on 127.0.0.1 (ephemeral port) that behaves like a port-9100 printer.

    Each connection is handled by the next behaviour in ``behaviours`` (then by
    ``default``): "print" reads to EOF and records the job; "never_read" accepts
    and holds the connection without reading; ("close_after", n) reads n bytes and
    drops the connection; ("status", reply) answers each DLE EOT with ``reply``
    bytes (b"" = silence).
    """

    def __init__(self, *behaviours, default="print", rcvbuf: int | None = None) -> None:
        self.behaviours = list(behaviours)
        self.default = default
        self.jobs: list[bytes] = []
        self.connections = 0
        self.job_received = threading.Condition()
        self._held: list[socket.socket] = []
        self._server = socket.socket()
        if rcvbuf:  # a real printer's receive window is small; set before listen so accepted sockets inherit it
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self.port = self._server.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}?timeout=0.5"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            behaviour = self.behaviours.pop(0) if self.behaviours else self.default
            threading.Thread(target=self._handle, args=(conn, behaviour), daemon=True).start()

    def _handle(self, conn: socket.socket, behaviour) -> None:
        if behaviour == "never_read":
            self._held.append(conn)
            return
        with conn:
            if behaviour == "print":
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
                with self.job_received:
                    self.jobs.append(b"".join(chunks))
                    self.job_received.notify_all()
            elif behaviour[0] == "close_after":
                got = 0
                while got < behaviour[1] and (chunk := conn.recv(min(4096, behaviour[1] - got))):
                    got += len(chunk)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")  # RST, like a reset printer
            elif behaviour[0] == "status":
                conn.settimeout(2)
                try:
                    while request := conn.recv(3):
                        if request.startswith(b"\x10\x04") and behaviour[1]:
                            conn.sendall(behaviour[1][:1])
                            behaviour = ("status", behaviour[1][1:] or behaviour[1])
                except OSError:
                    pass

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> bool:
        with self.job_received:
            return self.job_received.wait_for(lambda: len(self.jobs) >= count, timeout)

    def close(self) -> None:
        self._server.close()
        for conn in self._held:
            conn.close()
