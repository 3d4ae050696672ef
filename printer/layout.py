"""Ticket layout: a TicketValue becomes a 1-bit picture. Pure: no I/O, no printer.

Vietnamese is drawn with the shipped TTF instead of sent as text, because the
printers' code pages cannot be trusted with it (see docs/printing.md).

The picture is built as a column of ``Block``s rather than one bitmap so that
``printer.job`` can send it cheaply: each block is cropped to its own width and
centred by the printer, white space becomes blank rows one byte wide, and the
big number and the QR code are drawn at half resolution and doubled by the
printer (GS v 0 with double width and height). ``compose`` pastes the blocks the
same way a printer prints them, so ``render_ticket`` is the exact paper picture.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import qrcode
from PIL import Image, ImageDraw, ImageOps

from printer.fonts import font
from printer.plain_text import render_text  # noqa: F401  (re-exported: plain ASCII mode)
from printer.ticket import TicketValue, wait_minutes

WIDTHS = (384, 512, 576)  # 58 mm paper; 80 mm paper at 180 dpi; 80 mm at 203 dpi
WHITE, BLACK = 1, 0  # mode "1": 1 is paper, 0 is a burnt dot
PRIORITY_LABEL = "ƯU TIÊN / PRIORITY"
AHEAD_LABEL = ("Số người chờ trước", "People ahead")
WAIT_LABEL = ("Thời gian chờ dự kiến", "Estimated wait")
SCAN_LABEL = "Quét mã để theo dõi / Scan to track"


@dataclass(frozen=True)
class Block:
    """One horizontal strip of the ticket, printed centred.

    ``image`` is mode "1" with a width that is a multiple of 8 (GS v 0 sends
    whole bytes). ``scale`` 2 means the printer doubles every dot.
    ``gap_before`` is blank paper above the block, in printer dots.
    """

    image: Image.Image
    scale: int = 1
    gap_before: int = 0


def render_ticket(ticket: TicketValue, width_dots: int = 512) -> Image.Image:
    """Return the whole ticket as a mode "1" image ``width_dots`` wide."""
    return compose(layout_blocks(ticket, width_dots), width_dots)


def compose(blocks: list[Block], width_dots: int) -> Image.Image:
    """Paste blocks into one page the way the printer prints them (centred)."""
    height = sum(b.gap_before + b.image.height * b.scale for b in blocks)
    page = Image.new("1", (width_dots, height), WHITE)
    y = 0
    for block in blocks:
        y += block.gap_before
        img = block.image
        if block.scale != 1:
            img = img.resize((img.width * block.scale, img.height * block.scale), Image.NEAREST)
        page.paste(img, ((width_dots - img.width) // 2, y))
        y += img.height
    return page


def layout_blocks(ticket: TicketValue, width_dots: int = 512) -> list[Block]:
    """Lay the ticket out as blocks, top to bottom, for ``width_dots`` paper."""
    if width_dots not in WIDTHS:
        raise ValueError(f"width_dots must be one of {WIDTHS}, not {width_dots}")
    # Sizes below are tuned at 512 dots (80 mm, 180 dpi) and shrink for 58 mm paper. They
    # do not grow for 576: those printers are 203 dpi, so the same dots print only ~11%
    # smaller, and the job stays under 20 KB.
    s = min(width_dots, 512) / 512
    px = lambda n: max(14, round(n * s))  # noqa: E731 - below 14 dots text smudges on thermal paper
    content = width_dots - 2 * px(8)
    gap = px(12)
    blocks: list[Block] = [Block(_blank(px(8)))]
    blocks += _paragraph(ticket.office_name, px(24), True, content)
    blocks.append(Block(_rule(content), gap_before=gap))
    blocks += _paragraph(ticket.service_name_vi, px(32), True, content, gap)
    if ticket.service_name_en:
        blocks += _paragraph(ticket.service_name_en, px(22), False, content, px(4))
    if ticket.priority:
        blocks.append(Block(_badge(PRIORITY_LABEL, px(26), px(10), px(6)), gap_before=gap))
    blocks.append(Block(_number(ticket.number, content // 2, px(200) // 2), 2, gap))
    blocks.append(Block(_lines([ticket.issued_at.strftime("%d/%m/%Y %H:%M")], px(24), False), gap_before=gap))
    blocks.append(Block(_rule(content), gap_before=gap))
    blocks += _row(AHEAD_LABEL, (str(ticket.ahead), ""), content, px, gap)
    blocks += _row(WAIT_LABEL, _wait_value(ticket.estimated_wait_s), content, px, gap)
    blocks.append(Block(_rule(content), gap_before=gap))
    blocks.append(Block(_qr(ticket.track_url, px(200) // 2), 2, gap))
    blocks += _paragraph(SCAN_LABEL, px(18), False, content, px(4))
    if ticket.footer:
        blocks += _paragraph(ticket.footer, px(18), False, content, gap)
    blocks.append(Block(_blank(px(16))))
    return _tighten(blocks)


def _wait_value(seconds: int | None) -> tuple[str, str]:
    """Return (big value, small unit): ``wait_minutes``, the screens' rule too."""
    minutes = wait_minutes(seconds)
    if minutes is None:
        return ("—", "")
    return (str(minutes), " phút/min")


