"""The exact bytes a printer receives for a ticket."""
import os
from pathlib import Path

import pytest

from printer import PrinterConfigError, build_job, render_ticket
from tests.printer.fakes import make_ticket, read_raster_job, same_pixels

GOLDEN = Path(__file__).parent / "golden"
# The golden files pin the exact bytes. After an intended layout change (or a
# Pillow/FreeType upgrade that moves a dot), look at the new picture, then run
#   PRINTER_REGEN_GOLDEN=1 python -m pytest tests/printer -q
# to rewrite them, and commit them with the change.
REGENERATE = os.environ.get("PRINTER_REGEN_GOLDEN") == "1"


@pytest.mark.parametrize("name, kwargs", [
    ("ticket_512_raster.bin", dict(width_dots=512, profile="TM-T88V", mode="raster")),
    ("ticket_384_text.bin", dict(width_dots=384, profile="default", mode="text")),
])
def test_job_bytes_match_golden_file(name, kwargs):
    data = build_job(make_ticket(), **kwargs)
    golden = GOLDEN / name
    if REGENERATE:
        golden.write_bytes(data)
    assert golden.exists(), f"missing {golden}; generate it with PRINTER_REGEN_GOLDEN=1"
    assert data == golden.read_bytes()


@pytest.mark.parametrize("width, profile", [(384, "default"), (512, "TM-T88V"), (576, "TM-T20II")])
@pytest.mark.parametrize("compact", [True, False])
def test_raster_job_prints_exactly_the_rendered_ticket(width, profile, compact):
    ticket = make_ticket()
    data = build_job(ticket, width_dots=width, profile=profile, compact=compact)
    assert data.startswith(b"\x1b@")
    assert b"\x1dv0" in data
    assert data.endswith(b"\x1dV\x00")
    assert same_pixels(read_raster_job(data, width), render_ticket(ticket, width))


@pytest.mark.parametrize("width, profile", [(512, "TM-T88V"), (576, "TM-T20II")])
def test_80mm_job_is_under_20_kb(width, profile):
    long_ticket = make_ticket(footer="Giờ làm việc: 7:30–11:30, 13:30–17:00 từ thứ Hai đến thứ Sáu")
    assert len(build_job(long_ticket, width_dots=width, profile=profile)) < 20_000


def test_text_mode_sends_ascii_without_diacritics():
    data = build_job(make_ticket(), width_dots=512, mode="text")
    assert data.startswith(b"\x1b@") and data.endswith(b"\x1dV\x00")
    assert b"Dang ky khai sinh - Ho tich" in data
    assert b"UBND Phuong Ben Nghe - Quan 1" in data
    assert b"UU TIEN / PRIORITY" in data
    assert b"A012" in data
    assert b"\x1dv0" in data  # the QR code, drawn as an image so every printer can print it
    text_part = data[:data.index(b"\x1dv0")]  # everything before the QR image is text
    assert all(byte < 0x80 for byte in text_part)


def test_width_beyond_profile_is_a_config_error():
    with pytest.raises(PrinterConfigError, match="at most 512 dots"):
        build_job(make_ticket(), width_dots=576, profile="TM-T88V")


@pytest.mark.parametrize("kwargs", [dict(profile="no-such-printer"), dict(mode="pdf")])
def test_bad_profile_or_mode_is_a_config_error(kwargs):
    with pytest.raises(PrinterConfigError):
        build_job(make_ticket(), **kwargs)
