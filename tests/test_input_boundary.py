"""Bad text never gets in: the real requests that used to poison PostgreSQL.

A NUL in a journal summary or in ``reportByScan``'s ``equipment`` was stored in
the log and then failed every projection batch on PostgreSQL. Now every
GraphQL String/ID input (variables and literals, arguments and input-object
fields) is checked before anything runs: NUL, control characters other than
tab/LF/CR, lone surrogates and text over 1,000 characters are a
``ValidationError`` naming the field (a mutation answers its union's
``ValidationError``; a query gets top-level errors with ``extensions.type`` and
``extensions.field``), and the log does not move.
"""

from __future__ import annotations

import json
import warnings
from datetime import date

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.app import create_app
from api.cli import cli
from domain import text as domain_text
from domain.equipment.machines import EquipmentSpec
from domain.errors import ValidationError
from domain.production.inputs import MaterialLineInput
from tests.scenes.production import receive_po1, setup_factory

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient

POST = """
mutation Post($input: PostJournalEntryInput!) {
  postJournalEntry(input: $input) {
    __typename
    ... on Error { message }
    ... on ValidationError { field }
    ... on PostJournalEntrySuccess { logPosition entry { summary } }
  }
}"""
SCAN = """
mutation Scan($input: ReportByScanInput!) {
  reportByScan(input: $input) {
    __typename
    ... on Error { message }
    ... on ValidationError { field }
    ... on ReportByScanSuccess { logPosition }
  }
}"""
INVEST = [{"account": "1002", "debit": "100.00"}, {"account": "3001", "credit": "100.00"}]


class Client:
    def __init__(self, client: TestClient, runtime) -> None:
        self.client = client
        self.runtime = runtime

    def send(self, query: str, variables: dict | None = None, raw: str | None = None) -> dict:
        if raw is not None:  # JSON text as a client sends it, e.g. with a lone \ud800
            response = self.client.post("/graphql", content=raw,
                                        headers={"content-type": "application/json"})
        else:
            response = self.client.post("/graphql",
                                        json={"query": query, "variables": variables or {}})
        assert response.status_code in (200, 400), response.text
        return response.json()

    def refused(self, query: str, variables: dict | None = None, raw: str | None = None
                ) -> list[dict]:
        """The operation fails as a whole with typed errors; the log does not move."""
        before = self.runtime.app.log_position()
        body = self.send(query, variables, raw)
        assert body.get("data") is None, body
        assert self.runtime.app.log_position() == before
        return [(e["extensions"], e["message"]) for e in body["errors"]]

    def invalid_command(self, query: str, variables: dict | None = None,
                        raw: str | None = None) -> tuple[str, str]:
        """A mutation answers its union's ValidationError; the log does not move."""
        before = self.runtime.app.log_position()
        body = self.send(query, variables, raw)
        assert "errors" not in body, body
        (result,) = body["data"].values()
        assert result["__typename"] == "ValidationError", result
        assert self.runtime.app.log_position() == before
        return result["field"], result["message"]

    def healthy(self) -> None:
        """Every projection has reached the log and nothing was set aside."""
        self.runtime.runner.catch_up(until=None)
        end = self.runtime.app.log_position()
        assert self.runtime.projected_position() == end
        positions = self.runtime.runner.positions()
        assert positions == {name: end for name in positions}
        with self.runtime.read() as conn:
            dead = conn.execute(text("SELECT count(*) FROM projection_dead_letters")).scalar()
        assert dead == 0


@pytest.fixture
def client(runtime):
    with TestClient(create_app(runtime), raise_server_exceptions=False) as http:
        yield Client(http, runtime)


@pytest.fixture
def api(client, runtime):
    """November 2026 open."""
    runtime.app.open_period("2026-11")
    return client


def post_input(summary: str = "投资者投入资本", **line_extra) -> dict:
    lines = [{**INVEST[0], **line_extra}, INVEST[1]]
    return {"input": {"postingDate": "2026-11-01", "summary": summary, "lines": lines}}


