"""Open screens follow changes without a reload, in real headless Chromium.

A real ``queue-server run --demo`` (gevent, events dispatched off the request): an
admin changes the board notice in the admin pages and the open board shows it; a
clerk transfers a ticket and the citizen's open phone page says where it went.
"""


def sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.locator("button[type=submit]").click()


def test_a_changed_notice_reaches_the_open_board(browser, server, tmp_path):
    board = browser.new_page(viewport={"width": 1920, "height": 1080})
    board.goto(server.url + "/display/1")
    board.wait_for_selector("#notice", state="hidden")
    board.evaluate("window.notReloaded = true")

    admin = browser.new_page(viewport={"width": 1440, "height": 900})
    sign_in(admin, server.url, "admin")
    admin.goto(server.url + "/admin/offices/1")
    admin.fill("#notice", "Bộ phận một cửa nghỉ trưa từ 11:30 đến 13:30")
    admin.locator("form.admin-form button[type=submit]").click()

    board.wait_for_selector("#notice:not([hidden])", timeout=5000)
    assert board.locator("#notice span").inner_text() == \
        "Bộ phận một cửa nghỉ trưa từ 11:30 đến 13:30"
    assert board.evaluate("window.notReloaded") is True
    board.screenshot(path=str(tmp_path / "board-notice.png"))


def test_a_transfer_reaches_the_open_phone_page(browser, server, tmp_path):
    status, ticket = server.api("POST", "/tickets", {"service": "A"})
    assert status == 201
    token = ticket["track_url"].rsplit("/", 1)[-1]
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                             has_touch=True)
    phone.goto(f"{server.url}/t/{token}")
    phone.wait_for_selector("[data-track][data-live=connected]")
    assert phone.locator("[data-field=service]").inner_text() == "Hộ tịch"
    phone.evaluate("window.notReloaded = true")

    clerk = server.token("clerk1")
    for step in ("pause", "resume"):  # the clerk works at counter 1 (a first act signs in)
        assert server.api("POST", f"/counters/1/{step}", token=clerk)[0] == 200
    status, body = server.api("POST", f"/tickets/{ticket['id']}/transfer", {"service": "B"},
                              token=clerk)
    assert status == 200, body

    phone.wait_for_selector("[data-field=moved]:not([hidden])", timeout=5000)
    assert phone.locator("[data-field=service]").inner_text() == "Chứng thực"
    assert phone.locator("[data-field=moved]").inner_text() == \
        "Đã chuyển sang Chứng thực; quý khách vẫn giữ nguyên vị trí trong hàng."
    assert phone.locator("[data-field=number]").inner_text() == ticket["number"]
    assert phone.evaluate("window.notReloaded") is True
    phone.screenshot(path=str(tmp_path / "phone-moved.png"), full_page=True)

    # The phone now follows the new line: a call there is heard without a reload.
    status, called = server.api("POST", "/counters/2/call-next", token=server.token("clerk2"))
    assert status == 200 and called["ticket"]["number"] == ticket["number"]
    phone.wait_for_selector(".your-turn", timeout=5000)
