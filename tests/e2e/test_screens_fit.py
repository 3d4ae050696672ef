"""Every citizen screen at the sizes it runs on, in Vietnamese and English, in real
headless Chromium against a real ``queue-server run --demo``.

A screen fails when any element's text overflows its box or is cut (scrollWidth >
clientWidth, an ellipsis), when the page scrolls sideways, or when a Vietnamese page
shows an English sentence of our catalogues. Screenshots of every screen go to
``$QUEUE_SHOTS_DIR`` (else the test's tmp folder). One browser, one server, one page
per screen size.
"""
import os
import re
import time

import pytest
from babel.messages.pofile import read_po

from tests.browser import chromium
from tests.serving import ServerProcess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CATALOGUES = ["queue_server/translations", "display/translations",
              "queue_server/stats_translations"]

KIOSK = [(1080, 1920), (1920, 1080)]
BOARD = [(1920, 1080), (1366, 768)]
PHONE = [(390, 844), (360, 740)]
TABLET = [(1280, 800)]
CONSOLE = [(1366, 768)]

# Runs in the page: everything that overflows, is cut with an ellipsis, or scrolls sideways.
OVERFLOWS = """() => {
  const bad = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    bad.push("the page scrolls sideways: " + doc.scrollWidth + " > " + doc.clientWidth);
  }
  const skip = new Set(["INPUT", "SELECT", "TEXTAREA", "OPTION", "AUDIO", "SCRIPT", "STYLE"]);
  for (const el of document.body.querySelectorAll("*")) {
    // .visually-hidden: words for screen readers, clipped to 1 px on purpose.
    if (skip.has(el.tagName) || el.closest("svg, .notice, .skip, .visually-hidden")) { continue; }
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.display === "inline" || cs.display === "contents" ||
        cs.visibility === "hidden" || el.clientWidth === 0) { continue; }
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\\s+/g, ".") : "");
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    if (el.scrollWidth > el.clientWidth + 1) {
      bad.push(name + " overflows (" + el.scrollWidth + " > " + el.clientWidth + "): " + text);
    }
    if (cs.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth) {
      bad.push(name + " is cut with an ellipsis: " + text);
    }
    const box = el.getBoundingClientRect();
    if (box.right > doc.clientWidth + 1 && cs.position !== "fixed") {
      bad.push(name + " sticks out to the right (" + Math.round(box.right) + "): " + text);
    }
  }
  return bad;
}"""

# The visible words of the page, without what is marked as English on purpose (the
# English names beside Vietnamese ones on the kiosk, the language switch).
VIETNAMESE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll("[lang=en], script, style, noscript").forEach(e => e.remove());
  return copy.textContent.replace(/\\s+/g, " ");
}"""


def english_sentences():
    """Fragments of our catalogues' English msgids that must never show on a Vietnamese
    page: whole sentences (3+ words), placeholders cut out, when Vietnamese differs."""
    found = set()
    for folder in CATALOGUES:
        path = os.path.join(ROOT, folder, "vi", "LC_MESSAGES", "messages.po")
        with open(path, encoding="utf-8") as po:
            for message in read_po(po):
                if not message.id or not isinstance(message.id, str) or not message.string:
                    continue
                if message.string == message.id:
                    continue
                for piece in re.split(r"%\(\w+\)s|%%|\{\w+\}", message.id):
                    piece = piece.strip(" .:;,–-")
                    if len(piece.split()) >= 3 and len(piece) >= 14:
                        found.add(piece)
    return sorted(found)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A real server (kiosk back home after 4 s untouched) and one browser."""
    workdir = tmp_path_factory.mktemp("fit")
    server = ServerProcess(workdir, db_url=f"sqlite:///{workdir / 'queue.db'}",
                           env={"QUEUE_KIOSK_IDLE_S": "4"})
    server.start()
    try:
        with chromium(["--autoplay-policy=no-user-gesture-required"]) as browser:
            yield server, browser
    finally:
        server.kill()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = os.environ.get("QUEUE_SHOTS_DIR") or str(tmp_path_factory.mktemp("shots"))
    os.makedirs(folder, exist_ok=True)
    return folder


def _token(ticket):
    return ticket["track_url"].rsplit("/", 1)[-1]


