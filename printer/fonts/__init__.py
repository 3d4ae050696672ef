"""The shipped DejaVu Sans fonts (licence: LICENSE-DejaVu.txt) and their loader.

Pillow's built-in font has no Vietnamese glyphs (they print as empty boxes), so
the package ships DejaVu Sans and loads it through ``importlib.resources``: that
works from a source checkout, an installed wheel and a zipped install alike.
This folder is a package so setuptools installs the .ttf files with it.
"""
from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources

from PIL import ImageFont

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


@lru_cache(maxsize=None)
def font_bytes(name: str) -> bytes:
    """Return the raw bytes of a shipped font file (read once per process)."""
    return resources.files(__name__).joinpath(name).read_bytes()


@lru_cache(maxsize=128)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Return the shipped DejaVu Sans (bold or regular) at ``size`` pixels.

    Cached because opening a FreeType face costs about a millisecond and a
    ticket uses the same handful of sizes every time.
    """
    data = font_bytes(BOLD if bold else REGULAR)
    return ImageFont.truetype(io.BytesIO(data), size)
