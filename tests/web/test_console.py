"""The console's frame in a real browser: sign-in, languages, the role guard,
CSRF, and no request to any other server."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.web.conftest import DESKTOP, TABLET_PORTRAIT, shot, sign_in


def test_sign_in_shows_the_pages_of_the_role_in_chinese_then_english(new_page):
    page = new_page(DESKTOP)
    page.goto("/")
    assert page.url.endswith("/login?next=/") or "/login" in page.url
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".flash.error").inner_text() == "用户名或密码错误。"
    sign_in(page, "operator")
    assert page.locator("header .user").inner_text() == "operator"
    assert page.locator("header button.link").inner_text() == "退出登录"
    shot(page, "home-desktop-zh")
    page.click("a.lang")  # English
    assert page.locator("header button.link").inner_text() == "Sign out"
    page.goto("/")  # the choice is remembered (cookie)
    assert page.locator("header button.link").inner_text() == "Sign out"


def test_a_form_without_the_csrf_token_is_refused(new_page, base_url):
    page = new_page(TABLET_PORTRAIT)
    sign_in(page, "operator")
    answer = page.request.post(base_url + "/logout", form={"csrf_token": "forged"},
                               max_redirects=0)
    assert answer.status == 403
    page.goto("/")
    assert page.locator("header .user").inner_text() == "operator"  # still signed in


def test_the_console_loads_nothing_from_another_server(new_page, base_url):
    page = new_page(DESKTOP)
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    sign_in(page, "admin")
    page.goto("/")
    page.wait_for_load_state("networkidle")
    own = urlsplit(base_url).netloc
    hosts = {urlsplit(url).netloc for url in seen if not url.startswith(("data:", "blob:"))}
    assert hosts == {own}, seen
    assert any(url.endswith("htmx-2.0.4.min.js?v=1") for url in seen)
