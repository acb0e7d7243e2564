"""Full-page screenshots of received pages, when Debian's Chromium is installed.

The stored response is rendered offline (every network request is blocked, scripts are off): the
picture shows exactly what was received, and taking it costs the préfecture nothing. No Django
import.
"""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger("guichet.observatory")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_available(path: str = CHROMIUM) -> bool:
    return Path(path).is_file()


def render_screenshot(html: bytes, path: str = CHROMIUM) -> bytes | None:
    """A PNG of the page, or None when Chromium or Playwright cannot be used here."""
    if not html or not chromium_available(path):
        return None
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(
                    java_script_enabled=False, viewport={"width": 1280, "height": 900}
                )
                page.route("**/*", lambda route: route.abort())
                page.set_content(
                    html.decode("utf-8", errors="replace"), wait_until="domcontentloaded"
                )
                return page.screenshot(full_page=True, type="png")
            finally:
                browser.close()
    except Error as error:
        logger.warning("screenshot skipped: %s", error)
        return None
