"""系统管理 in a real browser: the admin creates an inspector with a password
(the first API token shown once), the new user signs in to the inspection
page, loses it when the admin takes the role away; the read models' state."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, TABLET_LANDSCAPE, shot, sign_in


def test_an_admin_creates_an_inspector_and_changes_their_roles(new_page):
    admin = new_page(DESKTOP)
    sign_in(admin, "admin", next_path="/admin")
    expect(admin.locator("#health")).to_have_text("正常")
    expect(admin.locator("#no-dead-letters")).to_be_visible()
    assert admin.locator("#projections tbody tr").count() > 5
    admin.fill("#new-user input[name=username]", "qc-li")
    admin.fill("#new-user input[name=password]", "li-password-1")
    admin.check("#new-user input[name=roles][value=inspector]")
    admin.click("#new-user button.primary")
    expect(admin.locator("#new-token")).to_contain_text("qc-li")
    assert admin.locator("#new-token code").inner_text().startswith("flt_")
    row = admin.locator("#users tr[data-user=qc-li]")
    expect(row.locator("input[value=inspector]")).to_be_checked()
    shot(admin, "admin-desktop")

    li = new_page(TABLET_LANDSCAPE)
    sign_in(li, "qc-li", "li-password-1", next_path="/inspector")
    expect(li.locator("h1")).to_have_text("质检")

    row.locator("input[value=inspector]").uncheck()
    row.locator("input[value=viewer]").check()
    row.locator("form.roles button").click()
    expect(admin.locator("#users tr[data-user=qc-li] input[value=viewer]")).to_be_checked()
    answer = li.goto("/inspector")  # roles are read on every request
    assert answer is not None and answer.status == 403


def test_only_an_admin_opens_administration(new_page):
    page = new_page(DESKTOP)
    sign_in(page, "accountant", next_path="/")
    answer = page.goto("/admin")
    assert answer is not None and answer.status == 403
