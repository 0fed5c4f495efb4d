"""Several companies (多账套) on one server (issue #12): each its own store,
chosen per request (X-Company, /c/<code>/graphql) and per CLI call
(--company); nothing of one company is readable from another, and a token of
one company is refused by another unless its user belongs there."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import cli
from api.companies import (
    Companies,
    UnknownCompany,
    add_company,
    company_config,
    company_url,
    list_companies,
    requested_code,
)
from api.runtime import Runtime
from domain.store import ConfigurationError, parse_database_url
from domain.users.directory import new_token
from tests.conftest import pg_admin

OPEN = 'mutation { openPeriod(input: {period: "2026-11"}) { __typename ... on Error { message } } }'
POST = """mutation { postJournalEntry(input: {postingDate: "2026-11-02", summary: "invest",
  lines: [{account: "1002", debit: "250.00"}, {account: "3001", credit: "250.00"}]}) {
  __typename ... on Error { message } } }"""
ENTRIES = "{ journalEntries { edges { node { summary actor } } } }"
PERIODS = "{ periods { period } }"


@pytest.fixture
def home(store_url) -> Iterator[tuple[Runtime, str, list[str]]]:
    """The home company on a fresh store, and two random company codes (the
    PostgreSQL test database is shared: their schemas are dropped after)."""
    codes = [f"a{uuid.uuid4().hex[:8]}", f"b{uuid.uuid4().hex[:8]}"]
    runtime = Runtime(parse_database_url(store_url))
    try:
        yield runtime, store_url, codes
    finally:
        runtime.close()
        if runtime.config.kind == "postgres":
            with pg_admin(store_url) as conn:
                for code in codes:
                    conn.execute(f'DROP SCHEMA IF EXISTS "company_{code}" CASCADE')


def _cli(url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env={"FACTORYLEDGER_DATABASE_URL": url,
                                                      "FACTORYLEDGER_COMPANY": ""})
    assert result.exit_code == 0, result.output
    return result.output


def _gql(client, query, token=None, path="/graphql", **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(path, json={"query": query}, headers=headers).json()


def test_companies_are_isolated_and_tokens_stay_in_their_company(home):
    runtime, url, (a, b) = home
    out = _cli(url, "company", "add", a, "--name", "甲公司")
    assert out.strip().startswith(f"company {a} (甲公司): ")
    _cli(url, "company", "add", b)
    listed = _cli(url, "company", "list").splitlines()
    assert [line.split()[0] for line in listed] == ["default", *sorted([a, b])]

    # Users per company: a's accountant, b's admin; alice is the home's and a member of b.
    t_a = _cli(url, "--company", a, "user", "add", "kuaiji", "--role", "accountant").strip()
    t_b = _cli(url, "--company", b, "user", "add", "boss", "--role", "admin").strip()
    t_alice = new_token()
    runtime.app.create_user("alice", ["admin"], t_alice)
    _cli(url, "--company", b, "user", "add", "alice", "--role", "accountant")

    with TestClient(create_app(runtime), client=("127.0.0.1", 40000)) as client:
        # a's accountant writes in a, by URL prefix and by header alike
        assert _gql(client, OPEN, t_a, path=f"/c/{a}/graphql")["data"]["openPeriod"][
            "__typename"] == "OpenPeriodSuccess"
        assert _gql(client, POST, t_a, **{"X-Company": a})["data"]["postJournalEntry"][
            "__typename"] == "PostJournalEntrySuccess"
        in_a = _gql(client, ENTRIES, t_a, path=f"/c/{a}/graphql")["data"]["journalEntries"]
        assert [e["node"] for e in in_a["edges"]] == [{"summary": "invest", "actor": "kuaiji"}]

        # nothing of a is readable in b or at home
        assert _gql(client, ENTRIES, t_b, path=f"/c/{b}/graphql")["data"]["journalEntries"][
            "edges"] == []
        assert _gql(client, PERIODS, t_b, **{"X-Company": b})["data"]["periods"] == []
        assert _gql(client, PERIODS, t_alice)["data"]["periods"] == []
        assert _gql(client, PERIODS, t_a, path=f"/c/{a}/graphql")["data"]["periods"] == [
            {"period": "2026-11"}]

        # a's token is refused by b and by the home company, writing nothing
        positions = (runtime.app.log_position(),)
        refused = _gql(client, PERIODS, t_a, path=f"/c/{b}/graphql")["errors"][0]
        assert refused["extensions"]["type"] == "PermissionDenied"
        assert "sign in" in refused["message"]
        write = _gql(client, OPEN, t_a, **{"X-Company": b})["data"]["openPeriod"]
        assert write["__typename"] == "PermissionDenied"
        assert _gql(client, PERIODS, t_a)["errors"][0]["extensions"]["type"] == \
            "PermissionDenied"
        assert (runtime.app.log_position(),) == positions

        # alice's home token: a member of b (accountant there), not of a
        opened = _gql(client, OPEN, t_alice, path=f"/c/{b}/graphql")["data"]["openPeriod"]
        assert opened["__typename"] == "OpenPeriodSuccess"
        assert _gql(client, PERIODS, t_alice, **{"X-Company": b})["data"]["periods"] == [
            {"period": "2026-11"}]
        assert _gql(client, PERIODS, t_alice, path=f"/c/{a}/graphql")["errors"][0][
            "extensions"]["type"] == "PermissionDenied"
        # b's roles, not the home's: an accountant cannot add users in b
        assert _gql(client, 'mutation { setViewerReadAreas(input: {areas: ["ledger"]}) '
                    '{ __typename } }', t_alice, **{"X-Company": b})["data"][
            "setViewerReadAreas"]["__typename"] == "PermissionDenied"
        # disabled in b: refused there, still admin at home
        _cli(url, "--company", b, "user", "disable", "alice")
        assert "errors" in _gql(client, PERIODS, t_alice, **{"X-Company": b})
        assert _gql(client, PERIODS, t_alice)["data"]["periods"] == []

        # downloads choose the company the same way
        auth = {"Authorization": f"Bearer {t_a}"}
        csv = client.get(f"/c/{a}/reports/trial-balance.csv?period=2026-11", headers=auth)
        assert csv.status_code == 200 and "250.00" in csv.content.decode("utf-8-sig")
        assert client.get("/reports/trial-balance.csv?period=2026-11",
                          headers={**auth, "X-Company": b}).status_code == 401
        assert client.get("/c/nosuch/reports/trial-balance.csv?period=2026-11",
                          headers=auth).status_code == 404

        # an unknown company, a bad code, two different names: HTTP errors, nothing read
        unknown = client.post("/c/nosuch/graphql", json={"query": PERIODS},
                              headers={"Authorization": f"Bearer {t_a}"})
        assert unknown.status_code == 404 and "no company 'nosuch'" in unknown.text
        assert client.post("/graphql", json={"query": PERIODS},
                           headers={"X-Company": "Bad/Code"}).status_code == 400
        both = client.post(f"/c/{a}/graphql", json={"query": PERIODS},
                           headers={"X-Company": b})
        assert both.status_code == 400 and "name one" in both.text

    # the CLI chooses the company per call
    assert "2026-11" not in _cli(url, "trial-balance", "--period", "2026-11")
    in_a = _cli(url, "--company", a, "trial-balance", "--period", "2026-11")
    assert "250.00" in in_a and "balanced" in in_a


def test_a_company_code_and_store_are_checked(home):
    runtime, url, (a, _b) = home
    with pytest.raises(ConfigurationError, match="bad company code"):
        add_company(runtime, "1abc")
    with pytest.raises(ConfigurationError, match="home company"):
        add_company(runtime, "default")
    with pytest.raises(ConfigurationError, match="already a company's store"):
        add_company(runtime, a, database_url=url)  # the home store itself
    add_company(runtime, a)
    with pytest.raises(ConfigurationError, match="exists already"):
        add_company(runtime, a)
    assert [c.code for c in list_companies(runtime.engine)] == [a]
    with pytest.raises(UnknownCompany, match=f"known: default, {a}"):
        company_config(runtime.config, "zzz")
    assert company_config(runtime.config, None) == runtime.config
    assert company_config(runtime.config, "default") == runtime.config


def test_where_a_new_company_goes():
    sqlite = parse_database_url("sqlite:///var/factoryledger.db")
    assert company_url(sqlite, "acme") == "sqlite:///var/companies/acme.db"
    pg = parse_database_url("postgresql://erp:p%40ss@db/erp?sslmode=require&schema=main")
    moved = parse_database_url(company_url(pg, "acme"))
    assert (moved.host, moved.user, moved.password, moved.dbname, moved.schema,
            dict(moved.params)) == ("db", "erp", "p@ss", "erp", "company_acme",
                                    {"sslmode": "require"})


@pytest.mark.parametrize("path, header, code", [
    (None, None, None), ("acme", None, "acme"), (None, "Acme", "acme"),
    ("acme", "ACME", "acme"), ("", " ", None),
])
def test_the_request_names_its_company(path, header, code):
    assert requested_code(path, header) == code


def test_the_server_opens_a_company_once_and_closes_it(home):
    runtime, _url, (a, _b) = home
    add_company(runtime, a)
    companies = Companies(lambda: runtime)
    first = companies.runtime(a)
    assert companies.runtime(a) is first and companies.runtime(None) is runtime
    assert first.code == a and first.identity is runtime.app
    companies.close()
    assert companies.runtime(a) is not first
    companies.close()


ALERTS = "subscription { qualityAlerts { __typename } }"  # not an operator's to read


def _subscribe(client, path: str, token: str) -> list[dict]:
    """The errors a subscription is refused with (the connection_init carries the token)."""
    with client.websocket_connect(path, subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init",
                      "payload": {"Authorization": f"Bearer {token}"}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": ALERTS}})
        first = ws.receive_json()
        return first["payload"]["errors"] if first["type"] == "next" else first["payload"]


def test_a_subscription_signs_in_to_the_company_of_its_url(home):
    runtime, url, (a, b) = home
    _cli(url, "company", "add", a)
    _cli(url, "company", "add", b)
    t_a = _cli(url, "--company", a, "user", "add", "zhang", "--role", "operator").strip()
    _cli(url, "--company", b, "user", "add", "boss", "--role", "admin")
    with TestClient(create_app(runtime), client=("127.0.0.1", 40000)) as client:
        # in a: signed in as a's operator, who does not read quality (told who does)
        errors = _subscribe(client, f"/c/{a}/graphql", t_a)
        assert errors[0]["extensions"]["type"] == "PermissionDenied"
        assert errors[0]["extensions"]["query"] == "qualityAlerts"
        assert "operator" not in errors[0]["extensions"]["roles"]
        # in b: a's token signs no one in
        errors = _subscribe(client, f"/c/{b}/graphql", t_a)
        assert errors[0]["extensions"]["type"] == "PermissionDenied"
        assert errors[0]["message"].startswith("sign in")
