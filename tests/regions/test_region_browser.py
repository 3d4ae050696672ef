"""The region overview and the public regional page in real headless Chromium against a
real server process, at a desktop's and a phone's size, in Vietnamese and English.

Screenshots land in the test's tmp folder (and in $REGION_SHOTS when set).
"""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def call(base, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(base + path, method=method, headers=headers,
                                     data=json.dumps(body).encode() if body is not None
                                     else None)
    with urllib.request.urlopen(request) as response:
        return json.load(response)


@pytest.fixture
def region_server(server):
    """The demo server with a province of three offices and a regional user ``tinh``."""
    base = server.url
    token = call(base, "POST", "/api/v1/auth/token",
                 {"username": "admin", "password": "demo"})["token"]
    region = call(base, "POST", "/api/v1/regions", {"name": "Tỉnh Bắc Giang"}, token)["id"]
    call(base, "PATCH", "/api/v1/offices/1", {"region": region, "public_stats": True}, token)
    for name in ("UBND phường Trần Phú", "UBND xã Song Mai"):
        call(base, "POST", "/api/v1/offices",
             {"name": name, "region": region, "public_stats": True}, token)
    subprocess.run([sys.executable, "-m", "queue_server.cli", "create-user", "tinh",
                    "--role", "regional", "--region", str(region), "--password", "demo"],
                   env=server.env, cwd=server.workdir, check=True, capture_output=True)
    for service in ("A", "A", "B"):
        call(base, "POST", "/api/v1/tickets", {"service": service, "office": 1})
    server.region = region
    return server


def shots_dir(tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir(exist_ok=True)
    return shots


def keep(shots):
    if os.environ.get("REGION_SHOTS"):
        os.makedirs(os.environ["REGION_SHOTS"], exist_ok=True)
        for png in shots.iterdir():
            shutil.copy(png, os.environ["REGION_SHOTS"])


def test_overview_goes_live_and_opens_the_office(browser, region_server, tmp_path):
    shots, base, region = shots_dir(tmp_path), region_server.url, region_server.region
    for size, (width, height) in SIZES.items():
        for lang in ("vi", "en"):
            # wait_for_function evaluates by eval, which the CSP forbids (tests/security
            # checks the pages under the CSP itself).
            context = browser.new_context(viewport={"width": width, "height": height},
                                          bypass_csp=True)
            page = context.new_page()
            page.goto(f"{base}/login?lang={lang}")
            page.fill("input[name=username]", "tinh")
            page.fill("input[name=password]", "demo")
            page.click("button[type=submit]")
            page.goto(f"{base}/region/{region}?lang={lang}")
            page.wait_for_selector("#live.on")
            rows = page.locator("#offices tr[data-office]")
            assert rows.count() == 3
            # The office with people waiting comes first (longest wait, then the others).
            assert rows.first.get_attribute("data-office") == "1"
            waiting = page.locator('tr[data-office="1"] [data-field="waiting"]')
            before = int(waiting.inner_text().split()[-1])
            call(base, "POST", "/api/v1/tickets", {"service": "B", "office": 1})
            changed = time.monotonic()
            page.wait_for_function(
                "n => document.querySelector('tr[data-office=\"1\"] [data-field=\"waiting\"]')"
                ".textContent.trim().endsWith(String(n))", arg=before + 1, timeout=2000)
            assert time.monotonic() - changed < 2.0
            if size == "phone":  # a card per office, no sideways scrolling
                assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(shots / f"overview-{size}-{lang}.png"), full_page=True)
            if size == "desktop" and lang == "en":
                page.click('tr[data-office="1"] th a')
                page.wait_for_selector("#dashboard")
                assert "UBND phường Dĩnh Kế" in page.inner_text("h1")
                page.goto(f"{base}/region/{region}/comparison?lang={lang}")
                assert page.locator("svg").count() >= 2
                page.screenshot(path=str(shots / f"comparison-{size}-{lang}.png"),
                                full_page=True)
            context.close()
    keep(shots)


def test_public_regional_page(browser, region_server, tmp_path):
    shots, base, region = shots_dir(tmp_path), region_server.url, region_server.region
    for size, (width, height) in SIZES.items():
        for lang in ("vi", "en"):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{base}/public/region/{region}?lang={lang}")
            rows = page.locator("table.public-region tbody tr")
            assert rows.count() == 3
            text = page.inner_text("table.public-region")
            assert "UBND phường Dĩnh Kế" in text and "UBND xã Song Mai" in text
            heading = page.inner_text("h1")
            assert heading == ("Thời gian chờ ở Tỉnh Bắc Giang" if lang == "vi"
                               else "Waiting times in Tỉnh Bắc Giang")
            if size == "phone":
                assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(shots / f"public-{size}-{lang}.png"), full_page=True)
            page.close()
    keep(shots)
