"""Live reload seen from a real browser: an edit shows up with no action, an error shows
an overlay naming its file and line, and the fix takes the overlay away."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import article, make_site
from servers import serving

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

ARTICLE = "/articles/2024/05/harbour-news/"


def test_open_page_follows_edits_and_shows_build_errors(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "content/harbour.md": article("Harbour news", "The ferry is late.\n"),
        },
    )
    with serving(site) as (url, _), sync_playwright() as p:
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
        page = browser.new_page()
        page.goto(url + ARTICLE)
        expect(page.locator(".article-body")).to_contain_text("The ferry is late.")
        page.wait_for_timeout(300)  # let the event stream connect

        saved = time.monotonic()
        (site / "content/harbour.md").write_text(article("Harbour news", "The ferry is early.\n"))
        expect(page.locator(".article-body")).to_contain_text("The ferry is early.", timeout=10000)
        print(f"save to reload: {time.monotonic() - saved:.2f} s")

        template = site / "templates/article.html"
        template.parent.mkdir()
        template.write_text(
            "{% extends 'base.html' %}\n{% block content %}\n"
            "<p>{{ article.title }</p>\n{% endblock %}\n"
        )
        overlay = page.locator("#broadsheet-error")
        expect(overlay).to_be_visible(timeout=10000)
        expect(overlay).to_contain_text("templates/article.html:3")
        expect(page.locator(".article-body")).to_contain_text("The ferry is early.")

        template.write_text(
            "{% extends 'base.html' %}\n{% block content %}\n"
            '<p class="fixed">{{ article.title }}</p>\n{% endblock %}\n'
        )
        expect(page.locator("p.fixed")).to_have_text("Harbour news", timeout=10000)
        expect(overlay).to_have_count(0)
        browser.close()
