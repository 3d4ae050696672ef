"""``tcp://host:9100?timeout=3`` — a network printer's raw port (JetDirect / port 9100)."""
from __future__ import annotations

import socket
import time

from printer.errors import PrinterConfigError, PrinterError, PrinterOfflineError
from printer.transports.base import DLE_EOT_PAPER, DLE_EOT_PRINTER, Transport, parse_status

try:  # Linux: bytes still in our send queue, i.e. not yet acknowledged by the printer
    from termios import TIOCOUTQ
    import fcntl
    import struct
except ImportError:  # pragma: no cover - other systems skip the delivery check
    TIOCOUTQ = None


class TcpTransport(Transport):
    """Raw socket to a network printer.

    Not python-escpos' ``Network``: it waits 60 s by default and cannot tell us
    whether the printer actually took the bytes. Here every step has ``timeout``
    seconds, and ``send`` returns only once the printer's TCP stack acknowledged
    the whole job: a printer that stops reading (paper out, cover open) fills its
    small receive window and the send times out instead of "succeeding".
    """

    def __init__(self, host: str, port: int = 9100, timeout: float = 3.0, url: str = "") -> None:
        if not host:
            raise PrinterConfigError("tcp:// printer URL needs a host, e.g. tcp://192.168.1.50:9100")
        if timeout <= 0:
            raise PrinterConfigError(f"timeout must be > 0 seconds, not {timeout}")
        self.host, self.port, self.timeout = host, port, timeout
        self.url = url or f"tcp://{host}:{port}"

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise PrinterOfflineError(f"printer {self.host}:{self.port} unreachable: {exc}") from exc

    def send(self, data: bytes, job_name: str | None = None) -> None:
        """Send the job and wait (up to ``timeout``) until the printer acknowledged it."""
        sock = self._connect()
        try:
            sock.sendall(data)
            self._wait_acknowledged(sock)
            error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:  # e.g. the printer reset the connection after taking part of the job
                raise PrinterError(f"printer {self.host}:{self.port} dropped the job: {error}")
        except socket.timeout as exc:
            raise PrinterOfflineError(
                f"printer {self.host}:{self.port} stopped taking data for {self.timeout}s (paper out? cover open?)"
            ) from exc
        except OSError as exc:
            raise PrinterError(f"printer {self.host}:{self.port} dropped the job: {exc}") from exc
        finally:
            sock.close()

    def _wait_acknowledged(self, sock: socket.socket) -> None:
        if TIOCOUTQ is None:
            return
        deadline = time.monotonic() + self.timeout
        while True:
            unacked = struct.unpack("i", fcntl.ioctl(sock.fileno(), TIOCOUTQ, b"\0\0\0\0"))[0]
            if unacked == 0:
                return
            if time.monotonic() > deadline:
                raise socket.timeout(f"{unacked} bytes not acknowledged")
            time.sleep(0.005)

    def status(self) -> dict:
        """Ask with DLE EOT 1 and 4; unreachable -> offline, silence -> unknown."""
        try:
            sock = self._connect()
        except PrinterOfflineError:
            return {"online": False, "paper": "unknown"}
        try:
            return parse_status(self._ask(sock, DLE_EOT_PRINTER), self._ask(sock, DLE_EOT_PAPER))
        finally:
            sock.close()

    def _ask(self, sock: socket.socket, request: bytes) -> bytes:
        try:
            sock.sendall(request)
            return sock.recv(1)
        except OSError:  # timeout or reset: the printer did not answer
            return b""