def invalid(field: str) -> dict:
    return {"type": "ValidationError", "field": field}


# -- the findings: NUL stored, then every projection batch failed on PostgreSQL -----------
def test_nul_in_a_journal_summary_is_refused_naming_the_field_and_nothing_is_stored(api):
    assert api.invalid_command(POST, post_input("投资\x00者投入")) == (
        "input.summary", "input.summary must not contain a NUL character")
    api.healthy()
    ok = api.send(POST, post_input())["data"]["postJournalEntry"]
    assert (ok["__typename"], ok["entry"]["summary"]) == (
        "PostJournalEntrySuccess", "投资者投入资本")
    api.healthy()


def test_nul_in_report_by_scan_equipment_is_refused_and_the_log_does_not_move(client, runtime):
    api = client
    app = runtime.app
    setup_factory(app)
    receive_po1(app)
    number = app.create_work_order("SA-BLANK", "1000", date(2026, 11, 12),
                                   date(2026, 11, 9)).value.number
    app.release_work_order(number)
    app.issue_material(number, date(2026, 11, 10), [MaterialLineInput(1, "50")])
    # a report names registered equipment of the operation's work center (issue #14)
    app.register_equipment(EquipmentSpec("CH-01", "冷镦机 1号", "WC-HEAD"))
    api.healthy()
    report = {"code": f"{number}/OP10", "postingDate": "2026-11-10", "good": "1000",
              "laborHours": "2.0", "equipment": "CH\x00-01"}

    assert api.invalid_command(SCAN, {"input": report}) == (
        "input.equipment", "input.equipment must not contain a NUL character")
    api.healthy()
    # the same report with clean text is accepted and projected: the scene was valid
    ok = api.send(SCAN, {"input": {**report, "equipment": "CH-01"}})["data"]["reportByScan"]
    assert ok["__typename"] == "ReportByScanSuccess", ok
    assert ok["logPosition"] == app.log_position()
    api.healthy()


# -- the other bad text: control characters, lone surrogates, over-long ------------------
@pytest.mark.parametrize(("summary", "problem"), [
    ("bell\x07", "must not contain the control character U+0007 "
                 "(tab, line feed and carriage return are allowed)"),
    ("escape\x1b[31m", "must not contain the control character U+001B "
                       "(tab, line feed and carriage return are allowed)"),
    ("del\x7f", "must not contain the control character U+007F "
                "(tab, line feed and carriage return are allowed)"),
    ("x" * 1001, "is too long: 1001 characters, at most 1000"),
])
def test_bad_text_in_a_summary_is_a_validation_error(api, summary, problem):
    assert api.invalid_command(POST, post_input(summary)) == (
        "input.summary", f"input.summary {problem}")


def test_a_lone_surrogate_sent_as_json_escape_is_refused(api):
    raw = json.dumps({"query": POST, "variables": post_input("PLACEHOLDER")})
    raw = raw.replace("PLACEHOLDER", "bad \\ud800 text")
    assert "\\ud800" in raw
    assert api.invalid_command(POST, raw=raw) == (
        "input.summary", "input.summary must not contain a lone surrogate (not valid Unicode text)")


def test_bad_text_deep_in_a_list_names_its_index(api):
    assert api.invalid_command(POST, post_input(memo="备注\x00")) == (
        "input.lines.0.memo", "input.lines.0.memo must not contain a NUL character")


def test_literals_are_checked_like_variables_and_name_the_argument_path(api):
    query = ('mutation { postJournalEntry(input: {postingDate: "2026-11-01", '
             'summary: "ok", lines: [{account: "1002", debit: "1.00", memo: "a\\u0000"}, '
             '{account: "3001", credit: "1.00"}]}) { __typename ... on Error { message } '
             '... on ValidationError { field } } }')
    assert api.invalid_command(query) == (
        "input.lines.0.memo", "input.lines.0.memo must not contain a NUL character")


