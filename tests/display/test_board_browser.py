"""End to end in real headless Chromium: a board follows calls and survives a restart.

The server is a real ``queue-server run --demo`` process; the board page is
never reloaded.
"""
import time

import pytest

from tests.browser import chromium


@pytest.fixture
def browser():
    # A kiosk TV is set up to play sound without a click; see docs/display.md.
    with chromium(["--autoplay-policy=no-user-gesture-required"]) as launched:
        yield launched


def issue_and_call(server, token, service, counter):
    status, _ = server.api("POST", "/tickets", {"service": service})
    assert status == 201
    started = time.monotonic()
    status, body = server.api("POST", f"/counters/{counter}/call-next", token=token)
    assert status == 200, body
    return body["ticket"]["number"], started, body["ticket"]["id"]


def shown_within(page, number, seconds):
    """Wait until ``number`` is the newest call on the board; return the seconds it took."""
    page.wait_for_function(
        "n => { const row = document.querySelector('#current .call .number');"
        " return row && row.textContent === n; }", arg=number, timeout=seconds * 1000)


def test_board_shows_calls_at_once_and_recovers_from_a_server_restart(browser, server,
                                                                       tmp_path):
    token = server.token("clerk1")
    # wait_for_function polls with eval, which the CSP forbids; tests/security checks
    # the board under the CSP.
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    page.goto(server.url + "/display/1")
    page.wait_for_function("window.QueueDisplay && window.QueueDisplay.socket.connected")
    page.evaluate("window.notReloaded = true")

    number, started, _ = issue_and_call(server, token, "A", 1)
    shown_within(page, number, 1.0)
    assert time.monotonic() - started < 1.0
    assert "flash" in page.get_attribute("#current .call", "class")
    # The chime, then the Vietnamese call, were played in that order.
    page.wait_for_function("window.QueueDisplay.announcer.played.length >= 2", timeout=5000)
    played = page.evaluate("window.QueueDisplay.announcer.played")
    assert played[0].endswith("/display/static/audio/chime.wav")
    assert played[1].endswith(f"/display/speech/vi/{number}/1.wav")
    page.screenshot(path=str(tmp_path / "board-called.png"))

    server.kill()
    page.wait_for_selector("#reconnecting", state="visible", timeout=5000)
    page.screenshot(path=str(tmp_path / "board-reconnecting.png"))
    server.start()  # same port, same database
    page.wait_for_selector("#reconnecting", state="hidden", timeout=15000)

    token = server.token("clerk2")
    second, started, second_id = issue_and_call(server, token, "B", 2)
    shown_within(page, second, 1.0)
    assert time.monotonic() - started < 1.0
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#recent .number").all_text_contents()[:2] == [second, number]
    page.screenshot(path=str(tmp_path / "board-after-restart.png"))

    # Finished: the number leaves "now serving" with the board's next update (the
    # waiting counts, at most a second later); the other counter's call stays.
    for step in ("start", "finish"):
        status, _ = server.api("POST", f"/tickets/{second_id}/{step}", token=token)
        assert status == 200
    page.wait_for_function(
        "n => ![...document.querySelectorAll('#current .number')].some(e => e.textContent === n)",
        arg=second, timeout=3000)
    assert page.locator("#current .number").all_text_contents() == [number]


def test_counter_display_follows_its_counter(browser, server, tmp_path):
    token = server.token("clerk3")
    # wait_for_function polls with eval, which the CSP forbids; tests/security checks
    # the board under the CSP.
    page = browser.new_page(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page.goto(server.url + "/display/counter/3")
    page.wait_for_function("window.QueueDisplay && window.QueueDisplay.socket.connected")
    assert page.text_content("#state").strip() == "Quầy đã đóng"
    number, _, _ = issue_and_call(server, token, "C", 3)
    page.wait_for_function("n => document.getElementById('number').textContent === n",
                           arg=number, timeout=1000)
    assert page.text_content("#state") == "Đang phục vụ"
    page.screenshot(path=str(tmp_path / "counter.png"))


# An Audio stand-in: blocked until the test allows sound, then each clip "ends" after 50 ms.
FAKE_AUDIO = """
window.soundAllowed = false;
window.Audio = function (src) { this.src = src; this.handlers = {}; };
window.Audio.prototype.addEventListener = function (type, fn) { this.handlers[type] = fn; };
window.Audio.prototype.play = function () {
  if (!window.soundAllowed) {
    var error = new Error("blocked"); error.name = "NotAllowedError";
    return Promise.reject(error);
  }
  var clip = this;
  setTimeout(function () { clip.handlers.ended && clip.handlers.ended(); }, 50);
  return Promise.resolve();
};
"""


def test_blocked_sound_asks_once_and_announcements_queue_in_order(browser, server):
    token = server.token("clerk1")
    page = browser.new_page(bypass_csp=True)  # wait_for_function evals (see above)
    page.add_init_script(FAKE_AUDIO)
    page.goto(server.url + "/display/1?lang=vi,en")
    page.wait_for_function("window.QueueDisplay && window.QueueDisplay.socket.connected")
    first, _, _ = issue_and_call(server, token, "A", 1)
    second, _, _ = issue_and_call(server, server.token("clerk2"), "B", 2)
    page.wait_for_selector("#enable-sound", state="visible", timeout=2000)
    shown_within(page, second, 1.0)

    page.evaluate("window.soundAllowed = true")
    page.click("#enable-sound")
    page.wait_for_function("window.QueueDisplay.announcer.idle()", timeout=5000)
    played = [url.split("/display/")[1] for url in
              page.evaluate("window.QueueDisplay.announcer.played")]
    chime = "static/audio/chime.wav"
    # The two waiting calls are merged: one chime, the newest first, the first language
    # only (docs/display.md, "When calls bunch").
    assert played == [chime,  # the blocked try
                      chime, f"speech/vi/{second}/2.wav", f"speech/vi/{first}/1.wav"]
    assert not page.is_visible("#enable-sound")
