"""Plain ASCII ticket, for printers that cannot print raster images.

Vietnamese is folded to ASCII (diacritics stripped, đ -> d) rather than sent in
a code page: CP1258 and TCVN-3 support is too patchy to rely on (see
docs/printing.md). Readable Vietnamese without marks beats question marks.
"""
from __future__ import annotations

import textwrap
import unicodedata

from printer.ticket import TicketValue, wait_minutes

# Letters NFD does not decompose, and punctuation a code page would garble.
_FOLD = str.maketrans({
    "đ": "d", "Đ": "D", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...",
    "\u00a0": " ",
})


def to_ascii(text: str) -> str:
    """Strip Vietnamese diacritics (``"Đăng ký"`` -> ``"Dang ky"``); other non-ASCII -> "?"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.encode("ascii", "replace").decode("ascii")


def columns_for(width_dots: int) -> int:
    """Characters per line in the printer's font A (12 dots wide)."""
    return width_dots // 12


def text_parts(ticket: TicketValue, columns: int = 42) -> tuple[str, str, str]:
    """Return (head, number, tail) of the ASCII ticket.

    Split so ``printer.job`` can print the number in large printer type between
    the two halves. Every line ends with a newline.
    """
    rule = "-" * columns
    head = _centred(ticket.office_name, columns) + [rule]
    head += _centred(ticket.service_name_vi, columns)
    if ticket.service_name_en:
        head += _centred(ticket.service_name_en, columns)
    if ticket.priority:
        head += _centred("*** UU TIEN / PRIORITY ***", columns)
    tail = _centred(ticket.issued_at.strftime("%d/%m/%Y %H:%M"), columns) + [rule]
    tail += _row("So nguoi cho truoc / People ahead", str(ticket.ahead), columns)
    minutes = wait_minutes(ticket.estimated_wait_s)
    wait = "-" if minutes is None else f"{minutes} phut/min"
    tail += _row("Thoi gian cho du kien / Estimated wait", wait, columns)
    tail += [rule] + _centred("Quet ma de theo doi / Scan to track", columns)
    return _join(head), to_ascii(ticket.number) + "\n", _join(tail)


def render_text(ticket: TicketValue, columns: int = 42) -> str:
    """Return the whole ticket as plain ASCII lines (the QR code is printed after it)."""
    head, number, tail = text_parts(ticket, columns)
    footer = footer_text(ticket, columns)
    return head + number.strip().center(columns).rstrip() + "\n" + tail + footer


def footer_text(ticket: TicketValue, columns: int = 42) -> str:
    """Return the footer lines (printed under the QR code), or ""."""
    return _join(_centred(ticket.footer, columns)) if ticket.footer else ""


def _centred(text: str, columns: int) -> list[str]:
    return [line.center(columns).rstrip() for line in textwrap.wrap(to_ascii(text), columns)]


def _row(label: str, value: str, columns: int) -> list[str]:
    """Label left, value right; on two lines when both do not fit on one."""
    if len(label) + 1 + len(value) <= columns:
        return [label + value.rjust(columns - len(label))]
    return textwrap.wrap(label, columns) + [value.rjust(columns)]


def _join(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)