def test_a_query_reports_every_bad_argument_as_a_top_level_validation_error(api):
    query = '{ a: item(code: "\\u0000") { code } b: items(prefix: "\\u0007") { code } }'
    assert [e for e, _ in api.refused(query)] == [invalid("code"), invalid("prefix")]


def test_tab_newline_carriage_return_and_exactly_1000_characters_are_accepted(api):
    summary = "第一行\t摘要\r\n第二行"
    ok = api.send(POST, post_input(summary))["data"]["postJournalEntry"]
    assert (ok["__typename"], ok["entry"]["summary"]) == ("PostJournalEntrySuccess", summary)
    api.healthy()
    body = api.send("query($p: String) { items(prefix: $p) { code } }", {"p": "x" * 1000})
    assert body == {"data": {"items": []}}


# -- queries: NUL in an argument was a masked DataError on PostgreSQL ---------------------
@pytest.mark.parametrize(("query", "variables", "field"), [
    ("query($c: String!) { item(code: $c) { code } }", {"c": "RM\x00"}, "code"),
    ("query($p: String) { items(prefix: $p) { code } }", {"p": "RM\x00"}, "prefix"),
    ("query($r: String) { mrpExceptions(run: $r) { kind } }", {"r": "\x00"}, "run"),
    ('query($p: String!) { partyStatement(party: $p, from: "2026-11-01", to: "2026-11-30") '
     '{ party } }', {"p": "SUP\x00"}, "party"),
    ("query($s: String!) { purchaseInvoice(supplier: $s, number: \"1\") { number } }",
     {"s": "SUP\x00"}, "supplier"),
    ('{ item(code: "RM\\u0000") { code } }', None, "code"),
])
def test_nul_in_a_query_argument_is_a_typed_validation_error_not_a_masked_one(
        api, query, variables, field):
    errors = api.refused(query, variables)
    assert errors == [(invalid(field), f"{field} must not contain a NUL character")]
    api.healthy()


# -- the pure rule, and the entry that bypasses GraphQL ----------------------------------
def test_check_text_is_the_one_rule():
    assert domain_text.check_text("摘要\t\n\r", "summary") == "摘要\t\n\r"
    assert domain_text.check_text("x" * 1500, "remark", max_length=4000) == "x" * 1500
    with pytest.raises(ValidationError) as refused:
        domain_text.check_text("a\x85", "memo")
    assert (refused.value.field, refused.value.message) == (
        "memo", "memo must not contain the control character U+0085 "
                "(tab, line feed and carriage return are allowed)")


def test_cli_token_label_with_a_control_character_is_refused(store_url, runtime):
    runner = CliRunner()
    added = runner.invoke(cli, ["user", "add", "wang", "--role", "storekeeper", "-d", store_url])
    assert added.exit_code == 0, added.output
    before = runtime.app.log_position()
    bad = runner.invoke(cli, ["user", "token", "wang", "--label", "scanner\x1b[2J",
                              "-d", store_url])
    assert bad.exit_code != 0
    assert "label must not contain the control character U+001B" in bad.output
    assert runtime.app.log_position() == before


# -- masked "Unexpected error" cases found by fuzzing, now typed ---------------------------
RUN_MRP = """
mutation($d: Date) {
  runMrp(input: {today: $d}) {
    __typename ... on Error { message } ... on BusinessRuleViolation { code }
    ... on RunMrpSuccess { run { number } }
  }
}"""
RESCHEDULE = """
query($b: [BreakdownInput!]) {
  reschedule(start: "2026-11-05T08:00:00", breakdowns: $b) { moved { order opNo newStart } }
}"""


@pytest.fixture
def demo(client, runtime):
    from api.demo import load_demo

    load_demo(runtime.app)
    client.healthy()
    return client


