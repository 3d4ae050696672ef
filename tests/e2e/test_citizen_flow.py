"""End to end in real headless Chromium: a citizen's ticket from kiosk to rating.

A real ``queue-server run --demo`` process on an ephemeral port and a temporary
SQLite file; kiosk, phone, clerk console and rating tablet are separate browser
pages. Screenshots of every screen are saved under the test's tmp folder.
"""
import re
import sqlite3


def test_kiosk_to_console_to_phone_to_rating(browser, server, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    base = server.url

    # The kiosk, portrait then landscape; the citizen takes a ticket for service A.
    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    kiosk.goto(f"{base}/kiosk/1")
    assert kiosk.get_by_text("Hộ tịch").is_visible()
    kiosk.screenshot(path=str(shots / "kiosk-portrait.png"))
    kiosk.set_viewport_size({"width": 1920, "height": 1080})
    kiosk.screenshot(path=str(shots / "kiosk-landscape.png"))
    kiosk.set_viewport_size({"width": 1080, "height": 1920})
    kiosk.locator("button[name=service][value=A]").click()
    kiosk.wait_for_selector(".ticket-confirm")
    number = kiosk.locator(".big-number").inner_text().strip()
    assert number == "A001"
    assert kiosk.locator(".qr img").evaluate("img => img.complete && img.naturalWidth > 0")
    kiosk.screenshot(path=str(shots / "kiosk-ticket-portrait.png"))
    kiosk.set_viewport_size({"width": 1920, "height": 1080})
    kiosk.screenshot(path=str(shots / "kiosk-ticket-landscape.png"))
    qr_src = kiosk.locator(".qr img").get_attribute("src")
    token = re.match(r"/t/([^/]+)/qr\.svg", qr_src).group(1)

    # The citizen's phone follows the ticket live.
    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True,
                             has_touch=True)
    phone.goto(f"{base}/t/{token}")
    phone.wait_for_selector("[data-track][data-live=connected]")
    assert phone.locator("[data-field=number]").inner_text() == "A001"
    phone.screenshot(path=str(shots / "phone-waiting.png"), full_page=True)

    # The clerk signs in, takes counter 1 and calls with the keyboard.
    clerk = browser.new_page(viewport={"width": 1280, "height": 800})
    clerk.goto(f"{base}/counter")
    clerk.fill("#username", "clerk1")
    clerk.fill("#password", "demo")
    clerk.screenshot(path=str(shots / "login.png"))
    clerk.locator("button[type=submit]").click()
    clerk.select_option("#counter_id", value="1")
    clerk.locator("form[action$='/counter/sign-in'] button").click()
    clerk.wait_for_selector("button[data-key=N]")
    clerk.screenshot(path=str(shots / "console-idle.png"))
    clerk.wait_for_load_state("load")  # the key handler is a deferred script
    clerk.keyboard.press("n")
    clerk.wait_for_selector(".current .big-number")
    assert clerk.locator(".current .big-number").inner_text() == "A001"
    clerk.screenshot(path=str(shots / "console-called.png"))

    # The phone changes to "your turn" without a reload.
    phone.wait_for_selector(".your-turn")
    assert phone.locator(".your-turn").inner_text() == "Đến lượt quý khách: quầy số 1"
    phone.screenshot(path=str(shots / "phone-your-turn.png"), full_page=True)

    clerk.wait_for_load_state("load")  # the key handler is a deferred script
    clerk.keyboard.press("s")
    clerk.wait_for_selector(".current.status-serving")  # Finish is enabled from "called" on
    clerk.screenshot(path=str(shots / "console-serving.png"))
    clerk.wait_for_load_state("load")  # the key handler is a deferred script
    clerk.keyboard.press("f")
    clerk.wait_for_selector(".current .lead")  # no ticket: "Call next" again
    phone.wait_for_selector(".status-done")

    # The counter's rating tablet offers exactly that ticket.
    tablet = browser.new_page(viewport={"width": 1280, "height": 800})
    tablet.goto(f"{base}/rate/1")
    assert tablet.locator(".rate-number").inner_text() == "A001"
    # The choice first, then the comment, then "send" (reading order).
    tablet.get_by_text("Hài lòng", exact=True).click()
    tablet.fill("textarea", "Nhanh, chu đáo")
    tablet.screenshot(path=str(shots / "rate-ask.png"))
    tablet.get_by_role("button", name="Gửi").click()
    tablet.wait_for_selector("text=Cảm ơn quý khách đã đánh giá!")
    tablet.screenshot(path=str(shots / "rate-thanks.png"))

    with sqlite3.connect(server.db_file) as conn:
        rows = conn.execute("SELECT t.number, r.score, r.comment, r.counter_id FROM rating r "
                            "JOIN ticket t ON t.id = r.ticket_id").fetchall()
    assert rows == [("A001", 3, "Nhanh, chu đáo", 1)]
    assert len(list(shots.glob("*.png"))) == 12
