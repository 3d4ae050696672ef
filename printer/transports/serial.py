"""``serial:///dev/ttyUSB0?baudrate=9600`` — an RS-232 or USB-serial printer (needs pyserial)."""
from __future__ import annotations

from printer.errors import PrinterConfigError, PrinterError, PrinterOfflineError
from printer.transports.base import DLE_EOT_PAPER, DLE_EOT_PRINTER, Transport, parse_status

INSTALL_HINT = "serial:// printers need pyserial: pip install pyserial"


class SerialTransport(Transport):
    """python-escpos ``Serial`` printer, opened for each job and closed after it."""

    def __init__(self, device: str, baudrate: int = 9600, timeout: float = 3.0, url: str = "") -> None:
        from escpos.printer import Serial

        if not Serial.is_usable():
            raise PrinterConfigError(INSTALL_HINT)
        if not device:
            raise PrinterConfigError("serial:// printer URL needs a device, e.g. serial:///dev/ttyUSB0")
        self._serial_class = Serial
        self.device, self.baudrate, self.timeout = device, baudrate, timeout
        self.url = url or f"serial://{device}?baudrate={baudrate}"

    def _open(self):
        printer = self._serial_class(devfile=self.device, baudrate=self.baudrate, timeout=self.timeout)
        try:
            printer.open()
        except Exception as exc:
            raise PrinterOfflineError(f"serial printer {self.device} not available: {exc}") from exc
        return printer

    def send(self, data: bytes, job_name: str | None = None) -> None:
        """Write the job; the port's flow control paces it."""
        printer = self._open()
        try:
            printer._raw(data)  # python-escpos' one raw-bytes method
        except Exception as exc:  # serial.SerialTimeoutException, OSError
            raise PrinterError(f"serial write to {self.device} failed: {exc}") from exc
        finally:
            printer.close()

    def status(self) -> dict:
        """DLE EOT over the line; no answer within ``timeout`` -> unknown."""
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
    except Exception:
        return b""
