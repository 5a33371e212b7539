"""The default theme in a real browser: Debian's Chromium driven by Playwright.

Screenshots of the main page types at desktop and phone widths are written to
tests/screenshots/ (or $BROADSHEET_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

SHOTS = Path(os.environ.get("BROADSHEET_SCREENSHOTS", Path(__file__).parent / "screenshots"))
WIDTHS = {"desktop": (1280, 900), "phone": (375, 740)}
SEED = "/articles/2022/09/putin-orders-mobilization-of-russian-troops-for-part-of-ukraine-war/"
PAGES = {
    "home": "/",
    "article": SEED,
    "entity": "/entities/ilse-varga/",
    "entities": "/entities/",
    "quote": None,
    "archive": "/archive/2024/",
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(sample_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(sample_site / "public"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def first_quote(sample_site: Path) -> str:
    quote = next(p for p in sorted((sample_site / "public/quotes").iterdir()) if p.is_dir())
    return f"/quotes/{quote.name}/"


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen_and_are_screenshotted(
    browser: Browser, server: str, sample_site: Path, width: str
) -> None:
    if SHOTS.exists() and width == "desktop":
        shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    failed_requests: list[str] = []
    page.on("requestfailed", lambda r: failed_requests.append(r.url))
    for name, url in PAGES.items():
        page.goto(server + (url or first_quote(sample_site)))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {width} screen"
        for landmark in ("header", "nav", "main", "footer"):
            assert page.locator(landmark).count() >= 1, f"{name} has no <{landmark}>"
        assert page.locator("h1").count() == 1, f"{name} should have one <h1>"
        assert page.evaluate("[...document.images].every(i => i.hasAttribute('alt'))")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert failed_requests == []
    page.close()


def test_keyboard_user_can_skip_to_content_and_see_focus(browser: Browser, server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + SEED)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0, "the skip link must become visible on focus"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


def test_text_contrast_is_readable(browser: Browser, server: str) -> None:
    """Body text, links and muted text meet WCAG AA contrast against the page."""
    page = browser.new_page()
    page.goto(server + SEED)
    ratios = page.evaluate("""() => {
      const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
      const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const background = el => { for (; el; el = el.parentElement) {
        const c = getComputedStyle(el).backgroundColor;
        if (!c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return rgb(c); }
        return [255, 255, 255]; };
      const ratio = el => { const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
      return [...document.querySelectorAll('p, a, .meta, time, li')].map(ratio);
    }""")
    assert ratios and min(ratios) >= 4.5
    page.close()
