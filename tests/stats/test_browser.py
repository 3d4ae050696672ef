"""The supervisor's pages in real headless Chromium against a real server process.

Screenshots land in the test's tmp folder (and in $STATS_SHOTS when set).
"""
import json
import os
import shutil
import sqlite3
import urllib.request


def issue(base, service):
    request = urllib.request.Request(base + "/api/v1/tickets", method="POST",
                                     data=json.dumps({"service": service}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_dashboard_goes_live_reports_and_public_page(browser, server, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    base = server.url
    issue(base, "A")
    # wait_for_function polls with eval when its condition is not yet true, which the
    # CSP forbids; tests/security checks the pages under the CSP itself.
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page.goto(f"{base}/login?lang=en")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.goto(f"{base}/supervisor")
    page.wait_for_selector("#live.on")
    assert page.locator("#services tr").first.locator("td").nth(1).inner_text() == "1"
    issue(base, "A")
    page.wait_for_function(
        "document.querySelector('#services tr td:nth-child(2)').textContent === '2'")
    # Re-rendered from the live snapshot, in the page's language (English here).
    assert page.locator("#services tr").first.locator("td").first.inner_text() == \
        "A – Civil status"
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)

    page.goto(f"{base}/supervisor/reports?group=hour")
    assert page.locator("svg").count() >= 2
    page.screenshot(path=str(shots / "reports.png"), full_page=True)

    with sqlite3.connect(server.db_file) as conn:
        conn.execute("UPDATE office SET public_stats = 1")
    public = browser.new_page(viewport={"width": 1000, "height": 900})
    public.goto(f"{base}/public/1")
    assert "Tháng này" in public.content()
    public.screenshot(path=str(shots / "public.png"), full_page=True)
    if os.environ.get("STATS_SHOTS"):
        for png in shots.iterdir():
            shutil.copy(png, os.environ["STATS_SHOTS"])