def _day_in_the_office(server):
    """Calls on the board, one finished ticket (tablet, phone rating), one waiting."""
    tokens = {c: server.token(f"clerk{c}") for c in (1, 2, 4)}
    issued = {}
    for service in ("A", "A", "B", "D", "D", "A"):
        status, body = server.api("POST", "/tickets", {"service": service})
        assert status == 201, body
        issued.setdefault(service, []).append(body)
    status, first = server.api("POST", "/counters/1/call-next", token=tokens[1])
    assert status == 200, first
    for step in ("start", "finish"):
        assert server.api("POST", f"/tickets/{first['ticket']['id']}/{step}",
                          token=tokens[1])[0] == 200
    for counter in (1, 2, 4):
        assert server.api("POST", f"/counters/{counter}/call-next", token=tokens[counter])[0] == 200
    return {"done": _token(issued["A"][0]), "waiting": _token(issued["A"][2]),
            "called": _token(issued["D"][0])}


def _check(page, url, lang, english, problems, shot):
    page.goto(url)
    if "/display/" in url:
        page.wait_for_function("window.QueueDisplay && window.QueueDisplay.socket.connected")
        page.wait_for_timeout(150)  # the snapshot rendered and fitted
    elif "/t/" in url and url.rsplit("/", 1)[-1].split("?")[0] not in ("rate",):
        page.wait_for_selector("[data-track][data-live=connected]")
    assert page.evaluate("document.documentElement.lang") == lang, url
    for problem in page.evaluate(OVERFLOWS):
        problems.append(f"{url} {page.viewport_size}: {problem}")
    if lang == "vi":
        text = page.evaluate(VIETNAMESE_TEXT)
        for sentence in english:
            if sentence in text:
                problems.append(f"{url}: English on a Vietnamese page: {sentence!r}")
    page.screenshot(path=shot, full_page=False)


def test_every_screen_fits_its_sizes_in_both_languages(live, shots):
    server, browser = live
    english = english_sentences()
    assert len(english) > 100  # the catalogue was read
    state = _day_in_the_office(server)
    base = server.url
    # (name, path, sizes, staff). The tablet first: it offers a finished ticket for 60 s.
    screens = [
        ("tablet-ask", "/rate/1", TABLET, None),
        ("tablet-idle", "/rate/3", TABLET, None),
        ("start", "/", [(1366, 768)] + PHONE[1:], None),
        ("kiosk", "/kiosk/1", KIOSK, None),
        ("kiosk-ticket", f"/kiosk/1/ticket/{state['waiting']}", KIOSK, None),
        ("board", "/display/1", BOARD, None),
        ("counter-display", "/display/counter/4", BOARD[:1], None),
        ("phone-waiting", f"/t/{state['waiting']}", PHONE, None),
        ("phone-called", f"/t/{state['called']}", PHONE[1:], None),
        ("phone-done", f"/t/{state['done']}", PHONE[1:], None),
        ("phone-rate", f"/t/{state['done']}/rate", PHONE[1:], None),
        ("phone-join", "/join/1", PHONE, None),
        ("public", "/public/1", PHONE[1:] + [(1366, 768)], None),
        ("not-found", "/nowhere", PHONE[1:] + KIOSK[1:], None),
        ("console", "/counter", CONSOLE, "clerk1"),
    ]
    problems = []
    contexts = {}
    for name, path, sizes, staff in screens:
        if staff not in contexts:
            context = browser.new_context(bypass_csp=True)  # wait_for_function evals
            if staff:
                login = context.new_page()
                login.goto(f"{base}/login")
                login.fill("#username", staff)
                login.fill("#password", "demo")
                login.locator("button[type=submit]").click()
                login.wait_for_load_state()
                login.close()
            contexts[staff] = (context, context.new_page())
        page = contexts[staff][1]
        for width, height in sizes:
            page.set_viewport_size({"width": width, "height": height})
            for lang in ("vi", "en"):
                joiner = "&" if "?" in path else "?"
                url = f"{base}{path}{joiner}lang={lang}"
                shot = os.path.join(shots, f"{name}-{width}x{height}-{lang}.png")
                _check(page, url, lang, english, problems, shot)
    for context, _ in contexts.values():
        context.close()
    assert not problems, "\n".join(problems)


def test_the_kiosk_goes_back_to_vietnamese_by_itself(live, shots):
    server, browser = live
    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    page.goto(f"{server.url}/kiosk/1")
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.screenshot(path=os.path.join(shots, "kiosk-tapped-english.png"))
    started = time.monotonic()
    page.wait_for_url(re.compile(r"/kiosk/1\?lang=vi$"), timeout=10000)  # idle: 4 s here
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.get_by_text("Chọn dịch vụ để lấy số").is_visible()
    assert time.monotonic() - started < 9

    # A citizen who takes a ticket in English reads the confirmation in English; the
    # screen after it is Vietnamese again.
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    page.locator("button[name=service][value=B]").click()
    page.wait_for_selector(".ticket-confirm")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator(".done-row a").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.close()
