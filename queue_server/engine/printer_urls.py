"""Which printer URLs an admin may save: devices, the instance folder, printers on the network.

A printer URL makes the server write bytes somewhere (``file://``, ``serial://``,
``preview:``) or connect somewhere (``tcp://``), including when the printers page
asks every printer for its status. Without limits an admin could make the server
write ticket bytes over any file or probe any address (the cloud's metadata
service at 169.254.169.254, the server's own loopback services).
"""
import ipaddress
import os
import re
import socket
import time
from urllib.parse import parse_qsl, urlsplit

from ..errors import InvalidInput

#: Device files a ticket printer appears as on Linux (usblp, USB serial, serial ports).
DEVICE_PATH = re.compile(r"/dev/(usb/lp\d+|lp\d+|ttyUSB\d+|ttyS\d+|ttyACM\d+)")
#: Windows ports (``file://COM3``, ``file:///COM3``, ``serial://\\.\COM10``).
WINDOWS_PORT = re.compile(r"(?i)(/|\\\\\.\\)?(COM\d{1,3}|LPT\d)")
#: Seconds a printer may keep a kiosk or the printers page waiting.
MAX_TIMEOUT_S = 10.0
#: Seconds a host name's addresses are trusted before it is resolved again.
RESOLVE_TTL_S = 60.0


class PrinterUrlPolicy:
    """Checks printer URLs against the rules above; ``check(url)`` raises InvalidInput.

    ``instance_dir``: the only folder ``preview:`` may write under (None: only the
    bare ``preview:``, which writes under the instance folder). ``allow_loopback``:
    whether ``tcp://`` may reach this machine (QUEUE_PRINTER_ALLOW_LOOPBACK; a
    print server on the same box, and the tests' fake printer).
    """

    def __init__(self, instance_dir=None, *, allow_loopback=False, windows=None):
        self.instance_dir = os.path.realpath(instance_dir) if instance_dir else None
        self.allow_loopback = bool(allow_loopback)
        self.windows = os.name == "nt" if windows is None else windows
        self._resolved = {}  # host name -> (monotonic expiry, addresses)

    def check(self, url):
        """Return ``url`` when a printer may use it; InvalidInput (``code`` says why) if not."""
        parts = urlsplit(str(url).strip())
        scheme = parts.scheme.lower()
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        _check_timeout(query.get("timeout"))
        if scheme in ("file", "serial"):
            self._check_device(parts.netloc + parts.path, scheme)
        elif scheme == "preview":
            self._check_preview((parts.netloc + parts.path) or query.get("dir") or "")
        elif scheme == "tcp":
            self._check_host(parts.hostname or "")
        return url

    def _check_device(self, path, scheme):
        if DEVICE_PATH.fullmatch(path) or (self.windows and WINDOWS_PORT.fullmatch(path)):
            return
        raise InvalidInput(f"{scheme}:// may only name a printer device (/dev/usb/lp0, "
                           f"/dev/ttyUSB0, /dev/ttyS0, /dev/ttyACM0, /dev/lp0; COM1 on "
                           f"Windows), not {path!r}.", code="printer_url_not_a_device")

    def _check_preview(self, directory):
        if not directory:
            return  # the bare preview: writes under the instance folder
        inside = self.instance_dir is not None and os.path.commonpath(
            [self.instance_dir, os.path.realpath(directory)]) == self.instance_dir
        if not inside:
            raise InvalidInput(f"preview: may only write under the instance folder "
                               f"({self.instance_dir or 'preview: alone'}), not {directory!r}.",
                               code="printer_url_outside_instance")

    def _check_host(self, host):
        for address in self._addresses(host):
            reason = self._refused(address)
            if reason:
                raise InvalidInput(f"tcp:// may not reach {host!r}: {reason} address.",
                                   code="printer_url_address_refused")

    def _refused(self, address):
        address = getattr(address, "ipv4_mapped", None) or address
        if address.is_unspecified:
            return "an unspecified"
        if address.is_link_local:
            return "a link-local"
        if address.is_multicast:
            return "a multicast"
        if address.is_loopback:
            return None if self.allow_loopback else "a loopback"
        if address.is_reserved or address == ipaddress.ip_address("255.255.255.255"):
            return "a reserved"
        return None

    def _addresses(self, host):
        # Kept a minute: printing a ticket asks on every use, and a slow DNS must
        # not hold the kiosk up each time.
        now = time.monotonic()
        cached = self._resolved.get(host)
        if cached is None or cached[0] < now:
            cached = (now + RESOLVE_TTL_S, _addresses(host))
            self._resolved[host] = cached
        return cached[1]


def _addresses(host):
    """The IP addresses ``host`` stands for (literal, localhost, or as resolved now).

    A name that does not resolve yet is let through: the printer may be off the
    network today, and every use checks again.
    """
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return [ipaddress.ip_address("127.0.0.1")]
    try:
        found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]


def _check_timeout(value):
    if value is None:
        return
    try:
        seconds = float(value)
    except ValueError:
        return  # the transport names a malformed option itself
    if not 0 < seconds <= MAX_TIMEOUT_S:
        raise InvalidInput(f"A printer timeout is at most {MAX_TIMEOUT_S:g} seconds.",
                           code="printer_url_timeout")


def check_url(url, policy=None):
    """InvalidInput unless ``url`` opens a transport (parsed only, nothing is sent) and
    ``policy`` (default: the strictest, no loopback, bare ``preview:`` only) allows it."""
    from printer import PrinterConfigError, open_transport

    (policy or PrinterUrlPolicy()).check(url)  # first: refused whether or not a driver exists
    try:
        open_transport(url)
    except PrinterConfigError as exc:
        raise InvalidInput(str(exc), code="bad_printer_url") from None
    return url
