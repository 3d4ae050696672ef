"""``usb://VID:PID`` (hex, e.g. ``usb://04b8:0202``) — a USB printer through libusb.

Needs the optional extra: ``pip install 'queue-server[usb]'`` and the system
library libusb-1.0-0 (plus a udev rule giving the service user access).
"""
from __future__ import annotations

from printer.errors import PrinterConfigError, PrinterOfflineError
from printer.transports.base import EscposDeviceTransport

INSTALL_HINT = (
    "usb:// printers need pyusb and libusb: pip install 'queue-server[usb]' "
    "and apt install libusb-1.0-0 (then a udev rule for the printer)"
)


class UsbTransport(EscposDeviceTransport):
    """python-escpos ``Usb`` printer, opened for each job and closed after it."""

    def __init__(self, vendor_id: int, product_id: int, timeout: float = 3.0,
                 in_ep: int = 0x82, out_ep: int = 0x01, url: str = "") -> None:
        try:
            from escpos.printer import Usb
        except ImportError as exc:  # pragma: no cover - python-escpos is a hard dependency
            raise PrinterConfigError(INSTALL_HINT) from exc
        if not Usb.is_usable():
            raise PrinterConfigError(INSTALL_HINT)
        self._usb_class = Usb
        self.vendor_id, self.product_id = vendor_id, product_id
        self.timeout, self.in_ep, self.out_ep = timeout, in_ep, out_ep
        self.url = url or f"usb://{vendor_id:04x}:{product_id:04x}"
        self.label = f"USB printer {vendor_id:04x}:{product_id:04x}"

    def _open(self):
        # pyusb takes milliseconds; 0 would mean "wait forever" on a jammed printer.
        printer = self._usb_class(self.vendor_id, self.product_id, timeout=int(self.timeout * 1000),
                                  in_ep=self.in_ep, out_ep=self.out_ep)
        try:
            printer.open()
        except Exception as exc:  # DeviceNotFoundError, USBError("Resource busy"/"Access denied")
            raise PrinterOfflineError(
                f"USB printer {self.vendor_id:04x}:{self.product_id:04x} not available: {exc}. "
                "'Resource busy' means the kernel usblp driver holds it (use file:///dev/usb/lp0 "
                "or unload usblp); 'Access denied' needs a udev rule."
            ) from exc
        return printer
