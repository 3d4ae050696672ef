"""The citizen's phone at 360 px in real headless Chromium: turn near, sound on, a
transfer seen without reload, and cancelling one's own ticket after a confirmation."""


def test_phone_warns_confirms_sound_follows_a_transfer_and_cancels(browser, server, tmp_path):
    for _ in range(2):  # two people ahead
        assert server.api("POST", "/tickets", {"service": "A"})[0] == 201
    status, ticket = server.api("POST", "/tickets", {"service": "A"})
    assert status == 201
    token = ticket["track_url"].rsplit("/", 1)[-1]
    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True,
                             has_touch=True)
    phone.goto(f"{server.url}/t/{token}")
    phone.wait_for_selector("[data-track][data-live=connected]")
    phone.evaluate("window.notReloaded = true")
    # Two ahead, the warning starts at three (QUEUE_TRACK_NEAR): said at once.
    near = phone.locator("[data-field=near]")
    near.wait_for(state="visible", timeout=3000)
    assert near.inner_text() == ("Sắp đến lượt quý khách: còn 2 người phía trước. "
                                 "Xin đến gần các quầy.")
    header = phone.locator("header.bar").bounding_box()
    assert header["height"] < 80  # one row: the office name and the language switch
    phone.locator("[data-sound]").tap()
    phone.wait_for_selector("[data-sound-on]:not([hidden])", timeout=3000)
    phone.screenshot(path=str(tmp_path / "phone-near.png"), full_page=True)

    clerk = server.token("clerk1")
    for step in ("pause", "resume"):  # the clerk works at counter 1
        assert server.api("POST", f"/counters/1/{step}", token=clerk)[0] == 200
    status, body = server.api("POST", f"/tickets/{ticket['id']}/transfer", {"service": "B"},
                              token=clerk)
    assert status == 200, body
    phone.wait_for_selector("[data-field=moved]:not([hidden])", timeout=5000)
    assert phone.locator("[data-field=service]").inner_text() == "Chứng thực"
    assert phone.evaluate("window.notReloaded") is True

    phone.locator(".cancel-box summary").tap()
    confirm = phone.locator("[data-cancel-confirm]")
    confirm.wait_for(state="visible")
    assert confirm.inner_text() == f"Đồng ý, huỷ số {ticket['number']}"
    phone.screenshot(path=str(tmp_path / "phone-cancel-confirm.png"), full_page=True)
    confirm.tap()
    phone.wait_for_selector(".status-cancelled")
    assert phone.locator("[data-final-only]").is_visible()
    assert not phone.locator("[data-live-only]").is_visible()
    phone.screenshot(path=str(tmp_path / "phone-cancelled.png"), full_page=True)
