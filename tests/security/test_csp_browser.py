"""The screens work in real Chromium under the Content-Security-Policy, with no violation.

A ``queue-server run --demo`` process; the kiosk issues a ticket, the phone and
the board open their live sockets. Every console message about the policy is
collected; there must be none.
"""
from tests.serving import ServerProcess


def test_screens_run_under_the_csp_without_violations(browser, tmp_path):
    violations = []
    with ServerProcess(tmp_path, db_url=f"sqlite:///{tmp_path / 'queue.db'}") as server:
        page = browser.new_page()
        page.on("console", lambda msg: violations.append(msg.text)
                if "Content Security Policy" in msg.text else None)
        page.goto(server.url + "/kiosk/1")
        page.locator("button[name=service][value=A]").click()
        page.wait_for_selector(".ticket-confirm")
        page.screenshot(path=str(tmp_path / "kiosk-under-csp.png"))
        track = page.locator("a[href*='/t/']").first.get_attribute("href") \
            if page.locator("a[href*='/t/']").count() else None
        if track:
            with page.expect_websocket():
                page.goto(track if track.startswith("http") else server.url + track)
        with page.expect_websocket() as board_socket:
            page.goto(server.url + "/display/1")
        assert "/socket.io/" in board_socket.value.url
        page.screenshot(path=str(tmp_path / "board-under-csp.png"))
        page.goto(server.url + "/login")
    assert violations == []
