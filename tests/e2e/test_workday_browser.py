"""Issue 16's situations walked in real headless Chromium against a real server:
the clerk's sign-out with a ticket in hand, calling a chosen number, undoing a
no-show, a stranded ticket released by a supervisor, a comment found in the report.

Screenshots go to the test's tmp folder and, when $WORKDAY_SHOTS is set, there too.
"""
import os
import shutil
import sqlite3

import pytest

CONSOLE = {"width": 1366, "height": 768}
DESK = {"width": 1440, "height": 900}


@pytest.fixture
def shots(tmp_path):
    folder = tmp_path / "shots"
    folder.mkdir()
    yield folder
    if os.environ.get("WORKDAY_SHOTS"):
        os.makedirs(os.environ["WORKDAY_SHOTS"], exist_ok=True)
        for png in folder.iterdir():
            shutil.copy(png, os.environ["WORKDAY_SHOTS"])


def sign_in(browser, base, username, counter=None, viewport=CONSOLE, lang="vi"):
    page = browser.new_page(viewport=viewport, bypass_csp=True)
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.locator("button[type=submit]").click()
    if counter is not None:
        page.select_option("#counter_id", value=str(counter))
        page.locator("form[action$='/counter/sign-in'] button").click()
        page.wait_for_selector(".desk")
    return page


def issue(server, code, n=1):
    numbers = []
    for _ in range(n):
        status, body = server.api("POST", "/tickets", {"service": code})
        assert status == 201, body
        numbers.append(body["number"])
    return numbers


def press(page, key, then):
    """Press a console key once its script listens, then wait for ``then`` to show."""
    page.wait_for_load_state("load")
    page.keyboard.press(key)
    page.wait_for_selector(then)


def nothing_wraps_or_hides(page):
    """What the clerk needs for the current ticket: every button and field of the
    current panel on one line and inside the 1366x768 window."""
    return page.evaluate("""() => {
      const wrapped = el => Array.from(el.childNodes).some(n => {
        if (n.nodeType !== 3 || !n.textContent.trim()) { return false; }
        const range = document.createRange();
        range.selectNodeContents(n);
        return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size > 1;
      });
      const bad = [];
      document.querySelectorAll('.current button, .current select, .current input, '
          + '.current label, .big-number, .status-line, .timer, .service-line')
        .forEach(el => {
          const r = el.getBoundingClientRect();
          if (r.bottom > window.innerHeight || r.right > window.innerWidth || wrapped(el)
              || (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1)) {
            bad.push((el.innerText || el.name || el.className).trim() + ' @' + Math.round(r.bottom));
          }
        });
      return bad;
    }""")


def test_sign_out_with_a_ticket_in_hand_and_a_chosen_number(browser, server, shots):
    base = server.url
    first, second, third = issue(server, "A", 3)
    board = browser.new_page(viewport={"width": 1280, "height": 720}, bypass_csp=True)
    board.goto(f"{base}/display/1")

    clerk = sign_in(browser, base, "clerk1", counter=1)
    # The citizen at the desk holds the third ticket: call that one.
    assert clerk.locator("tr[data-ticket]").all_inner_texts()[0].startswith(first)
    clerk.locator(f"tr[data-ticket={third}] button", has_text="Gọi").click()
    clerk.wait_for_selector(f"[data-current={third}]")
    assert clerk.locator(".status-line").inner_text() == "Đã gọi – chờ người dân đến"
    board.wait_for_function(f"document.querySelector('#current').innerText.includes('{third}')")
    clerk.screenshot(path=str(shots / "console-called-vi-1366.png"))
    assert nothing_wraps_or_hides(clerk) == []
    clerk.goto(f"{base}/counter?lang=en")
    clerk.screenshot(path=str(shots / "console-called-en-1366.png"))
    assert nothing_wraps_or_hides(clerk) == []
    assert clerk.locator(".status-line").inner_text() == "Called – waiting for the citizen"

    # Sign out with it in hand: asked what becomes of it; handed back, it leaves the board.
    clerk.locator("form[action='/logout'] button").click()
    clerk.wait_for_selector("[data-leave]")
    assert third in clerk.locator(".lead").inner_text()
    clerk.screenshot(path=str(shots / "leave-en.png"))
    clerk.check("input[value=release]")
    clerk.locator("[data-leave]").click()
    clerk.wait_for_selector("#username")
    board.wait_for_function(
        f"!document.querySelector('#current').innerText.includes('{third}')", timeout=5000)
    status, line = server.api("GET", "/counters/1/waiting", token=server.token("clerk2"))
    assert status == 200 and third in [t["number"] for t in line]


