"""Phones and bookings end to end in real headless Chromium against a real
``queue-server run --demo`` process: a phone joins from the poster's link and is
called; a citizen books, takes the .ics, checks in at the kiosk with the code and is
called at the slot ahead of a later walk-in; a late booking is a no-show; a blocked
slot shows on the booking page. Screenshots go to $QUEUE_SHOTS (else the tmp folder).
"""
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
KIOSK = {"viewport": {"width": 1080, "height": 1920}}


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("QUEUE_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _both_languages(page, url, shots, name, full_page=True):
    for lang in ("en", "vi"):
        page.goto(url + ("&" if "?" in url else "?") + f"lang={lang}")
        page.screenshot(path=str(shots / f"{name}-{lang}.png"), full_page=full_page)


def _db(server):
    return sqlite3.connect(server.db_file)


def _tomorrow_local():
    return (datetime.now(timezone.utc) + timedelta(hours=7) + timedelta(days=1)).date()


def _shift(server, code, start_at):
    with _db(server) as conn:
        conn.execute("UPDATE booking SET start_at = ?, end_at = ? WHERE code = ?",
                     (start_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                      (start_at + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                      code))


def _call_next(server, token, then_no_show=True):
    """Counter 1 calls its next ticket (and marks it a no-show at once, to go on)."""
    status, body = server.api("POST", "/counters/1/call-next", token=token)
    assert status == 200, body
    ticket = body["ticket"]
    if then_no_show:
        _no_show(server, token, ticket["id"])
    return ticket["number"], ticket["id"]


def _no_show(server, token, ticket_id):
    assert server.api("POST", f"/tickets/{ticket_id}/no-show", token=token)[0] == 200


def test_a_phone_joins_from_the_poster_link_and_is_called(browser, server, shots):
    base = server.url
    poster = browser.new_page(**PHONE)
    _both_languages(poster, f"{base}/join/1/poster", shots, "poster-390")
    poster.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    poster.goto(f"{base}/join/1/poster?lang=vi")
    poster.screenshot(path=str(shots / "poster-a4-vi.png"), full_page=True)
    assert poster.locator(".poster-qr").evaluate("i => i.complete && i.naturalWidth > 0")
    link = poster.locator(".poster-url").inner_text().strip()
    assert link == f"{base}/join/1"

    phone = browser.new_page(**PHONE)
    _both_languages(phone, link, shots, "join-390")
    phone.goto(link + "?lang=vi")
    phone.locator("button[name=service][value=B]").click()
    phone.wait_for_url("**/t/*")
    phone.wait_for_selector("[data-track][data-live=connected]")
    number = phone.locator("[data-field=number]").inner_text()
    assert number == "B001"
    phone.screenshot(path=str(shots / "join-ticket-390-vi.png"), full_page=True)

    assert _call_next(server, server.token("clerk1"), then_no_show=False)[0] == "B001"
    phone.wait_for_selector(".your-turn")
    phone.screenshot(path=str(shots / "join-called-390-vi.png"), full_page=True)
    assert "1" in phone.locator(".your-turn").inner_text()
    with _db(server) as conn:
        assert conn.execute("SELECT number, source FROM ticket").fetchall() == [("B001", "phone")]


def test_book_ics_kiosk_check_in_and_called_at_the_slot_before_a_later_walk_in(
        browser, server, shots):
    base = server.url
    phone = browser.new_page(**PHONE)
    _both_languages(phone, f"{base}/book/1", shots, "book-start-390")
    phone.goto(f"{base}/book/1?lang=en")
    phone.get_by_role("link", name="A Civil status").click()
    tomorrow = _tomorrow_local().isoformat()
    phone.locator(f"a[href*='day={tomorrow}']").click()
    phone.wait_for_selector(".slots")
    _both_languages(phone, phone.url.split("&lang")[0], shots, "book-slots-390")
    phone.locator("label.slot:not(.slot-full)").first.click()
    phone.fill("#name", "Nguyễn Văn An")
    phone.fill("#phone", "0912 345 678")
    phone.screenshot(path=str(shots / "book-filled-390-vi.png"), full_page=True)
    phone.locator(".book-form button[type=submit]").click()
    phone.wait_for_selector("[data-booking]")
    code = phone.locator("[data-booking]").get_attribute("data-booking")
    _both_languages(phone, f"{base}/booking/{code}", shots, "booking-page-390")
    assert phone.locator(".qr img").evaluate("i => i.complete && i.naturalWidth > 0")

    # The calendar file, as the phone downloads it.
    ics = phone.request.get(base + phone.locator("a[download]").get_attribute("href"))
    assert ics.headers["content-type"].startswith("text/calendar")
    text = ics.text()
    assert "BEGIN:VEVENT" in text and f"UID:booking-{code}@queue-server" in text
    start_at = datetime.fromisoformat(server.api("GET", f"/bookings/{code}")[1]["start_at"])
    assert f"DTSTART:{start_at:%Y%m%dT%H%M%SZ}" in text

    # On the day: a walk-in came before the slot began, another one after it.
    clerk = server.token("clerk1")
    earlier = server.api("POST", "/tickets", {"service": "A"})[1]["number"]
    later = server.api("POST", "/tickets", {"service": "A"})[1]["number"]
    with _db(server) as conn:
        first, second = [datetime.fromisoformat(t) for (t,) in conn.execute(
            "SELECT issued_at FROM ticket ORDER BY id")]
    _shift(server, code, first + (second - first) / 2)  # the slot began between them

    kiosk = browser.new_page(**KIOSK)
    _both_languages(kiosk, f"{base}/kiosk/1", shots, "kiosk-start-1080", False)
    kiosk.locator("[data-checkin-link]").click()
    kiosk.wait_for_selector("#code")
    _both_languages(kiosk, f"{base}/kiosk/1/check-in", shots, "kiosk-checkin-1080", False)
    # The scanner types what the booking's QR code holds, then Enter.
    kiosk.locator("#code").focus()
    kiosk.keyboard.type(f"{base}/booking/{code}")
    kiosk.screenshot(path=str(shots / "kiosk-checkin-scanned-1080-vi.png"))
    kiosk.keyboard.press("Enter")
    kiosk.wait_for_selector(".ticket-confirm")
    booked = kiosk.locator(".big-number").inner_text().strip()
    kiosk.screenshot(path=str(shots / "kiosk-checkin-ticket-1080-vi.png"))
    assert (earlier, booked, later) == ("A001", "A003", "A002")

    phone.goto(f"{base}/booking/{code}?lang=vi")
    phone.locator("a[href*='/t/']").click()
    phone.wait_for_selector("[data-track][data-live=connected]")
    assert _call_next(server, clerk)[0] == earlier  # came before the slot began
    number, ticket_id = _call_next(server, clerk, then_no_show=False)
    assert number == booked  # called at its slot, ahead of the later walk-in
    phone.wait_for_selector(".your-turn")
    _no_show(server, clerk, ticket_id)
    assert _call_next(server, clerk)[0] == later
    with _db(server) as conn:
        assert conn.execute("SELECT source FROM ticket WHERE number = ?",
                            (booked,)).fetchone() == ("booked",)
        assert conn.execute("SELECT status, name FROM booking").fetchall() == \
            [("checked_in", "Nguyễn Văn An")]


def _book_by_api(server, start):
    status, body = server.api("POST", "/bookings", {
        "service": 1, "day": _tomorrow_local().isoformat(), "start": start})
    assert status == 201, body
    return body["code"]


def test_a_late_booking_becomes_a_no_show(browser, server, shots):
    base = server.url
    code = _book_by_api(server, "10:00")
    _shift(server, code, datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=2))
    phone = browser.new_page(**PHONE)
    _both_languages(phone, f"{base}/booking/{code}", shots, "booking-no-show-390")
    assert phone.locator("[data-no-show]").is_visible()
    assert phone.locator("[data-booking]").get_attribute("data-status") == "no_show"
    kiosk = browser.new_page(**KIOSK)
    kiosk.goto(f"{base}/kiosk/1/check-in?lang=en")
    for key in code + "X":  # on the touch screen's keypad, one mistake put right
        kiosk.locator(f"[data-key='{key}']").click()
    kiosk.locator("[data-key=back]").click()
    assert kiosk.locator("#code").input_value() == code[:4] + "-" + code[4:]
    kiosk.screenshot(path=str(shots / "kiosk-checkin-keypad-1080-en.png"))
    kiosk.locator(".checkin-form button[type=submit]").click()
    kiosk.wait_for_selector("[data-error=outside_check_in_window]")
    assert "was missed" in kiosk.locator("[data-error]").inner_text()
    kiosk.screenshot(path=str(shots / "kiosk-checkin-missed-1080-en.png"))
    with _db(server) as conn:
        assert conn.execute("SELECT COUNT(*) FROM ticket").fetchone() == (0,)
        assert conn.execute("SELECT status FROM booking").fetchone() == ("no_show",)


def test_a_blocked_slot_shows_on_the_booking_page(browser, server, shots):
    base = server.url
    code = _book_by_api(server, "11:00")
    citizen = browser.new_page(**PHONE)
    citizen.goto(f"{base}/booking/{code}?lang=vi")
    assert citizen.locator("[data-blocked]").count() == 0

    boss = browser.new_page(viewport={"width": 1280, "height": 900})
    boss.goto(f"{base}/supervisor/bookings?day={_tomorrow_local().isoformat()}&lang=vi")
    boss.fill("#username", "supervisor")
    boss.fill("#password", "demo")
    boss.locator("button[type=submit]").click()
    row = boss.locator("tr[data-slot='11:00']")
    row.wait_for()
    assert "1 / 2" in row.inner_text()
    row.locator("input[name=reason]").fill("Cán bộ đi tập huấn")
    boss.screenshot(path=str(shots / "supervisor-bookings-vi.png"), full_page=True)
    row.locator("button[type=submit]").click()
    boss.wait_for_selector("tr[data-slot='11:00'].slot-blocked")
    boss.screenshot(path=str(shots / "supervisor-bookings-blocked-vi.png"), full_page=True)

    citizen.reload()
    notice = citizen.locator("[data-blocked]")
    assert notice.is_visible() and "Cán bộ đi tập huấn" in notice.inner_text()
    _both_languages(citizen, f"{base}/booking/{code}", shots, "booking-blocked-390")
