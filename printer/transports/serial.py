"""``serial:///dev/ttyUSB0?baudrate=9600`` — an RS-232 or USB-serial printer (needs pyserial)."""
from __future__ import annotations

from printer.errors import PrinterConfigError, PrinterOfflineError
from printer.transports.base import EscposDeviceTransport

INSTALL_HINT = "serial:// printers need pyserial: pip install pyserial"


class SerialTransport(EscposDeviceTransport):
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
        self.label = f"serial printer {device}"

    def _open(self):
        printer = self._serial_class(devfile=self.device, baudrate=self.baudrate, timeout=self.timeout)
        try:
            printer.open()
        except Exception as exc:
            raise PrinterOfflineError(f"serial printer {self.device} not available: {exc}") from exc
        return printer
