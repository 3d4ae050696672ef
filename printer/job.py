"""ESC/POS bytes for one ticket, built with python-escpos' Dummy printer.

Dummy records exactly what a real printer would receive, so the same bytes go to
every transport and the tests can assert them.
"""
from __future__ import annotations

import copy

from escpos.exceptions import ImageWidthError
from escpos.printer import Dummy
from PIL import Image

from printer.errors import PrinterConfigError
from printer.layout import Block, compose, layout_blocks
from printer.plain_text import columns_for, footer_text, text_parts
from printer.ticket import TicketValue

MODES = ("raster", "text")


def build_job(
    ticket: TicketValue,
    width_dots: int = 512,
    profile: str = "TM-T88V",
    mode: str = "raster",
    compact: bool = True,
) -> bytes:
    """Return the ESC/POS bytes that print ``ticket`` and cut the paper.

    ``mode="raster"`` prints the picture from ``printer.layout`` (GS v 0): the only
    way Vietnamese prints correctly everywhere. ``mode="text"`` prints ASCII
    without diacritics plus a QR image, for printers without raster support.

    ``compact`` (raster only) sends each block cropped and centred by the printer
    (ESC a 1), blank space as 1-byte-wide blank rows, and the number and QR code
    at half resolution doubled by the printer: about 4x fewer bytes (~10 KB at
    80 mm). ``compact=False`` sends one full-width image: larger (~60 KB) but it
    relies on nothing but plain GS v 0, for printers that ignore ESC a or the
    double-density bits.

    Raises PrinterConfigError for an unknown profile or mode, or a width the
    profile cannot print.
    """
    if mode not in MODES:
        raise PrinterConfigError(f"print mode must be one of {MODES}, not {mode!r}")
    printer = _dummy(profile, width_dots)
    printer.hw("INIT")  # ESC @: clears whatever a previous, interrupted job left set
    try:
        if mode == "text":
            _text_job(printer, ticket, width_dots)
        elif compact:
            _compact_raster(printer, layout_blocks(ticket, width_dots))
        else:
            printer.image(compose(layout_blocks(ticket, width_dots), width_dots))
    except ImageWidthError as exc:  # our checks should catch this first; keep the message clear anyway
        raise PrinterConfigError(f"image too wide for profile {profile!r}: {exc}") from exc
    printer.cut()
    return printer.output


def _dummy(profile: str, width_dots: int) -> Dummy:
    """A Dummy printer for ``profile`` whose paper is ``width_dots`` wide."""
    try:
        printer = Dummy(profile=profile)
    except KeyError as exc:
        raise PrinterConfigError(f"unknown python-escpos printer profile {profile!r}") from exc
    media = printer.profile.profile_data.get("media", {}).get("width", {})
    known = media.get("pixels")
    if isinstance(known, int):
        if width_dots > known:
            raise PrinterConfigError(
                f"profile {profile!r} prints at most {known} dots; "
                f"choose width_dots <= {known} or a profile for wider paper (e.g. TM-T20II for 576)"
            )
    else:
        # Profiles such as "default" do not know their paper. Give this printer its own
        # copy of the profile data with the width set: python-escpos keeps profile data
        # on a shared class, and without a width it prints a warning on every image.
        data = copy.deepcopy(printer.profile.profile_data)
        data.setdefault("media", {})["width"] = {"mm": "Unknown", "pixels": width_dots}
        printer.profile.profile_data = data
    return printer


def _compact_raster(printer: Dummy, blocks: list[Block]) -> None:
    printer.set(align="center")  # ESC a 1: the printer centres each narrower block
    for block in blocks:
        if block.gap_before:
            # Blank raster rows rather than ESC J: the feed unit of ESC J differs
            # between models (1/360 in on Epson, 1/203 on most clones); a dot row does not.
            _send_image(printer, Image.new("1", (8, block.gap_before), 1), 1)
        _send_image(printer, block.image, block.scale)


def _send_image(printer: Dummy, image: Image.Image, scale: int) -> None:
    # Low density in both directions = GS v 0 m=3: every dot printed 2x2.
    dense = scale == 1
    printer.image(image, high_density_vertical=dense, high_density_horizontal=dense)


def _text_job(printer: Dummy, ticket: TicketValue, width_dots: int) -> None:
    columns = columns_for(width_dots)
    head, number, tail = text_parts(ticket, columns)
    printer.set(align="left")
    printer.text(head)
    # The number in 3x printer type (36 x 72 dots a character), centred.
    printer.set(align="center", bold=True, custom_size=True, width=3, height=3)
    printer.text(number)
    printer.set_with_default()
    printer.text(tail)
    printer.qr(ticket.track_url, native=False, size=max(3, width_dots // 100), center=True)
    printer.set(align="left")
    printer.text(footer_text(ticket, columns))
