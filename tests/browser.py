"""Real headless Chromium (Debian's) for the browser tests, driven by Playwright."""
import contextlib
import os
import shutil

from tests.services import unavailable

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium floods this closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chromium(extra_args=()):
    """A launched browser; fails in CI and skips elsewhere when chromium is missing."""
    if not os.path.exists(CHROMIUM):
        unavailable("chromium is not installed (scripts/test installs it)")
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=ARGS + list(extra_args))
        try:
            yield browser
        finally:
            browser.close()
