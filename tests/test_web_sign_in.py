"""The web console's sign-in and its pure helpers, without a browser: the
password command (an argon2 hash in the event, never the password), the
session principal, the formats, the catalogs (tests/web has the browser)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from api.web import i18n
from api.web.messages import main as messages
from api.web.passwords import hash_password, verify_password
from domain.commands import CommandContext
from domain.errors import NotFound, PermissionDenied, ValidationError
from domain.users.directory import user_id


def test_a_password_is_stored_as_its_argon2_hash_only(memory_app):
    memory_app.create_user("mei", ["operator"], "flt_mei_token")
    digest = hash_password("correct horse")
    memory_app.set_user_password("mei", digest)
    stored = memory_app.password_hash("mei")
    assert stored == digest and stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "correct horsE")
    recorded = memory_app.recorder.select_events(user_id("mei"))
    assert len(recorded) == 3  # Created, TokenAdded, PasswordSet
    assert all(b"correct horse" not in e.state for e in recorded)


def test_a_plain_password_or_an_unknown_user_is_refused_and_writes_nothing(memory_app):
    memory_app.create_user("mei", ["operator"], "flt_mei_token")
    before = memory_app.log_position()
    with pytest.raises(ValidationError, match="argon2"):
        memory_app.set_user_password("mei", "correct horse")
    with pytest.raises(NotFound):
        memory_app.set_user_password("nobody", hash_password("correct horse"))
    with pytest.raises(ValidationError, match="8 characters"):
        hash_password("short")
    assert memory_app.log_position() == before


def test_only_an_admin_sets_a_password(memory_app):
    memory_app.create_user("mei", ["operator"], "flt_mei_token")
    with pytest.raises(PermissionDenied):
        memory_app.set_user_password("mei", hash_password("correct horse"),
                                     ctx=CommandContext(actor="mei", roles=frozenset({"operator"})))


def test_the_session_principal_follows_the_user_now(memory_app):
    assert memory_app.session_principal("mei").open_mode  # no users: open mode
    memory_app.create_user("mei", ["operator"], "flt_mei_token")
    found = memory_app.session_principal("mei")
    assert (found.actor, found.roles) == ("mei", frozenset({"operator"}))
    assert found.areas == frozenset({"master-data", "production"})
    memory_app.disable_user("mei")
    assert memory_app.session_principal("mei").roles == frozenset()
    assert memory_app.password_hash("mei") is None  # a disabled user cannot sign in
    assert memory_app.session_principal(None).roles == frozenset()


def test_no_hash_or_a_wrong_one_never_verifies():
    assert not verify_password(None, "anything-at-all")
    assert not verify_password("not a hash", "anything-at-all")


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("1234.56"), "1,234.56"), (Decimal("1234.5"), "1,234.50"), ("0", "0.00"),
    (Decimal("-1234567.005"), "-1,234,567.01"), (Decimal("0.005"), "0.01"), (None, ""),
])
def test_amounts_read_like_a_voucher(value, text):
    assert i18n.amount(value) == text


def test_dates_and_quantities():
    assert i18n.chinese_date(date(2026, 11, 16)) == "2026年11月16日"
    assert i18n.chinese_date("2026-01-05") == "2026年1月5日"
    i18n.set_language("en")
    assert i18n.day(date(2026, 11, 16)) == "2026-11-16"
    i18n.set_language("zh_CN")
    assert i18n.day(date(2026, 11, 16)) == "2026年11月16日"
    assert i18n.quantity(Decimal("12500.500")) == "12,500.5"
    assert i18n.quantity(Decimal("1000")) == "1,000"
    assert i18n.percent(Decimal("0.9234")) == "92.3%"


def test_languages_come_from_the_catalogs():
    i18n.set_language("zh_CN")
    assert i18n.gettext("Sign in") == "登录"
    i18n.set_language("en")
    assert i18n.gettext("Sign in") == "Sign in"
    assert i18n.choose("en-US") == "en" and i18n.choose("fr") == "zh_CN"
    i18n.set_language("zh_CN")


def test_every_catalog_is_current_and_every_text_has_its_chinese(capsys):
    assert messages(["--check"]) == 0, capsys.readouterr().out


# -- over HTTP (TestClient; tests/web has the browser) ------------------------------------
def _client(runtime, client=("127.0.0.1", 50000)):
    from starlette.testclient import TestClient

    from api.app import create_app

    return TestClient(create_app(runtime), base_url="http://127.0.0.1", client=client)


def _csrf(text: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def _signed_in(runtime, user: str = "mei", **headers):
    client = _client(runtime)
    token = _csrf(client.get("/login").text)
    answer = client.post("/login", data={"username": user, "password": "correct horse",
                                         "csrf_token": token}, headers=headers,
                         follow_redirects=False)
    return client, answer


@pytest.fixture
def mei(runtime):
    runtime.app.create_user("mei", ["operator"], "flt_mei_token")
    runtime.app.set_user_password("mei", hash_password("correct horse"))
    return runtime


def test_the_session_cookie_is_httponly_lax_and_secure_behind_tls(mei):
    _client_, answer = _signed_in(mei)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert "correct horse" not in cookie
    _client_, answer = _signed_in(mei, **{"x-forwarded-proto": "https"})
    assert "secure" in answer.headers["set-cookie"].lower()


def test_a_sign_in_without_its_csrf_token_is_refused(mei):
    client = _client(mei)
    client.get("/login")
    answer = client.post("/login", data={"username": "mei", "password": "correct horse"},
                         follow_redirects=False)
    assert answer.status_code == 403
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_disabling_a_user_ends_the_session_at_once(mei):
    client, _answer = _signed_in(mei)
    assert client.get("/terminal", follow_redirects=False).status_code == 200
    mei.app.disable_user("mei")
    answer = client.get("/terminal", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/terminal"


def test_a_role_without_the_page_is_refused_with_the_roles_that_may(mei):
    mei.app.create_user("vic", ["viewer"], "flt_vic_token")
    mei.app.set_user_password("vic", hash_password("correct horse"))
    client, _answer = _signed_in(mei, "vic")
    answer = client.get("/terminal")
    assert answer.status_code == 403
    assert "report_operation needs one of these roles: admin, operator, planner" in answer.text


def test_open_mode_serves_loopback_browsers_only(runtime):
    assert _client(runtime).get("/terminal").status_code == 200  # no users: local admin
    remote = _client(runtime, client=("203.0.113.9", 50000))
    answer = remote.get("/terminal")
    assert answer.status_code == 403 and "loopback clients only" in answer.text


def test_the_next_page_after_sign_in_stays_on_this_server(mei):
    client = _client(mei)
    token = _csrf(client.get("/login?next=//evil.example/x").text)
    answer = client.post("/login", data={"username": "mei", "password": "correct horse",
                                         "csrf_token": token, "next": "//evil.example/x"},
                         follow_redirects=False)
    assert answer.headers["location"] == "/"
