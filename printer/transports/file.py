"""``file:///dev/usb/lp0`` — a device file (Linux usblp, parallel port) or a plain file."""
from __future__ import annotations

import os

from printer.errors import PrinterConfigError, PrinterError, PrinterOfflineError
from printer.transports.base import Transport


class FileTransport(Transport):
    """Writes the job to a path; the kernel driver passes it to the printer.

    No status: /dev/usb/lp* gives no ESC/POS replies through plain writes, so
    ``status()`` reports only whether the device file exists.
    """

    def __init__(self, path: str, url: str = "") -> None:
        if not path:
            raise PrinterConfigError("file:// printer URL needs a path, e.g. file:///dev/usb/lp0")
        self.path = path
        self.url = url or f"file://{path}"

    def send(self, data: bytes, job_name: str | None = None) -> None:
        """Write and flush the whole job; an absent device is reported as offline."""
        try:
            with open(self.path, "wb", buffering=0) as device:
                device.write(data)
        except FileNotFoundError as exc:
            raise PrinterOfflineError(f"{self.path} does not exist (printer unplugged or off?)") from exc
        except PermissionError as exc:
            raise PrinterError(f"no permission to write {self.path} (add the user to the 'lp' group)") from exc
        except OSError as exc:
            raise PrinterError(f"writing to {self.path} failed: {exc}") from exc

    def status(self) -> dict:
        """``online`` False when the device file is gone, otherwise unknown."""
        return {"online": None if os.path.exists(self.path) else False, "paper": "unknown"}
