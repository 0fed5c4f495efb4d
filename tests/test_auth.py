"""Roles and bearer tokens: open until the first user exists, then every
request needs a valid token and each mutation checks the caller's role."""

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import cli
from domain.access import COMMAND_ROLES
from domain.command_table import COMMANDS
from domain.commands import CommandContext
from domain.errors import PermissionDenied
from domain.users.directory import new_token

OPEN = 'mutation { openPeriod(input: {period: "2026-11"}) { __typename ... on Error { message } } }'
POST = """mutation { postJournalEntry(input: {postingDate: "2026-11-02", summary: "invest",
  lines: [{account: "1002", debit: "10.00"}, {account: "3001", credit: "10.00"}]}) {
  __typename ... on Error { message } } }"""
QUERY = "{ periods { period status } }"


def gql(client, query, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/graphql", json={"query": query}, headers=headers).json()


@pytest.fixture
def client(runtime):
    with TestClient(create_app(runtime)) as c:
        yield c


def test_the_api_is_open_until_the_first_user_exists(client):
    assert gql(client, OPEN)["data"]["openPeriod"]["__typename"] == "OpenPeriodSuccess"
    assert gql(client, QUERY)["data"]["periods"][0]["status"] == "OPEN"


def test_once_users_exist_roles_decide_who_may_do_what(runtime, client):
    admin, clerk, viewer = new_token(), new_token(), new_token()
    runtime.app.create_user("root", ["admin"], admin)
    runtime.app.create_user("kuaiji", ["accountant"], clerk)
    runtime.app.create_user("boss", ["viewer"], viewer)
    position = runtime.app.log_position()
    # No token, a bad token, or a viewer: nothing is written.
    assert gql(client, OPEN)["data"]["openPeriod"]["__typename"] == "PermissionDenied"
    assert gql(client, OPEN, "flt_wrong")["data"]["openPeriod"]["__typename"] == \
        "PermissionDenied"
    denied = gql(client, OPEN, viewer)["data"]["openPeriod"]
    assert denied["__typename"] == "PermissionDenied" and "accountant" in denied["message"]
    assert runtime.app.log_position() == position
    # Queries need a valid token; a viewer reads the periods (master data).
    errors = gql(client, QUERY)["errors"]
    assert errors[0]["extensions"]["type"] == "PermissionDenied"
    assert gql(client, QUERY, viewer)["data"]["periods"] == []
    # The accountant books; the entry records who did it.
    assert gql(client, OPEN, clerk)["data"]["openPeriod"]["__typename"] == "OpenPeriodSuccess"
    assert gql(client, POST, clerk)["data"]["postJournalEntry"]["__typename"] == \
        "PostJournalEntrySuccess"
    journal = "{ journalEntries { edges { node { actor } } } }"
    entries = gql(client, journal, clerk)
    assert entries["data"]["journalEntries"]["edges"][0]["node"]["actor"] == "kuaiji"
    # ... but by default not the journal (tests/test_access.py has every role and query).
    refused = gql(client, journal, viewer)["errors"][0]
    assert (refused["extensions"]["type"], refused["extensions"]["query"]) == \
        ("PermissionDenied", "journalEntries")
    # Reopening a closed period is for an admin only (反结账).
    runtime.app.close_period("2026-11")
    reopen = 'mutation { reopenPeriod(input: {period: "2026-11", reason: "late invoice"}) ' \
             '{ __typename } }'
    assert gql(client, reopen, clerk)["data"]["reopenPeriod"]["__typename"] == "PermissionDenied"
    assert gql(client, reopen, admin)["data"]["reopenPeriod"]["__typename"] == \
        "ReopenPeriodSuccess"


def test_a_revoked_token_no_longer_works(runtime, client):
    token = new_token()
    runtime.app.create_user("kuaiji", ["accountant"], token)
    assert "data" in gql(client, QUERY, token) and not gql(client, QUERY, token).get("errors")
    runtime.app.revoke_token(token)
    assert gql(client, QUERY, token)["errors"][0]["extensions"]["type"] == "PermissionDenied"


def test_every_command_has_a_role_rule_and_every_rule_a_command():
    """domain/access.py and the command table name the same commands (a
    scanner's report runs as report_operation, so it has that command's rule)."""

    commands = {command.name for command in COMMANDS.values()}
    assert len(commands) >= 70
    assert commands <= set(COMMAND_ROLES), commands - set(COMMAND_ROLES)
    assert set(COMMAND_ROLES) <= commands, set(COMMAND_ROLES) - commands


def test_the_domain_refuses_a_role_that_may_not_run_a_command(runtime):
    ctx = CommandContext(actor="op", roles=frozenset({"operator"}))
    with pytest.raises(PermissionDenied):
        runtime.app.open_period("2026-11", ctx=ctx)


def test_cli_creates_users_and_prints_tokens(store_url, runtime):
    runner = CliRunner()
    out = runner.invoke(cli, ["user", "add", "wang", "--role", "storekeeper", "-d", store_url])
    assert out.exit_code == 0, out.output
    token = out.output.strip()
    assert token.startswith("flt_")
    principal = runtime.app.authenticate(token)
    assert (principal.actor, principal.roles) == ("wang", frozenset({"storekeeper"}))
    bad = runner.invoke(cli, ["user", "add", "li", "--role", "king", "-d", store_url])
    assert bad.exit_code == 2 and "roles must be some of" in bad.output
    listed = runner.invoke(cli, ["user", "list", "-d", store_url])
    assert "wang" in listed.output and "storekeeper" in listed.output
