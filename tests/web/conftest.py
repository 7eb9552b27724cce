"""Browser fixtures: the real app served over HTTP on a free port, and headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, quiet: no sandbox in containers, and no calls home that slow the start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (make browser-deps)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context per test (no cookies carried over), closed before the server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()
