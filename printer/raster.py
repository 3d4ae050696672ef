"""A small virtual printer: ESC/POS bytes back to the picture on the paper.

The preview transport uses it so the PNG shows what the printer would print
from the very bytes it was sent (not a re-render that could hide a bug). It
understands what ``printer.job`` emits: ESC @, ESC a, GS v 0 raster images,
GS ! sizes, ESC d / ESC J feeds, plain ASCII text and the cut; other commands
are skipped by their length.
"""
from __future__ import annotations

from PIL import Image, ImageDraw

from printer.fonts import font

ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A
_ESC_NO_ARGS = {ord("@"), ord("2"), ord("<")}
_TEXT_DOTS = 24  # font A: 12 x 24 dots a character


def paper_image(data: bytes, width_dots: int = 512) -> Image.Image:
    """Return the mode "1" picture of everything ``data`` prints, ``width_dots`` wide.

    Raises ValueError for truncated or unknown GS v 0 data.
    """
    paper = _Paper(width_dots)
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte == ESC and i + 1 < n:
            cmd = data[i + 1]
            if cmd == ord("@"):
                paper.align, paper.size = 0, (1, 1)
            elif cmd == ord("a"):
                paper.align = data[i + 2] % 48  # accepts 0-2 and "0"-"2"
            elif cmd == ord("!"):  # print mode: bit 5 double width, bit 4 double height
                paper.size = (2 if data[i + 2] & 0x20 else 1, 2 if data[i + 2] & 0x10 else 1)
            elif cmd == ord("d"):
                paper.flush()
                paper.feed(data[i + 2] * _TEXT_DOTS)
            elif cmd == ord("J"):
                paper.flush()
                paper.feed(data[i + 2])
            i += 2 if cmd in _ESC_NO_ARGS else 3
        elif byte == GS and i + 1 < n:
            cmd = data[i + 1]
            if cmd == ord("v") and data[i + 2 : i + 3] == b"0":
                i = _raster(data, i, paper)
            elif cmd == ord("!"):
                paper.size = ((data[i + 2] >> 4) + 1, (data[i + 2] & 0x0F) + 1)
                i += 3
            elif cmd == ord("V"):
                paper.flush()
                paper.cuts += 1
                i += 4 if data[i + 2] in (65, 66) else 3
            elif cmd in (ord("("),):  # GS ( k / GS ( L: pL pH then that many bytes
                i += 5 + data[i + 3] + 256 * data[i + 4]
            else:
                i += 3
        elif byte == DLE:
            i += 3  # DLE EOT n / DLE ENQ n
        elif byte == LF:
            paper.flush(force=True)
            i += 1
        else:
            if 0x20 <= byte < 0x7F:
                paper.line += chr(byte)
            i += 1
    paper.flush()
    return paper.image()


def _raster(data: bytes, i: int, paper: "_Paper") -> int:
    """Place one GS v 0 m xL xH yL yH image; return the index after it."""
    if i + 8 > len(data):
        raise ValueError(f"truncated GS v 0 header at byte {i}")
    m, xl, xh, yl, yh = data[i + 3 : i + 8]
    width_bytes, height = xl + 256 * xh, yl + 256 * yh
    end = i + 8 + width_bytes * height
    if end > len(data):
        raise ValueError(f"GS v 0 at byte {i} needs {width_bytes * height} bytes of data")
    # In the data a 1 bit is a burnt dot; in a mode "1" image 0 is black, hence invert.
    bits = bytes(b ^ 0xFF for b in data[i + 8 : end])
    img = Image.frombytes("1", (width_bytes * 8, height), bits)
    scale_x, scale_y = (2 if m & 1 else 1), (2 if m & 2 else 1)
    if scale_x != 1 or scale_y != 1:
        img = img.resize((img.width * scale_x, img.height * scale_y), Image.NEAREST)
    paper.flush()
    paper.place(img)
    return end


class _Paper:
    """The roll: pieces placed top to bottom with the current justification."""

    def __init__(self, width: int) -> None:
        self.width, self.y, self.align, self.size, self.cuts = width, 0, 0, (1, 1), 0
        self.line = ""
        self.pieces: list[tuple[int, int, Image.Image]] = []

    def place(self, img: Image.Image) -> None:
        x = {0: 0, 1: (self.width - img.width) // 2, 2: self.width - img.width}.get(self.align, 0)
        self.pieces.append((x, self.y, img))
        self.y += img.height

    def feed(self, dots: int) -> None:
        self.y += dots

    def flush(self, force: bool = False) -> None:
        """Print the pending text line (LF prints even an empty one)."""
        if not self.line and not force:
            return
        h = self.size[1]
        f = font(20 * h)
        text_width = int(f.getlength(self.line)) + 1 if self.line else 1
        img = Image.new("1", (min(self.width, text_width), _TEXT_DOTS * h), 1)
        if self.line:
            ImageDraw.Draw(img).text((0, 0), self.line, font=f, fill=0)
        self.line = ""
        self.place(img)

    def image(self) -> Image.Image:
        page = Image.new("1", (self.width, max(1, self.y)), 1)
        for x, y, img in self.pieces:
            page.paste(img, (x, y))
        return page
