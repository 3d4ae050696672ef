"""The ticket picture: Vietnamese glyphs, size of the number, priority mark, ASCII mode."""
from importlib import resources

import pytest
from PIL import Image, ImageDraw

from printer import render_text, render_ticket
from printer.fonts import font
from printer.layout import layout_blocks
from tests.printer.fakes import make_ticket

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]  # none, sắc, huyền, hỏi, ngã, nặng


def vietnamese_letters():
    import unicodedata

    letters = []
    for vowel in VOWELS + VOWELS.upper():
        letters.append([unicodedata.normalize("NFC", vowel + tone) for tone in TONES])
    return letters


def glyph(char: str, bold: bool) -> bytes:
    img = Image.new("L", (80, 80), 0)
    ImageDraw.Draw(img).text((10, 60), char, font=font(40, bold), fill=255, anchor="ls")
    return img.tobytes()


def test_font_ships_inside_the_package_with_its_licence():
    folder = resources.files("printer.fonts")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert folder.joinpath(name).is_file()
    assert "Bitstream" in folder.joinpath("LICENSE-DejaVu.txt").read_text()


@pytest.mark.parametrize("bold", [False, True])
def test_every_vietnamese_letter_has_its_own_glyph(bold):
    notdef = glyph("\U000f0000", bold)  # private-use plane: not in DejaVu, so .notdef
    blank = glyph(" ", bold)
    drawn = {}
    for forms in vietnamese_letters() + [["đ", "Đ"]]:
        for letter in forms:
            bitmap = glyph(letter, bold)
            assert len(letter) == 1, f"{letter!r} has no precomposed form"
            assert bitmap != notdef, f"{letter} (U+{ord(letter):04X}) drawn as the missing-glyph box"
            assert bitmap != blank, f"{letter} drawn blank"
            drawn[letter] = bitmap
        # Every tone mark must show: the six forms of a vowel all look different.
        assert len({drawn[letter] for letter in forms}) == len(forms), forms
    assert len(drawn) == 2 * 12 * 6 + 2


def black_rows(img: Image.Image) -> list[int]:
    """Number of black dots in each row."""
    gray = img.convert("L")
    w = gray.width
    data = gray.tobytes()
    return [w - sum(1 for v in data[r * w:(r + 1) * w] if v) for r in range(gray.height)]


@pytest.mark.parametrize("width", [384, 512, 576])
def test_priority_ticket_for_civil_status_renders(width):
    ticket = make_ticket(service_name_vi="Đăng ký khai sinh – Hộ tịch", priority=True)
    img = render_ticket(ticket, width)
    assert img.mode == "1" and img.width == width and 600 < img.height < 1400
    plain = render_ticket(make_ticket(priority=False), width)
    assert img.height > plain.height  # the mark takes room
    # The inverted box: a band of rows that are mostly black, absent without priority.
    solid = [n for n in black_rows(img) if n > width * 0.4]
    assert len(solid) >= 10
    assert len([n for n in black_rows(plain) if n > width * 0.4]) < len(solid)


@pytest.mark.parametrize("width", [384, 512, 576])
def test_number_is_printed_very_large(width):
    blocks = layout_blocks(make_ticket(number="B123"), width)
    number = next(b for b in blocks if b.scale == 2)  # drawn at half resolution, doubled by the printer
    assert number.image.height * 2 >= width * 0.2  # ~10-16 mm of digit height
    assert number.image.width * 2 >= width * 0.7
    office_line = blocks[0].image.height  # one line of the office name, the largest heading
    assert number.image.height * 2 > 3 * office_line


def test_long_names_wrap_inside_the_paper():
    ticket = make_ticket(service_name_vi="Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp")
    for block in layout_blocks(ticket, 384):
        assert block.image.width * block.scale <= 384


def test_unsupported_width_is_refused():
    with pytest.raises(ValueError):
        render_ticket(make_ticket(), 400)


def test_render_text_is_ascii_with_all_fields():
    text = render_text(make_ticket(), columns=42)
    assert text.isascii()
    for expected in ("UBND Phuong Ben Nghe - Quan 1", "Dang ky khai sinh - Ho tich", "UU TIEN / PRIORITY",
                     "A012", "14/03/2025 08:05", "So nguoi cho truoc / People ahead", "15 phut/min",
                     "Vui long giu phieu. Cam on quy khach!"):
        assert expected in text
    assert all(len(line) <= 42 for line in text.splitlines())
    assert "Đ" not in text and "đ" not in text


def test_render_text_without_estimate_or_english():
    text = render_text(make_ticket(service_name_en=None, estimated_wait_s=None, priority=False))
    assert "Birth" not in text and "PRIORITY" not in text
    assert "phut" not in text
