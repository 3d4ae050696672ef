"""Issue 16's admin situations in real headless Chromium against a real server:
a service no counter serves (not offered, 409, the admin is told), and a lunch break
(the kiosk and the phone say when the office reopens).

``QUEUE_SHOTS=<folder>`` keeps the screenshots there (else in the test's tmp folder).
"""
import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ADMIN = {"width": 1440, "height": 900}
KIOSK = {"width": 1920, "height": 1080}


def shot(page, tmp_path, name):
    folder = os.environ.get("QUEUE_SHOTS") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, name + ".png"), full_page=True)


def sign_in(page, base, username="admin"):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_service_no_counter_serves(browser, server, tmp_path):
    admin = browser.new_page(viewport=ADMIN)
    sign_in(admin, server.url)
    admin.goto(server.url + "/admin/offices/1/services/new?lang=vi")
    admin.fill("#code", "E")
    admin.fill("#name_vi", "Tư pháp")
    admin.fill("#name_en", "Justice")
    admin.fill("#prefix", "E")
    admin.locator("form.admin-form button[type=submit]").click()
    admin.wait_for_selector("[data-unserved]")
    assert "Chưa có quầy nào phục vụ E" in admin.locator(".flashes").inner_text()
    row = admin.locator("tr[data-service=E]").inner_text()
    assert "không có: không cấp số" in row
    shot(admin, tmp_path, "admin-services-unserved-vi")
    admin.goto(server.url + "/admin/offices/1/services?lang=en")
    assert "No counter serves E" in admin.locator("[data-unserved]").inner_text()
    shot(admin, tmp_path, "admin-services-unserved-en")
    admin.goto(server.url + "/admin?lang=vi")
    assert "E" in admin.locator("[data-unserved]").inner_text()

    kiosk = browser.new_page(viewport=KIOSK)
    kiosk.goto(server.url + "/kiosk/1?lang=vi")
    assert kiosk.locator("button[name=service]").count() == 4  # A-D, not E
    assert kiosk.locator("button[name=service][value=E]").count() == 0
    note = kiosk.locator("[data-unserved]").inner_text()
    assert "Hôm nay không phục vụ:" in note and "E – Tư pháp" in note
    shot(kiosk, tmp_path, "kiosk-unserved-vi")
    status, body = server.api("POST", "/tickets", {"service": "E"})
    assert (status, body["error"]["code"]) == (409, "service_not_served")

    # The admin gives it a counter on the service's form: the kiosk offers it at once.
    admin.goto(server.url + "/admin/offices/1/services?lang=vi")
    admin.locator("tr[data-service=E] a").first.click()
    admin.locator("#counters input[type=checkbox]").nth(2).check()  # counter 3
    shot(admin, tmp_path, "admin-service-form-vi")
    admin.locator("form.admin-form button[type=submit]").first.click()
    admin.wait_for_selector("tr[data-service=E]")
    assert admin.locator("tr[data-service=E] td").nth(4).inner_text() == "3"
    assert admin.locator("[data-unserved]").count() == 0
    kiosk.reload()
    assert kiosk.locator("button[name=service][value=E]").count() == 1
    assert kiosk.locator("[data-unserved]").count() == 0
    assert server.api("POST", "/tickets", {"service": "E"})[0] == 201


def lunch_now(tz="Asia/Ho_Chi_Minh", minutes_left=40):
    now = datetime.now(ZoneInfo(tz))
    start, end = now - timedelta(minutes=30), now + timedelta(minutes=minutes_left)
    if start.date() != now.date() or end.date() != now.date() or start.hour < 1 or \
            end.hour > 22:
        pytest.skip("the local time is too near midnight for a lunch break now")
    return start.strftime("%H:%M"), end.strftime("%H:%M")


def test_the_kiosk_and_phone_in_a_lunch_break(browser, server, tmp_path):
    status, ticket = server.api("POST", "/tickets", {"service": "A"})  # before the break
    assert status == 201
    start, end = lunch_now()
    day = {"open": "00:00", "close": "23:59", "break": {"start": start, "end": end}}
    token = server.token("admin")
    status, body = server.api("PUT", "/offices/1/hours", {"days": {d: day for d in DAYS}},
                              token=token)
    assert status == 200, body

    kiosk = browser.new_page(viewport=KIOSK)
    for lang, heading, reopens in (
            ("vi", "Đang nghỉ trưa, tạm ngừng cấp số", f"Mở cửa lại lúc {end} hôm nay."),
            ("en", "Lunch break: no tickets now", f"It reopens today at {end}.")):
        kiosk.goto(f"{server.url}/kiosk/1?lang={lang}")
        panel = kiosk.locator("[data-availability=break]")
        assert panel.locator("h1").inner_text() == heading
        assert kiosk.locator("[data-reopens]").inner_text() == reopens
        assert kiosk.locator("button[name=service]").count() == 0
        shot(kiosk, tmp_path, f"kiosk-lunch-{lang}")
    status, body = server.api("POST", "/tickets", {"service": "A"})
    assert (status, body["error"]["code"]) == (409, "office_closed")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                             has_touch=True)
    phone.goto(ticket["track_url"].replace("http://localhost", server.url) + "?lang=vi")
    assert phone.locator("[data-reopens]").inner_text() == (
        f"Bộ phận một cửa đang nghỉ trưa. Mở cửa lại lúc {end} hôm nay. "
        "Số của quý khách vẫn giữ nguyên vị trí trong hàng.")
    shot(phone, tmp_path, "phone-lunch-vi")

    admin = browser.new_page(viewport=ADMIN)
    sign_in(admin, server.url)
    for lang in ("vi", "en"):
        admin.goto(f"{server.url}/admin/offices/1/hours?lang={lang}")
        assert admin.locator("#mon_break_end").input_value() == end
        shot(admin, tmp_path, f"admin-hours-{lang}")
        admin.goto(f"{server.url}/admin/offices/1/screens?lang={lang}")
        assert admin.locator("tr[data-screen=counter_display]").count() == 4
        assert admin.locator("img.qr").count() == admin.locator("tr[data-screen]").count()
        shot(admin, tmp_path, f"admin-screens-{lang}")