def test_run_mrp_on_the_first_day_of_the_calendar_is_a_business_rule_not_an_overflow(demo):
    before = demo.runtime.app.log_position()
    result = demo.send(RUN_MRP, {"d": "0001-01-01"})["data"]["runMrp"]
    assert result == {
        "__typename": "BusinessRuleViolation", "code": "PLANNING_DATE_OUT_OF_RANGE",
        "message": "cannot plan a release 3 working day(s) before 0001-01-01: the calendar "
                   "starts at 0001-01-01; plan from a later day"}
    assert demo.runtime.app.log_position() == before
    ok = demo.send(RUN_MRP, {"d": "2026-12-01"})["data"]["runMrp"]
    assert ok["__typename"] == "RunMrpSuccess", ok


def test_calendar_offsetting_before_the_first_date_is_refused():
    from domain.errors import BusinessRuleViolation
    from domain.planning.model import Calendar

    assert Calendar().back(date(2026, 11, 30), 3) == date(2026, 11, 25)
    with pytest.raises(BusinessRuleViolation) as refused:
        Calendar().back(date(1, 1, 3), 3)
    assert refused.value.code == "PLANNING_DATE_OUT_OF_RANGE"


def test_reschedule_with_a_naive_start_and_an_aware_end_is_a_validation_error(demo):
    errors = demo.refused(RESCHEDULE, {"b": [
        {"workCenter": "WC-HEAD", "start": "2026-11-05T08:00:00",
         "end": "2026-11-05T12:00:00+08:00"}]})
    assert errors == [({"type": "ValidationError", "field": "breakdowns.0.end"},
                       "a breakdown's start and end must both have a UTC offset or both have "
                       "none")]


def test_reschedule_reads_an_aware_end_on_the_start_clock(demo):
    """08:00+08:00 to 04:00Z is 08:00-12:00 on the start's clock: four hours down."""
    aware = demo.send(RESCHEDULE, {"b": [{"workCenter": "WC-HEAD",
                                          "start": "2026-11-05T08:00:00+08:00",
                                          "end": "2026-11-05T04:00:00+00:00"}]})
    naive = demo.send(RESCHEDULE, {"b": [{"workCenter": "WC-HEAD",
                                          "start": "2026-11-05T08:00:00",
                                          "end": "2026-11-05T12:00:00"}]})
    assert "errors" not in aware, aware
    assert aware == naive


def test_statement_amount_with_a_line_or_column_out_of_range_is_a_validation_error(demo):
    """Found by the fuzzer: column 2 was a masked IndexError, line 0 the last line."""
    query = ('query($l: Int!, $c: Int!) { incomeStatement(period: "2026-11") '
             '{ columns lines { line } amount(line: $l, column: $c) } }')
    body = demo.send(query, {"l": 1, "c": 0})
    assert "errors" not in body, body
    statement = body["data"]["incomeStatement"]
    lines, columns = len(statement["lines"]), len(statement["columns"])
    assert (lines, columns) == (statement["lines"][-1]["line"], 2)
    for line, column, field, message in [
        (0, 0, "line", f"line must be from 1 to {lines}"),
        (lines + 1, 0, "line", f"line must be from 1 to {lines}"),
        (1, 2, "column", "column must be from 0 to 1"),
        (1, -1, "column", "column must be from 0 to 1"),
    ]:
        errors = demo.send(query, {"l": line, "c": column})["errors"]
        assert [(e["message"], e["extensions"]) for e in errors] == [
            (message, {"type": "ValidationError", "field": field})]


def test_a_control_character_in_the_correlation_id_header_is_refused(api):
    """Headers reach the log without passing GraphQL: the domain checks them too."""
    before = api.runtime.app.log_position()
    response = api.client.post("/graphql", json={"query": POST, "variables": post_input()},
                               headers={"X-Correlation-Id": b"req-\x85-1"})
    result = response.json()["data"]["postJournalEntry"]
    assert (result["__typename"], result["field"], result["message"]) == (
        "ValidationError", "correlationId",
        "correlationId must not contain the control character U+0085 "
        "(tab, line feed and carriage return are allowed)")
    assert api.runtime.app.log_position() == before
