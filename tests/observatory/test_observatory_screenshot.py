"""Evidence screenshots: rendered offline from the stored page, skipped where Chromium is absent."""

import pytest

from guichet.observatory.screenshot import chromium_available, render_screenshot

PAGE = b"<html><body><h2>V\xc3\xa9rification</h2><img src='http://192.0.2.1/x.png'></body></html>"


@pytest.mark.skipif(not chromium_available(), reason="Chromium is not installed here")
def test_stored_page_is_rendered_to_png_without_network():
    picture = render_screenshot(PAGE)
    assert picture.startswith(b"\x89PNG")
    assert int.from_bytes(picture[16:20], "big") == 1280  # the viewport's width


def test_without_chromium_the_check_goes_on_without_a_picture():
    assert render_screenshot(PAGE, path="/nonexistent/chromium") is None
