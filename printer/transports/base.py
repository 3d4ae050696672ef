"""The one interface every printer connection implements."""
from __future__ import annotations

from abc import ABC, abstractmethod

from printer.errors import PrinterError, PrinterOfflineError

UNKNOWN = {"online": None, "paper": "unknown"}

# DLE EOT n: real-time status requests answered with one byte (ESC/POS spec).
DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_PAPER = b"\x10\x04\x04"


class Transport(ABC):
    """A printer connection that takes finished ESC/POS bytes.

    Transports know nothing about tickets: ``printer.job.build_job`` makes the
    bytes, a transport only moves them. Each call opens and closes its own
    connection, so a printer that was switched off and on again just works.
    """

    url: str = ""

    @abstractmethod
    def send(self, data: bytes, job_name: str | None = None) -> None:
        """Deliver ``data`` to the printer; raise PrinterError if it did not get there.

        ``job_name`` labels the job where the transport can show it (preview file
        names, CUPS job titles); others ignore it.
        """

    def status(self) -> dict:
        """Return ``{"online": True|False|None, "paper": "ok"|"low"|"out"|"unknown"}``.

        None / "unknown" mean the printer did not say; never read silence as "ok".
        """
        return dict(UNKNOWN)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


class EscposDeviceTransport(Transport):
    """A printer reached through a python-escpos device class (USB, serial).

    Subclasses open the device in ``_open()`` (raising PrinterOfflineError) and
    name it in ``label``; the device is opened for each job and closed after it.
    """

    label = "printer"

    def _open(self):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def send(self, data: bytes, job_name: str | None = None) -> None:
        """Write the job through python-escpos' one raw-bytes method."""
        printer = self._open()
        try:
            printer._raw(data)
        except Exception as exc:  # USBTimeoutError, USBError, SerialTimeoutException, OSError
            raise PrinterError(f"{self.label} write failed: {exc}") from exc
        finally:
            printer.close()

    def status(self) -> dict:
        """DLE EOT over the device; not available -> offline, silence -> unknown."""
        try:
            printer = self._open()
        except PrinterOfflineError:
            return {"online": False, "paper": "unknown"}
        try:
            return parse_status(_ask(printer, DLE_EOT_PRINTER), _ask(printer, DLE_EOT_PAPER))
        finally:
            printer.close()


def _ask(printer, request: bytes) -> bytes:
    try:
        return bytes(printer.query_status(request))[:1]
    except Exception:  # timeout or no IN endpoint: the printer did not answer
        return b""


def parse_status(printer_byte: bytes, paper_byte: bytes) -> dict:
    """Decode replies to DLE EOT 1 and DLE EOT 4; an empty or malformed reply is unknown.

    python-escpos' ``paper_status()`` reports 2 ("paper ok") when the printer sends
    nothing back, which would hide a dead printer, so we decode the bytes here.
    """
    result = dict(UNKNOWN)
    # Every status byte has bits 1 and 4 set and bits 0 and 7 clear; anything else is noise.
    if len(printer_byte) == 1 and printer_byte[0] & 0x93 == 0x12:
        result["online"] = not printer_byte[0] & 0x08
    if len(paper_byte) == 1 and paper_byte[0] & 0x93 == 0x12:
        if paper_byte[0] & 0x60:
            result["paper"] = "out"
        elif paper_byte[0] & 0x0C:
            result["paper"] = "low"
        else:
            result["paper"] = "ok"
    return result
