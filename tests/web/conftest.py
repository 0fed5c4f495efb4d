"""Browser tests (docs/web.md): a real server (tests/web/server.py) and
Debian's Chromium driven by Playwright for Python. Screenshots go to
tmp/artifacts/ (``shot``). Without /usr/bin/chromium the tests are skipped
locally and fail under CI=true (.ci/run installs it)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.server import CHROMIUM, serve

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ARTIFACTS = Path(__file__).resolve().parents[2] / "tmp" / "artifacts"
TABLET_PORTRAIT = {"width": 800, "height": 1280}
TABLET_LANDSCAPE = {"width": 1280, "height": 800}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("web-server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15000)  # the machine may be busy: wait, then fail
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, base_url):
    """``new_page(viewport=TABLET_LANDSCAPE)``: a page in a fresh context (own
    cookies, own localStorage), closed after the test."""
    contexts = []

    def make(viewport: dict | None = None, locale: str = "zh-CN"):
        context = browser.new_context(base_url=base_url, viewport=viewport or DESKTOP,
                                      locale=locale)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page, username: str, password: str | None = None, next_path: str = "/") -> None:
    page.goto(f"/login?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or f"{username}-demo")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_path) + r"(\?.*)?$"))


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # the top bar in view (the scan box scrolls)
    page.screenshot(path=str(path), full_page=False)
    return path