def _round8(n: int) -> int:
    return (n + 7) // 8 * 8


def _blank(height: int) -> Image.Image:
    return Image.new("1", (8, height), WHITE)


def _rule(width: int) -> Image.Image:
    img = Image.new("1", (width // 8 * 8, 2), BLACK)
    return img


def _extent(size: int, bold: bool) -> tuple[int, int]:
    """Dots above and below the baseline that any Vietnamese line may need.

    Measured on stacked marks (Ấ, Ỗ) and dot-below (ỵ, ự) so lines never clip and
    every line of a paragraph has the same pitch whatever letters it holds.
    """
    f = font(size, bold)
    top = f.getbbox("ẤỖỰÁjĐ", anchor="ls")[1]
    bottom = f.getbbox("gjpqyỵự", anchor="ls")[3]
    return -top, bottom


def _wrap(text: str, size: int, bold: bool, max_width: int) -> list[str]:
    """Greedy word wrap measured with the real font (Vietnamese words are short)."""
    f = font(size, bold)
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if f.getlength(candidate) <= max_width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
        while f.getlength(line) > max_width and len(line) > 1:  # one word wider than paper
            cut = len(line) - 1
            while cut > 1 and f.getlength(line[:cut]) > max_width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def _lines(lines: list[str], size: int, bold: bool) -> Image.Image:
    """Draw centred lines with a fixed pitch; width is the widest line, rounded to 8."""
    f = font(size, bold)
    above, below = _extent(size, bold)
    leading = size // 5
    boxes = [f.getbbox(line, anchor="ls") for line in lines]
    width = _round8(max(b[2] - min(0, b[0]) for b in boxes) + 2)
    pitch = above + below + leading
    img = Image.new("1", (width, pitch * len(lines) - leading), WHITE)
    draw = ImageDraw.Draw(img)
    for i, (line, box) in enumerate(zip(lines, boxes)):
        x = (width - (box[2] - min(0, box[0]))) // 2 - min(0, box[0])
        draw.text((x, i * pitch + above), line, font=f, fill=BLACK, anchor="ls")
    return img


def _paragraph(text: str, size: int, bold: bool, width: int, gap: int = 0) -> list[Block]:
    lines = _wrap(text, size, bold, width)
    # Balance the lines (no lone last word): the narrowest width that needs no more lines.
    low = width // 2
    while len(lines) > 1 and low < width:
        mid = (low + width) // 2
        if len(_wrap(text, size, bold, mid)) == len(lines):
            width = mid
        else:
            low = mid + 1
    lines = _wrap(text, size, bold, width)
    return [Block(_lines(lines, size, bold), gap_before=gap)] if lines else []


def _badge(text: str, size: int, pad_x: int, pad_y: int) -> Image.Image:
    """White text in a black box: the priority mark is seen from across the room."""
    f = font(size, True)
    x0, y0, x1, y1 = f.getbbox(text, anchor="ls")
    width = _round8(x1 - x0 + 2 * pad_x)
    img = Image.new("1", (width, y1 - y0 + 2 * pad_y), BLACK)
    ImageDraw.Draw(img).text(((width - (x1 - x0)) // 2 - x0, pad_y - y0), text, font=f, fill=WHITE, anchor="ls")
    return img


def _number(number: str, max_width: int, max_height: int) -> Image.Image:
    """The ticket number as large as fits, at half resolution (the printer doubles it)."""
    size = max_height * 4 // 3  # cap height of DejaVu Bold is ~0.73 em
    f = font(size, True)
    x0, y0, x1, y1 = f.getbbox(number, anchor="ls")
    while size > 8 and (x1 - x0 > max_width - 2 or y1 - y0 > max_height):
        size = max(8, min(size - 1, int(size * (max_width - 2) / max(1, x1 - x0))))
        f = font(size, True)
        x0, y0, x1, y1 = f.getbbox(number, anchor="ls")
    width = _round8(x1 - x0 + 2)
    img = Image.new("1", (width, y1 - y0), WHITE)
    ImageDraw.Draw(img).text(((width - (x1 - x0)) // 2 - x0, -y0), number, font=f, fill=BLACK, anchor="ls")
    return img


def _row(label: tuple[str, str], value: tuple[str, str], width: int, px, gap: int) -> list[Block]:
    """Bilingual label centred, its value large under it.

    Stacked rather than label-left/value-right: a full-width row is mostly blank
    yet costs its full width in raster bytes (2 rows like that were 7 KB of 20).
    """
    blocks = _paragraph(f"{label[0]} / {label[1]}", px(20), False, width, gap)
    return blocks + [Block(_value(value, px(34), px(18)), gap_before=px(4))]


def _value(value: tuple[str, str], size: int, unit_size: int) -> Image.Image:
    """A large bold value followed by a small unit on the same baseline."""
    big, unit = value
    above, below = _extent(size, True)
    big_w = math.ceil(font(size, True).getlength(big))
    unit_w = math.ceil(font(unit_size).getlength(unit)) if unit else 0
    img = Image.new("1", (_round8(big_w + unit_w + 2), above + below), WHITE)
    draw = ImageDraw.Draw(img)
    x = (img.width - big_w - unit_w) // 2
    draw.text((x, above), big, font=font(size, True), fill=BLACK, anchor="ls")
    if unit:
        draw.text((x + big_w, above), unit, font=font(unit_size), fill=BLACK, anchor="ls")
    return img


def _qr(url: str, target: int) -> Image.Image:
    """QR code of ``url`` at half resolution: whole modules, so doubling loses nothing."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    code.box_size = max(1, target // (code.modules_count + 4))
    img = code.make_image().get_image().convert("1")
    padded = Image.new("1", (_round8(img.width), img.height), WHITE)
    padded.paste(img, ((padded.width - img.width) // 2, 0))
    return padded


def _tighten(blocks: list[Block]) -> list[Block]:
    """Turn blank rows at the top and bottom of each block into gap (1 byte a row).

    The composed picture does not change; only the bytes sent for it shrink.
    """
    out: list[Block] = []
    carry = 0
    for block in blocks:
        box = ImageOps.invert(block.image.convert("L")).getbbox()
        if box is None:  # all white: nothing to print, only paper to feed
            carry += block.gap_before + block.image.height * block.scale
            continue
        top, bottom = box[1], box[3]
        img = block.image.crop((0, top, block.image.width, bottom))
        out.append(replace(block, image=img, gap_before=carry + block.gap_before + top * block.scale))
        carry = (block.image.height - bottom) * block.scale
    if carry:
        out.append(Block(_blank(carry)))
    return out