def test_undo_a_no_show_pressed_by_mistake(browser, server, shots):
    base = server.url
    first, second = issue(server, "B", 2)
    clerk = sign_in(browser, base, "clerk2", counter=2, lang="en")
    press(clerk, "n", f"[data-current={first}]")
    press(clerk, "s", ".status-serving")
    assert clerk.locator(".status-line").inner_text() == "Being served"
    assert clerk.locator("button[data-key=X]").is_disabled()  # no no-show once serving
    press(clerk, "n", f"[data-current={second}]")  # finish and call next: one press
    press(clerk, "x", f"[data-undo={second}]")
    clerk.screenshot(path=str(shots / "console-undo-en-1366.png"))
    press(clerk, "u", f"tr[data-ticket={second}]")
    assert "back in line" in clerk.locator(f"tr[data-ticket={second}]").inner_text()
    status, ticket = server.api("GET", "/counters/2/waiting", token=server.token("clerk2"))
    assert [t["number"] for t in ticket] == [second]


def test_a_stranded_ticket_released_by_the_supervisor(browser, server, shots):
    base = server.url
    [number] = issue(server, "C")
    token = server.token("clerk3")
    status, called = server.api("POST", "/counters/3/call-next", token=token)
    assert status == 200
    board = browser.new_page(viewport={"width": 1280, "height": 720}, bypass_csp=True)
    board.goto(f"{base}/display/1")
    board.wait_for_function(f"document.querySelector('#current').innerText.includes('{number}')")
    # The stranding as an older client or a closed browser leaves it: nobody at counter 3.
    with sqlite3.connect(server.db_file) as conn:
        conn.execute("UPDATE counter SET clerk_id = NULL WHERE number = 3")

    boss = sign_in(browser, base, "supervisor", viewport=DESK, lang="en")
    boss.wait_for_url("**/supervisor")  # a supervisor lands on the dashboard
    boss.wait_for_selector("#live.on")
    alert = boss.locator(".alert-counter_closed_with_ticket")
    assert alert.inner_text().startswith(f"Counter 3 is left by its clerk but still holds "
                                         f"ticket {number}.")
    boss.screenshot(path=str(shots / "dashboard-en-1440.png"), full_page=True)
    alert.locator("button").click()
    boss.wait_for_selector(".flash-info")
    assert boss.locator(".alert-counter_closed_with_ticket").count() == 0
    board.wait_for_function(
        f"!document.querySelector('#current').innerText.includes('{number}')", timeout=5000)
    boss.goto(f"{base}/supervisor?lang=vi")
    boss.wait_for_selector("#live.on")
    boss.screenshot(path=str(shots / "dashboard-vi-1440.png"), full_page=True)


def test_a_comment_found_in_the_report(browser, server, shots):
    base = server.url
    [number] = issue(server, "A")
    clerk = sign_in(browser, base, "clerk1", counter=1)
    press(clerk, "n", f"[data-current={number}]")
    press(clerk, "f", ".lead")  # finished straight from "called": no ticket left
    tablet = browser.new_page(viewport={"width": 1280, "height": 800})
    tablet.goto(f"{base}/rate/1")
    # The tablet's reading order: the choice, then the comment, then "send".
    tablet.locator(".rating-dissatisfied").click()
    tablet.fill("textarea", "Phải chờ bản sao quá lâu")
    tablet.get_by_role("button", name="Gửi").click()
    tablet.wait_for_url("**/thanks")

    boss = sign_in(browser, base, "supervisor", viewport=DESK)
    boss.wait_for_selector("#comments li")
    assert "Phải chờ bản sao quá lâu" in boss.locator("#comments").inner_text()
    boss.goto(f"{base}/supervisor/reports?lang=en")
    boss.locator(".presets a", has_text="Today").click()
    boss.select_option("select[name=score]", "1")
    boss.locator(".filters button").click()
    row = boss.locator(".comments-table tbody tr")
    assert row.count() == 1
    assert "Phải chờ bản sao quá lâu" in row.inner_text() and number in row.inner_text()
    boss.screenshot(path=str(shots / "reports-en-1440.png"), full_page=True)
    boss.goto(f"{base}/supervisor/reports?preset=today&lang=vi")
    boss.screenshot(path=str(shots / "reports-vi-1440.png"), full_page=True)
