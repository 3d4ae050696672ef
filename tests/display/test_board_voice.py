"""Announcements keep up with the board when calls bunch (docs/display.md, "When calls
bunch"): real headless Chromium, a real server, real speech clips."""
import time

import pytest

from tests.browser import chromium

#: The documented bound for three calls made together: the voice queue is empty within
#: 6 s + 4 s per waiting call of the last one (docs/display.md, "When calls bunch").
VOICE_BOUND_S = 6 + 4 * 3
#: ... and the newest of them starts to be said within one clip and a chime.
NEWEST_WITHIN_S = 6


@pytest.fixture
def tv():
    with chromium(["--autoplay-policy=no-user-gesture-required"]) as launched:
        yield launched


def test_three_calls_within_two_seconds_are_all_said_within_the_bound(tv, server, tmp_path):
    tokens = {c: server.token(f"clerk{c}") for c in (1, 2, 3)}
    for service in ("A", "B", "C"):
        assert server.api("POST", "/tickets", {"service": service})[0] == 201
    page = tv.new_page(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    page.goto(server.url + "/display/1")  # the demo office: vi then en by default
    page.wait_for_function("window.QueueDisplay && window.QueueDisplay.socket.connected")
    assert page.get_attribute("body", "data-langs") == "vi,en"
    page.evaluate("""() => {
      window.spoken = [];
      const a = window.QueueDisplay.announcer, say = a.onSpeak;
      a.onSpeak = call => { window.spoken.push([call.number, performance.now()]); say(call); };
    }""")

    numbers, started = [], time.monotonic()
    for counter in (1, 2, 3):
        status, body = server.api("POST", f"/counters/{counter}/call-next", token=tokens[counter])
        assert status == 200, body
        numbers.append(body["ticket"]["number"])
    last_call = time.monotonic()
    last_call_page_ms = page.evaluate("performance.now()")
    assert last_call - started < 2.0
    page.wait_for_function("() => document.querySelectorAll('#current .call').length === 3")
    page.wait_for_function("window.QueueDisplay.announcer.idle()", timeout=VOICE_BOUND_S * 1000)
    took = time.monotonic() - last_call
    assert took < VOICE_BOUND_S

    played = [url.split("/display/")[1] for url in
              page.evaluate("window.QueueDisplay.announcer.played")]
    voiced = [p for p in played if p.startswith("speech/")]
    first, second, third = numbers
    # Every call is said at least once; after the first, the newest comes first.
    for number in numbers:
        assert any(f"/{number}/" in p for p in voiced), (number, played)
    later = [p for p in voiced if f"/{first}/" not in p]
    assert f"/{third}/" in later[0], played
    # What was highlighted is what was being said, in that order.
    highlighted = page.evaluate("window.spoken")
    newest_at = next(at for n, at in highlighted if n == third)
    assert (newest_at - last_call_page_ms) / 1000 < NEWEST_WITHIN_S, highlighted
    spoken = [n for n, _ in highlighted]
    said_order = []
    for p in voiced:
        number = p.split("/")[2]
        if not said_order or said_order[-1] != number:
            said_order.append(number)
    # (A call cut short during its chime was highlighted then, and again when said.)
    assert spoken[-len(said_order):] == said_order, (spoken, said_order)
    assert page.evaluate("window.QueueDisplay.announcer.dropped") == 0
    print(f"voice queue empty {took:.1f} s after the third call; played {played}")
    page.screenshot(path=str(tmp_path / "board-three-calls.png"))
