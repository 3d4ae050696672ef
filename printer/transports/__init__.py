"""Printer connections, chosen by the URL scheme in the config.

    preview:                      write .bin + .png under instance/printed/ (default)
    preview:///abs/dir            ... under that folder
    tcp://host:9100?timeout=3     network printer, raw port
    usb://04b8:0202               USB through libusb (extra [usb])
    file:///dev/usb/lp0           device file
    serial:///dev/ttyUSB0?baudrate=9600
    cups://queue                  raw CUPS queue (extra [cups])
"""
from __future__ import annotations

from importlib import import_module
from urllib.parse import parse_qsl, urlsplit

from printer.errors import PrinterConfigError
from printer.transports.base import Transport

__all__ = ["Transport", "open_transport", "SCHEMES"]

# scheme -> (module, class): imported only when used, so a missing optional
# driver (pyusb, pycups) breaks only the URLs that need it.
SCHEMES = {
    "preview": ("printer.transports.preview", "PreviewTransport"),
    "tcp": ("printer.transports.tcp", "TcpTransport"),
    "usb": ("printer.transports.usb", "UsbTransport"),
    "file": ("printer.transports.file", "FileTransport"),
    "serial": ("printer.transports.serial", "SerialTransport"),
    "cups": ("printer.transports.cups", "CupsTransport"),
}
EXAMPLES = "preview:, tcp://192.168.1.50:9100, usb://04b8:0202, file:///dev/usb/lp0, serial:///dev/ttyUSB0, cups://queue"


def open_transport(url: str, **opts) -> Transport:
    """Return the transport for a printer ``url``; ``opts`` override query options.

    Raises PrinterConfigError naming the problem for an unknown scheme, a
    malformed address or a bad option, so a typo in the config fails at start-up.
    """
    if not isinstance(url, str) or ":" not in url:
        raise PrinterConfigError(f"printer URL {url!r} has no scheme; use one of: {EXAMPLES}")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise PrinterConfigError(f"unknown printer URL scheme {scheme!r} in {url!r}; use one of: {EXAMPLES}")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(opts)
    kwargs = _ARGS[scheme](parts, query)
    module_name, class_name = SCHEMES[scheme]
    cls = getattr(import_module(module_name), class_name)
    try:
        return cls(url=url, **kwargs)
    except TypeError as exc:  # an option this transport does not take
        raise PrinterConfigError(f"bad option for {url!r}: {exc}") from exc


def _number(query: dict, key: str, kind=float, default=None):
    value = query.pop(key, default)
    if value is None:
        return None
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise PrinterConfigError(f"printer option {key}={value!r} is not a {kind.__name__}") from None


def _preview(parts, query):
    # preview:///abs/dir, preview:rel/dir and preview://rel/dir all name a folder.
    directory = (parts.netloc + parts.path) or query.pop("dir", None)
    args = {"width_dots": _number(query, "width", int, 512), **query}
    return {"directory": directory, **args} if directory else args


def _tcp(parts, query):
    try:
        port = parts.port or 9100
    except ValueError:
        raise PrinterConfigError(f"bad port in printer URL tcp://{parts.netloc}") from None
    if not parts.hostname:
        raise PrinterConfigError("tcp:// printer URL needs a host, e.g. tcp://192.168.1.50:9100")
    return {"host": parts.hostname, "port": port, "timeout": _number(query, "timeout", float, 3.0), **query}


def _usb(parts, query):
    ids = parts.netloc.split(":")
    try:
        vendor, product = (int(x, 16) for x in ids)
    except ValueError:
        raise PrinterConfigError(
            f"usb:// needs hex vendor and product ids, e.g. usb://04b8:0202 (see lsusb), not {parts.netloc!r}"
        ) from None
    args = {"vendor_id": vendor, "product_id": product, "timeout": _number(query, "timeout", float, 3.0)}
    for key in ("in_ep", "out_ep"):
        if key in query:
            args[key] = _number(query, key, lambda v: int(str(v), 0))
    return {**args, **query}


def _file(parts, query):
    return {"path": parts.netloc + parts.path, **query}


def _serial(parts, query):
    return {"device": parts.netloc + parts.path, "baudrate": _number(query, "baudrate", int, 9600),
            "timeout": _number(query, "timeout", float, 3.0), **query}


def _cups(parts, query):
    queue = parts.netloc or parts.path.lstrip("/")
    return {"queue": queue, **query}


_ARGS = {"preview": _preview, "tcp": _tcp, "usb": _usb, "file": _file, "serial": _serial, "cups": _cups}
