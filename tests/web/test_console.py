"""The console's frame in a real browser: sign-in, languages, the role guard,
CSRF, and no request to any other server."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

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
    for path in ("/", "/terminal?wc=WC-HEAD", "/login"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/board")  # its event stream never idles: wait for the charts instead
    page.locator("#chart-oee").wait_for()
    page.wait_for_function("window.Chart !== undefined")
    own = urlsplit(base_url).netloc
    hosts = {urlsplit(url).netloc for url in seen if not url.startswith(("data:", "blob:"))}
    assert hosts == {own}, seen
    for asset in ("htmx-2.0.4.min.js", "chart-4.4.7.umd.js", "terminal.js", "board.js"):
        assert any(asset in url for url in seen), asset


def test_graphiql_runs_a_query_with_its_own_assets_only(new_page, base_url):
    page = new_page(DESKTOP)
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto("/graphql")
    page.locator(".graphiql-container").first.wait_for()
    page.locator(".graphiql-execute-button").click()
    # the demo has users: the API asks for a token, in GraphiQL's own result pane
    expect(page.locator(".result-window")).to_contain_text("send a valid bearer token")
    own = urlsplit(base_url).netloc
    hosts = {urlsplit(url).netloc for url in seen if not url.startswith(("data:", "blob:"))}
    assert hosts == {own}, seen
    shot(page, "graphiql-desktop")
