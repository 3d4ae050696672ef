"""Real headless Chromium (Debian's) for the browser tests, driven by Playwright."""
import contextlib
import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium floods this closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chromium(extra_args=()):
    """A launched browser; fails in CI and skips elsewhere when chromium is missing."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is required for the browser tests (scripts/test installs it)")
        pytest.skip("chromium is not installed")
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=ARGS + list(extra_args))
        try:
            yield browser
        finally:
            browser.close()
