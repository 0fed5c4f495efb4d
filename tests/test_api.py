"""The GraphQL API over HTTP, on SQLite and PostgreSQL.

Every refusal comes back as a typed error (or a GraphQL validation error),
with HTTP 200 or 400, never 500, and writes nothing to the log.
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest
import sqlalchemy.exc

from api.app import create_app
from domain.errors import BusinessRuleViolation
from tests.scenes.graphql import (
    ACCOUNT_SUCCESS,
    ADD_ACCOUNT,
    CLOSE_PERIOD,
    INVEST,
    NOV,
    OPEN_PERIOD,
    POST,
    REVERSE,
    Api,
    C,
    D,
    mutation,
    rows_by_code,
)

with warnings.catch_warnings():  # starlette would rather have httpx2; httpx works
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient


REOPEN_PERIOD = mutation(
    "reopenPeriod", "ReopenPeriodInput",
    "ReopenPeriodSuccess { logPosition period { period status closedAt } }",
)
RENAME_ACCOUNT = mutation(
    "renameAccount", "RenameAccountInput", "RenameAccountSuccess" + ACCOUNT_SUCCESS.format()
)
DEACTIVATE_ACCOUNT = mutation(
    "deactivateAccount", "DeactivateAccountInput",
    "DeactivateAccountSuccess" + ACCOUNT_SUCCESS.format(),
)
REACTIVATE_ACCOUNT = mutation(
    "reactivateAccount", "ReactivateAccountInput",
    "ReactivateAccountSuccess" + ACCOUNT_SUCCESS.format(),
)


@pytest.fixture
def api(runtime):
    """This module's client is a plain Api (tests/conftest.py's is a SupplyApi)."""
    with TestClient(create_app(runtime), raise_server_exceptions=False) as client:
        yield Api(client, runtime)


# -- the opening step of the bolt-kit month ------------------------------------
def test_owner_investment_posted_through_graphql_shows_in_the_trial_balance(ledger):
    result = ledger.posted(INVEST, key="step1-invest",
                           headers={"X-Actor": "accountant-li", "X-Correlation-Id": "req-42"})

    entry = result["entry"]
    assert entry["voucherNo"] == "记-0001"
    assert entry["period"] == NOV
    assert entry["postingDate"] == "2026-11-01"
    assert entry["summary"] == "投资者投入资本"
    assert entry["kind"] == "ORDINARY"
    assert entry["total"] == "100000.00"
    assert entry["actor"] == "accountant-li"
    assert entry["commandId"] == "step1-invest"
    assert entry["correlationId"] == "req-42"
    assert entry["recordedAt"].startswith("20")
    assert (entry["reverses"], entry["reversedBy"]) == (None, None)
    assert [(ln["accountCode"], ln["accountName"], ln["debit"], ln["credit"])
            for ln in entry["lines"]] == [
        ("1002", "银行存款", "100000.00", "0.00"),
        ("3001", "实收资本", "0.00", "100000.00"),
    ]
    assert result["replayed"] is False
    assert result["logPosition"] == ledger.log_position()

    tb = ledger.trial_balance(wait_for=result["logPosition"])
    rows = rows_by_code(tb)
    assert set(rows) == {"1002", "3001"}
    assert rows["1002"] == {
        "code": "1002", "name": "银行存款", "level": 1, "isLeaf": True,
        "openingDebit": "0.00", "openingCredit": "0.00",
        "debit": "100000.00", "credit": "0.00",
        "closingDebit": "100000.00", "closingCredit": "0.00",
    }
    assert (rows["3001"]["credit"], rows["3001"]["closingDebit"],
            rows["3001"]["closingCredit"]) == ("100000.00", "0.00", "100000.00")
    assert (tb["debit"], tb["credit"]) == ("100000.00", "100000.00")
    assert (tb["closingDebit"], tb["closingCredit"]) == ("100000.00", "100000.00")
    assert (tb["openingDebit"], tb["openingCredit"]) == ("0.00", "0.00")
    assert tb["balanced"] is True


def test_actor_defaults_to_anonymous_and_correlation_id_to_the_command_id(ledger):
    entry = ledger.posted(INVEST)["entry"]
    assert entry["actor"] == "anonymous"
    assert len(entry["commandId"]) == 32
    assert entry["correlationId"] == entry["commandId"]


def test_vouchers_are_numbered_in_posting_order_within_the_period(ledger):
    first = ledger.posted(INVEST)["entry"]
    # Manual vouchers stay off control accounts (1403, 2202…): a fixed asset on credit.
    second = ledger.posted([D("1601", "560.00"), C("2241", "560.00")],
                           day="2026-11-03", summary="购入设备 (其他应付)")["entry"]
    assert (first["voucherNo"], second["voucherNo"]) == ("记-0001", "记-0002")

    data = ledger.gql("{ journalEntries(period: \"2026-11\") { edges { node { id voucherNo } } } }")
    listed = [(e["node"]["id"], e["node"]["voucherNo"])
              for e in data["journalEntries"]["edges"]]
    assert listed == [(first["id"], "记-0001"), (second["id"], "记-0002")]
    periods = ledger.gql("{ periods { period status voucherCount } }")["periods"]
    assert periods == [{"period": NOV, "status": "OPEN", "voucherCount": 2}]


def test_concurrent_postings_get_gap_free_voucher_numbers(ledger):
    from concurrent.futures import ThreadPoolExecutor

    def post(n: int) -> str:
        result = ledger.post_entry([D("1002", f"{n}.00"), C("3001", f"{n}.00")],
                                   summary=f"invest {n}")
        assert result["__typename"] == "PostJournalEntrySuccess", result
        return result["entry"]["voucherNo"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = list(pool.map(post, range(1, 13)))

    assert sorted(numbers) == [f"记-{n:04d}" for n in range(1, 13)]
    tb = ledger.trial_balance()
    assert (tb["debit"], tb["credit"]) == ("78.00", "78.00")


# -- reversal (红字冲销) ----------------------------------------------------------
def test_reversal_posts_red_amounts_that_net_the_turnover_to_zero(ledger):
    original = ledger.posted(INVEST)["entry"]

    result = ledger.reverse(original["id"])

    assert result["__typename"] == "ReverseJournalEntrySuccess", result
    reversal = result["entry"]
    assert reversal["voucherNo"] == "记-0002"
    assert reversal["kind"] == "REVERSAL"
    assert reversal["reverses"] == original["id"]
    assert reversal["postingDate"] == "2026-11-20"
    assert reversal["summary"].startswith("冲销 记-0001")
    assert [(ln["accountCode"], ln["debit"], ln["credit"]) for ln in reversal["lines"]] == [
        ("1002", "-100000.00", "0.00"),
        ("3001", "0.00", "-100000.00"),
    ]
    assert result["original"] == {"id": original["id"], "reversedBy": reversal["id"]}

    tb = ledger.trial_balance(wait_for=result["logPosition"], includeZero=True)
    rows = rows_by_code(tb)
    for code in ("1002", "3001"):
        assert (rows[code]["debit"], rows[code]["credit"]) == ("0.00", "0.00")
        assert (rows[code]["closingDebit"], rows[code]["closingCredit"]) == ("0.00", "0.00")
    assert (tb["debit"], tb["credit"], tb["balanced"]) == ("0.00", "0.00", True)


def test_an_entry_cannot_be_reversed_twice_nor_a_reversal_reversed(ledger):
    original = ledger.posted(INVEST)["entry"]
    reversal = ledger.reverse(original["id"])["entry"]

    again = ledger.refused(REVERSE, {"entryId": original["id"], "postingDate": "2026-11-21"})
    assert again["__typename"] == "BusinessRuleViolation"
    assert again["code"] == "ALREADY_REVERSED"

    back = ledger.refused(REVERSE, {"entryId": reversal["id"], "postingDate": "2026-11-21"})
    assert back["code"] == "REVERSAL_NOT_REVERSIBLE"


def test_reversing_an_unknown_or_malformed_entry_id_is_refused(ledger):
    missing = ledger.refused(REVERSE, {"entryId": "6f1c9a52-34d1-4c8e-9a77-2f1b1c0e7a10",
                                       "postingDate": "2026-11-21"})
    assert (missing["__typename"], missing["kind"]) == ("NotFound", "JournalEntry")
    malformed = ledger.refused(REVERSE, {"entryId": "voucher-1", "postingDate": "2026-11-21"})
    assert (malformed["__typename"], malformed["field"]) == ("ValidationError", "entryId")


# -- idempotency ----------------------------------------------------------------
def test_replaying_an_idempotency_key_returns_the_same_entry_and_writes_nothing(ledger):
    first = ledger.posted(INVEST, key="invest-once")
    before = ledger.log_position()

    again = ledger.posted(INVEST, key="invest-once")

    assert ledger.log_position() == before
    assert again["replayed"] is True
    assert again["entry"]["id"] == first["entry"]["id"]
    assert again["entry"]["voucherNo"] == "记-0001"
    tb = ledger.trial_balance(wait_for=again["logPosition"])
    assert (tb["debit"], tb["credit"]) == ("100000.00", "100000.00")


def test_reusing_an_idempotency_key_for_another_entry_is_a_conflict(ledger):
    ledger.posted(INVEST, key="invest-once")

    other = ledger.refused(POST, {"postingDate": "2026-11-01", "summary": "投资者投入资本",
                                  "lines": [D("1002", "1.00"), C("3001", "1.00")],
                                  "idempotencyKey": "invest-once"})

    assert other["__typename"] == "Conflict"
    assert "invest-once" in other["message"]


def test_an_idempotent_period_opening_replays_instead_of_failing(api):
    first = api.command(OPEN_PERIOD, {"period": NOV, "idempotencyKey": "open-nov"})
    before = api.log_position()
    again = api.command(OPEN_PERIOD, {"period": NOV, "idempotencyKey": "open-nov"})
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["period"] == {"period": NOV, "status": "OPEN", "voucherCount": 0}
    assert api.log_position() == before


# -- every bad entry is a typed error and writes nothing --------------------------
BAD_ENTRIES = [
    # (case, summary, lines, typename, field or code or key)
    ("unbalanced", "x", [D("1002", "100.00"), C("3001", "99.99")],
     "BusinessRuleViolation", "ENTRY_UNBALANCED"),
    ("unknown account", "x", [D("9999", "1.00"), C("3001", "1.00")], "NotFound", "9999"),
    ("non-leaf account", "x", [D("1002", "1.00"), C("2202", "1.00")],
     "BusinessRuleViolation", "ACCOUNT_NOT_LEAF"),
    ("three decimal places", "x", [D("1002", "100.001"), C("3001", "100.001")],
     "ValidationError", "lines.0.debit"),
    ("three places as a float", "x", [D("1002", 100.001), C("3001", 100.001)],
     "ValidationError", "lines.0.debit"),
    ("negative amount", "x", [D("1002", "-5.00"), C("3001", "-5.00")],
     "ValidationError", "lines.0.debit"),
    ("negative credit", "x", [D("1002", "5.00"), C("3001", "-5.00")],
     "ValidationError", "lines.1.credit"),
    ("absurdly large amount", "x", [D("1002", "1e15"), C("3001", "1e15")],
     "ValidationError", "lines.0.debit"),
    ("absurdly large float", "x", [D("1002", 1e15), C("3001", 1e15)],
     "ValidationError", "lines.0.debit"),
    ("astronomically large amount", "x", [D("1002", "1e30"), C("3001", "1e30")],
     "ValidationError", "lines.0.debit"),
    ("just above the limit", "x",
     [D("1002", "1000000000000.00"), C("3001", "1000000000000.00")],
     "ValidationError", "lines.0.debit"),
    ("not a finite number", "x", [D("1002", "NaN"), C("3001", "1.00")],
     "ValidationError", "lines.0.debit"),
    ("empty lines list", "x", [], "ValidationError", "lines"),
    ("one line", "x", [D("1002", "1.00")], "ValidationError", "lines"),
    ("both debit and credit on a line", "x",
     [{"account": "1002", "debit": "1.00", "credit": "1.00"}, C("3001", "1.00")],
     "ValidationError", "lines.0"),
    ("neither side on a line", "x", [{"account": "1002"}, C("3001", "1.00")],
     "ValidationError", "lines.0"),
    ("zero amount", "x", [D("1002", "0.00"), C("3001", "0")], "ValidationError", "lines.0"),
    ("empty summary", "   ", INVEST, "ValidationError", "summary"),
    ("too long summary", "摘" * 201, INVEST, "ValidationError", "summary"),
]


@pytest.mark.parametrize(
    "summary, lines, typename, detail",
    [case[1:] for case in BAD_ENTRIES],
    ids=[case[0] for case in BAD_ENTRIES],
)
def test_a_bad_entry_is_refused_with_a_typed_error_and_writes_nothing(
    ledger, summary, lines, typename, detail
):
    error = ledger.refused(POST, {"postingDate": "2026-11-01", "summary": summary,
                                  "lines": lines})
    assert error["__typename"] == typename
    assert detail == {"ValidationError": error.get("field"), "NotFound": error.get("key"),
                      "BusinessRuleViolation": error.get("code")}[typename]
    tb = ledger.trial_balance()
    assert (tb["rows"], tb["debit"]) == ([], "0.00")


def test_posting_to_an_inactive_account_is_refused(ledger):
    deactivated = ledger.command(DEACTIVATE_ACCOUNT, {"code": "1001"})
    assert deactivated["account"]["active"] is False

    error = ledger.refused(POST, {"postingDate": "2026-11-01", "summary": "cash in",
                                  "lines": [D("1001", "5.00"), C("3001", "5.00")]})

    assert (error["__typename"], error["code"]) == ("BusinessRuleViolation", "ACCOUNT_INACTIVE")


def test_posting_into_a_closed_period_is_refused_until_it_is_reopened(ledger):
    closed = ledger.command(CLOSE_PERIOD, {"period": NOV})
    assert closed["period"]["status"] == "CLOSED"
    assert closed["period"]["closedAt"].startswith("20")

    error = ledger.refused(POST, {"postingDate": "2026-11-01", "summary": "late",
                                  "lines": INVEST})
    assert (error["__typename"], error["code"]) == ("BusinessRuleViolation", "PERIOD_CLOSED")

    reopened = ledger.command(REOPEN_PERIOD, {"period": NOV, "reason": "missed invoice"})
    assert (reopened["period"]["status"], reopened["period"]["closedAt"]) == ("OPEN", None)
    assert ledger.posted(INVEST)["entry"]["voucherNo"] == "记-0001"


def test_posting_into_a_period_never_opened_is_refused(ledger):
    error = ledger.refused(POST, {"postingDate": "2027-01-05", "summary": "x",
                                  "lines": INVEST})
    assert (error["__typename"], error["kind"], error["key"]) == ("NotFound", "Period", "2027-01")


def test_metadata_too_long_for_the_read_models_is_refused_and_projections_keep_going(ledger):
    too_long_key = ledger.refused(POST, {"postingDate": "2026-11-01", "summary": "x",
                                         "lines": INVEST, "idempotencyKey": "k" * 129})
    assert (too_long_key["__typename"], too_long_key["field"]) == (
        "ValidationError", "idempotencyKey")

    before = ledger.log_position()
    too_long_actor = ledger.post_entry(INVEST, headers={"X-Actor": "a" * 65})
    assert (too_long_actor["__typename"], too_long_actor["field"]) == ("ValidationError", "actor")
    assert ledger.log_position() == before

    ledger.command(CLOSE_PERIOD, {"period": NOV})
    too_long_reason = ledger.refused(REOPEN_PERIOD, {"period": NOV, "reason": "因" * 201})
    assert (too_long_reason["__typename"], too_long_reason["field"]) == (
        "ValidationError", "reason")

    longest = ledger.command(REOPEN_PERIOD, {"period": NOV, "reason": "因" * 200,
                                             "idempotencyKey": "k" * 128})
    assert longest["period"]["status"] == "OPEN"
    entry = ledger.posted(INVEST, headers={"X-Actor": "a" * 64})["entry"]
    assert entry["actor"] == "a" * 64


# -- malformed requests: GraphQL errors, HTTP 200/400, nothing written ---------------
MALFORMED = [
    ("amount that is not a number",
     POST, {"input": {"postingDate": "2026-11-01", "summary": "x",
                      "lines": [D("1002", "abc"), C("3001", "1")]}}, "Decimal"),
    ("amount that is a boolean",
     POST, {"input": {"postingDate": "2026-11-01", "summary": "x",
                      "lines": [D("1002", True), C("3001", "1")]}}, "Decimal"),
    ("amount that is an object",
     POST, {"input": {"postingDate": "2026-11-01", "summary": "x",
                      "lines": [D("1002", {"v": 1}), C("3001", "1")]}}, "Decimal"),
    ("impossible date",
     POST, {"input": {"postingDate": "2026-02-30", "summary": "x", "lines": INVEST}}, "Date"),
    ("date that is a number",
     POST, {"input": {"postingDate": 20261101, "summary": "x", "lines": INVEST}}, "Date"),
    ("missing posting date",
     POST, {"input": {"summary": "x", "lines": INVEST}}, "postingDate"),
    ("missing account on a line",
     POST, {"input": {"postingDate": "2026-11-01", "summary": "x",
                      "lines": [{"debit": "1.00"}, C("3001", "1.00")]}}, "account"),
    ("summary that is a number",
     POST, {"input": {"postingDate": "2026-11-01", "summary": 7, "lines": INVEST}}, "String"),
    ("lines that are not a list of objects",
     POST, {"input": {"postingDate": "2026-11-01", "summary": "x", "lines": "1002"}},
     "JournalLineInput"),
    ("missing input",
     POST, {}, "$input"),
    ("string where an Int belongs",
     "query($n: Int!) { journalEntries(first: $n) { edges { cursor } } }", {"n": "ten"}, "Int"),
    ("string literal where an Int belongs",
     '{ journalEntries(first: "ten") { edges { cursor } } }', {}, "Int"),
    ("missing required argument",
     "{ trialBalance { balanced } }", {}, "period"),
    ("unknown field",
     "{ trialBalance(period: \"2026-11\") { profit } }", {}, "profit"),
    ("syntax error",
     "mutation { postJournalEntry(input: {", {}, "Syntax Error"),
    ("decimal literal that is not a number",
     'mutation { postJournalEntry(input: {postingDate: "2026-11-01", summary: "x", '
     'lines: [{account: "1002", debit: "12,00"}, {account: "3001", credit: "12"}]}) '
     "{ __typename } }", {}, "Decimal"),
    ("decimal literal that is a list",
     'mutation { postJournalEntry(input: {postingDate: "2026-11-01", summary: "x", '
     'lines: [{account: "1002", debit: [1]}, {account: "3001", credit: "1"}]}) '
     "{ __typename } }", {}, "Decimal"),
]


@pytest.mark.parametrize(
    "query, variables, mentions", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_a_malformed_request_is_a_graphql_error_that_writes_nothing(
    ledger, query, variables, mentions
):
    before = ledger.log_position()
    errors = ledger.errors(query, variables)
    assert mentions in " ".join(e["message"] for e in errors)
    assert all("Traceback" not in e["message"] for e in errors)
    assert ledger.log_position() == before


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b'{"query": "{ periods { period } }"', "application/json"),
        (b"not json at all", "application/json"),
        (b'["a", "list"]', "application/json"),
        (b'{"variables": {}}', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
    ],
    ids=["truncated JSON", "not JSON", "JSON list", "no query", "invalid UTF-8"],
)
def test_a_malformed_http_body_is_a_400_that_writes_nothing(ledger, body, content_type):
    before = ledger.log_position()
    response = ledger.client.post("/graphql", content=body,
                                  headers={"content-type": content_type})
    assert response.status_code == 400, response.text
    assert ledger.log_position() == before


def test_decimal_literals_and_float_variables_keep_their_written_digits(ledger):
    literal = ledger.gql(
        'mutation { postJournalEntry(input: {postingDate: "2026-11-02", summary: "literal", '
        'lines: [{account: "1002", debit: 100.10}, {account: "3001", credit: 100.1}]}) '
        "{ ... on PostJournalEntrySuccess { entry { total lines { debit credit } } } } }"
    )["postJournalEntry"]["entry"]
    assert literal["total"] == "100.10"
    assert [(ln["debit"], ln["credit"]) for ln in literal["lines"]] == [
        ("100.10", "0.00"), ("0.00", "100.10"),
    ]
    floats = ledger.posted([D("1002", 0.1), D("1002", 0.2), C("3001", 0.3)])["entry"]
    assert floats["total"] == "0.30"
    ints = ledger.posted([D("1002", 5), C("3001", "5")])["entry"]
    assert ints["total"] == "5.00"


# -- queries ------------------------------------------------------------------------
def test_journal_entries_page_through_a_cursor_connection(ledger):
    ids = [ledger.posted([D("1002", f"{n}.00"), C("3001", f"{n}.00")],
                         summary=f"invest {n}")["entry"]["id"] for n in (1, 2, 3)]
    query = """query($after: String) { journalEntries(first: 2, after: $after) {
        edges { cursor node { id total } } pageInfo { hasNextPage endCursor } } }"""

    page1 = ledger.gql(query)["journalEntries"]
    page2 = ledger.gql(query, {"after": page1["pageInfo"]["endCursor"]})["journalEntries"]

    assert [e["node"]["id"] for e in page1["edges"]] == ids[:2]
    assert page1["pageInfo"] == {"hasNextPage": True,
                                 "endCursor": page1["edges"][1]["cursor"]}
    assert [(e["node"]["id"], e["node"]["total"]) for e in page2["edges"]] == [(ids[2], "3.00")]
    assert page2["pageInfo"]["hasNextPage"] is False


def test_journal_entries_filter_by_account_including_sub_accounts(ledger):
    ledger.posted(INVEST)
    # 2221 has sub-accounts; a manual voucher may not touch 2202 (a control account).
    receipt = ledger.posted([D("22210101", "72.80"), C("1002", "72.80")], summary="进项税额")
    data = ledger.gql('{ journalEntries(account: "2221") { edges { node { id } } } }')
    assert [e["node"]["id"] for e in data["journalEntries"]["edges"]] == [
        receipt["entry"]["id"]
    ]
    none = ledger.gql('{ journalEntries(period: "2026-12") { edges { node { id } } } }')
    assert none["journalEntries"]["edges"] == []


@pytest.mark.parametrize("first", [0, 501, -1])
def test_journal_entries_refuse_a_page_size_outside_1_to_500(ledger, first):
    (error,) = ledger.errors("query($n: Int!) { journalEntries(first: $n) { edges { cursor } } }",
                             {"n": first})
    assert error["extensions"] == {"type": "ValidationError", "field": "first"}


@pytest.mark.parametrize(
    "cursor",
    ["ZW50cnk6OTk5OTk5OTk5OTk5OTk5OTk5OTk=", "ZW50cnk6LTU=", "ZW50cnk6IDc=", "éé", "====",
     "bm90LWEtY3Vyc29y"],
    ids=["position beyond BIGINT", "negative position", "padded position", "not base64",
         "only padding",
         "another kind of cursor"],
)
def test_a_forged_cursor_is_a_validation_error(ledger, cursor):
    (error,) = ledger.errors("query($c: String) { journalEntries(after: $c) { edges { cursor } } }",
                             {"c": cursor})
    assert error["extensions"] == {"type": "ValidationError", "field": "after"}


def test_journal_entry_by_id_or_null_when_unknown(ledger):
    posted = ledger.posted(INVEST)["entry"]
    query = "query($id: ID!) { journalEntry(id: $id) { voucherNo total } }"
    assert ledger.gql(query, {"id": posted["id"]})["journalEntry"] == {
        "voucherNo": "记-0001", "total": "100000.00"}
    assert ledger.gql(query, {"id": "nope"})["journalEntry"] is None


def test_account_ledger_runs_a_balance_with_its_direction(ledger):
    ledger.posted(INVEST, day="2026-11-01")
    # Counter accounts off the control accounts (2202, 1122): other payables/receivables.
    ledger.posted([D("2241", "632.80"), C("1002", "632.80")], day="2026-11-05",
                  summary="支付押金")
    ledger.posted([D("1002", "2260.00"), C("1221", "2260.00")], day="2026-11-20",
                  summary="收回借款")

    led = ledger.gql(
        """{ accountLedger(account: "1002", period: "2026-11") {
             account { code name } period openingDirection opening debit credit
             closingDirection closing
             rows { date voucherNo summary debit credit direction balance } } }"""
    )["accountLedger"]

    assert led["account"] == {"code": "1002", "name": "银行存款"}
    assert (led["openingDirection"], led["opening"]) == ("平", "0.00")
    assert [(r["date"], r["voucherNo"], r["debit"], r["credit"], r["direction"], r["balance"])
            for r in led["rows"]] == [
        ("2026-11-01", "记-0001", "100000.00", "0.00", "借", "100000.00"),
        ("2026-11-05", "记-0002", "0.00", "632.80", "借", "99367.20"),
        ("2026-11-20", "记-0003", "2260.00", "0.00", "借", "101627.20"),
    ]
    assert (led["debit"], led["credit"]) == ("102260.00", "632.80")
    assert (led["closingDirection"], led["closing"]) == ("借", "101627.20")

    credit_side = ledger.gql('{ accountLedger(account: "3001", period: "2026-11") '
                             "{ closingDirection closing } }")["accountLedger"]
    assert credit_side == {"closingDirection": "贷", "closing": "100000.00"}
    unknown = ledger.gql('{ accountLedger(account: "9999", period: "2026-11") { closing } }')
    assert unknown["accountLedger"] is None


def test_trial_balance_rolls_sub_accounts_up_into_their_parent(ledger):
    # The shape of 1403 / 220202 -> 220201, on accounts a manual voucher may touch
    # (1403 and 2202 are control accounts): 2241 split into two sub-accounts.
    ledger.runtime.app.add_account("224101", "押金")
    ledger.runtime.app.add_account("224102", "暂估其他应付")
    ledger.posted([D("1601", "560.00"), C("224102", "560.00")], summary="暂估设备")
    ledger.posted([D("224102", "560.00"), D("22210101", "72.80"), C("224101", "632.80")],
                  summary="设备发票")
    rows = rows_by_code(ledger.trial_balance())
    assert (rows["2241"]["isLeaf"], rows["2241"]["level"]) == (False, 1)
    assert (rows["2241"]["debit"], rows["2241"]["credit"]) == ("560.00", "1192.80")
    assert (rows["2241"]["closingDebit"], rows["2241"]["closingCredit"]) == ("0.00", "632.80")
    assert (rows["22210101"]["level"], rows["22210101"]["closingDebit"]) == (3, "72.80")
    leaves = ledger.gql('{ trialBalance(period: "2026-11", leavesOnly: true) '
                        "{ rows { code } debit credit balanced } }")["trialBalance"]
    assert [r["code"] for r in leaves["rows"]] == ["1601", "22210101", "224101", "224102"]
    assert (leaves["debit"], leaves["credit"], leaves["balanced"]) == (
        "1192.80", "1192.80", True)


def test_a_malformed_period_in_a_query_is_a_validation_error(ledger):
    (error,) = ledger.errors('{ trialBalance(period: "2026-13") { balanced } }')
    assert error["extensions"] == {"type": "ValidationError", "field": "period"}
    assert "2026-13" in error["message"]


def test_wait_for_a_position_beyond_the_log_is_refused_at_once(ledger):
    end = ledger.log_position()
    (error,) = ledger.errors("query($w: Int) { periods(waitFor: $w) { period } }",
                             {"w": end + 1000})
    assert error["extensions"] == {"type": "ValidationError", "field": "waitFor"}


def test_a_query_waits_for_the_projections_to_reach_the_given_position(api, runtime):
    # Written behind the API's back: only waitFor brings the read models up to it.
    position = runtime.app.open_period("2026-12").position
    periods = api.gql("query($w: Int) { periods(waitFor: $w) { period status } }",
                      {"w": position})["periods"]
    assert periods == [{"period": "2026-12", "status": "OPEN"}]
    assert runtime.projected_position() >= position


def test_a_server_following_the_log_answers_mutations_from_up_to_date_read_models(
    store_config,
):
    from api.runtime import Runtime

    runtime = Runtime(store_config, follow=True)
    try:
        with TestClient(create_app(runtime)) as client:
            api = Api(client, runtime)
            api.command(OPEN_PERIOD, {"period": NOV})
            ids = [api.posted(INVEST, summary=f"invest {n}")["entry"]["id"] for n in range(3)]
            # No waitFor: the mutations have already waited for the worker.
            tb = api.trial_balance()
            listed = api.gql("{ journalEntries { edges { node { id } } } }")["journalEntries"]
    finally:
        runtime.close()
    assert (tb["debit"], tb["credit"]) == ("300000.00", "300000.00")
    assert [e["node"]["id"] for e in listed["edges"]] == ids


# -- chart of accounts and periods -----------------------------------------------
def test_a_sub_account_is_added_under_its_parent_and_takes_its_category(api):
    added = api.command(ADD_ACCOUNT, {"code": "220203", "name": "其他应付"})
    assert added["__typename"] == "AddAccountSuccess", added
    assert added["account"] == {
        "code": "220203", "name": "其他应付", "category": "LIABILITY",
        "normalBalance": "CREDIT", "parentCode": "2202", "level": 2, "isLeaf": True,
        "active": True, "used": False,
    }
    listed = api.gql('{ accounts(prefix: "2202") { code isLeaf } }')["accounts"]
    assert listed == [
        {"code": "2202", "isLeaf": False}, {"code": "220201", "isLeaf": True},
        {"code": "220202", "isLeaf": True}, {"code": "220203", "isLeaf": True},
    ]


def test_a_first_level_account_needs_category_and_normal_balance(api):
    error = api.refused(ADD_ACCOUNT, {"code": "1999", "name": "待处理"})
    assert (error["__typename"], error["field"]) == ("ValidationError", "category")
    added = api.command(ADD_ACCOUNT, {"code": "1999", "name": "待处理", "category": "ASSET",
                                      "normalBalance": "DEBIT"})
    assert (added["account"]["category"], added["account"]["level"]) == ("ASSET", 1)


@pytest.mark.parametrize(
    "input_, typename, detail",
    [
        ({"code": "1002", "name": "重复"}, "BusinessRuleViolation", "ACCOUNT_EXISTS"),
        ({"code": "12", "name": "短"}, "ValidationError", "code"),
        ({"code": "990101", "name": "孤儿"}, "NotFound", "9901"),
        ({"code": "220203", "name": "  "}, "ValidationError", "name"),
    ],
    ids=["existing code", "malformed code", "unknown parent", "blank name"],
)
def test_a_bad_account_is_refused_and_writes_nothing(api, input_, typename, detail):
    error = api.refused(ADD_ACCOUNT, input_)
    assert error["__typename"] == typename
    assert detail in (error.get("field"), error.get("code"), error.get("key"))


def test_an_account_with_postings_cannot_get_sub_accounts(ledger):
    ledger.posted(INVEST)
    error = ledger.refused(ADD_ACCOUNT, {"code": "100201", "name": "工商银行"})
    assert error["code"] == "PARENT_HAS_POSTINGS"


def test_accounts_are_renamed_deactivated_and_reactivated(api):
    renamed = api.command(RENAME_ACCOUNT, {"code": "1001", "name": "现金"})
    assert renamed["account"]["name"] == "现金"
    deactivated = api.command(DEACTIVATE_ACCOUNT, {"code": "1001"})
    assert deactivated["account"]["active"] is False
    again = api.refused(DEACTIVATE_ACCOUNT, {"code": "1001"})
    assert again["code"] == "ACCOUNT_STATE_UNCHANGED"
    active = api.gql('{ accounts(activeOnly: true, prefix: "100") { code } }')["accounts"]
    assert "1001" not in [a["code"] for a in active]
    reactivated = api.command(REACTIVATE_ACCOUNT, {"code": "1001"})
    assert reactivated["account"]["active"] is True
    assert api.gql('{ account(code: "1001") { name active } }')["account"] == {
        "name": "现金", "active": True}
    assert api.gql('{ account(code: "0000") { name } }')["account"] is None
    missing = api.refused(RENAME_ACCOUNT, {"code": "9999", "name": "x"})
    assert (missing["__typename"], missing["key"]) == ("NotFound", "9999")


def test_deactivating_a_parent_deactivates_its_sub_accounts(api):
    api.command(DEACTIVATE_ACCOUNT, {"code": "2202"})
    subs = api.gql('{ accounts(prefix: "2202", leafOnly: true) { code active } }')["accounts"]
    assert subs == [{"code": "220201", "active": False}, {"code": "220202", "active": False}]
    refused = api.refused(REACTIVATE_ACCOUNT, {"code": "220201"})
    assert refused["code"] == "ACCOUNT_INACTIVE"


@pytest.mark.parametrize(
    "query, input_, typename, detail",
    [
        (OPEN_PERIOD, {"period": "2026-13"}, "ValidationError", "period"),
        (OPEN_PERIOD, {"period": NOV}, "BusinessRuleViolation", "PERIOD_EXISTS"),
        (CLOSE_PERIOD, {"period": "2027-01"}, "NotFound", "2027-01"),
        (REOPEN_PERIOD, {"period": NOV, "reason": "why not"}, "BusinessRuleViolation",
         "PERIOD_OPEN"),
    ],
    ids=["malformed period", "opened twice", "closing a period never opened",
         "reopening an open period"],
)
def test_a_bad_period_command_is_refused_and_writes_nothing(ledger, query, input_, typename,
                                                            detail):
    error = ledger.refused(query, input_)
    assert error["__typename"] == typename
    assert detail in (error.get("field"), error.get("code"), error.get("key"))


def test_reopening_a_period_needs_a_reason(ledger):
    ledger.command(CLOSE_PERIOD, {"period": NOV})
    error = ledger.refused(REOPEN_PERIOD, {"period": NOV, "reason": " "})
    assert (error["__typename"], error["field"]) == ("ValidationError", "reason")


# -- what clients never see: internals, 500s -----------------------------------------
def test_an_unexpected_failure_is_a_masked_top_level_error_not_a_500(api, runtime, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError('SELECT * FROM "secret_table" -- connection to 10.0.0.7 lost')

    monkeypatch.setattr(runtime.app, "open_period", broken)
    response = api.post({"query": OPEN_PERIOD, "variables": {"input": {"period": NOV}}})

    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == ["Unexpected error."]
    assert "secret" not in response.text and "Traceback" not in response.text


def test_a_domain_rule_raised_inside_a_query_keeps_its_message(api, monkeypatch):
    import projections.ledger_queries as q

    def refuse(*_args, **_kwargs):
        raise BusinessRuleViolation("REPORT_LOCKED", "the report is locked")

    monkeypatch.setattr(q, "periods", refuse)
    (error,) = api.errors("{ periods { period } }")
    assert error["message"] == "the report is locked"
    assert error["extensions"] == {"type": "BusinessRuleViolation", "code": "REPORT_LOCKED"}


# -- the app: GraphiQL, /healthz, lifespan ------------------------------------------
def test_graphiql_is_served_to_a_browser(api):
    response = api.client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_graphiql_can_be_turned_off(runtime):
    with TestClient(create_app(runtime, graphiql=False)) as client:
        response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 404


def test_healthz_reports_status_and_lag_only(ledger):
    ledger.posted(INVEST)
    response = ledger.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "lag": 0}


class UnreachableStore:
    """A runtime whose database has gone away."""

    worker = None

    def __init__(self) -> None:
        def fail() -> int:
            raise sqlalchemy.exc.OperationalError(
                "SELECT max(id) FROM stored_events", {}, Exception("connection refused")
            )

        self.app = SimpleNamespace(log_position=fail)

    def health(self):
        self.app.log_position()


def test_healthz_is_503_when_the_database_is_unreachable():
    with TestClient(create_app(UnreachableStore())) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    # no error text, no SQL: those are for the admin query and the server log
    assert response.json() == {"status": "unavailable", "lag": None}


def test_without_a_runtime_the_app_opens_one_from_the_environment(sqlite_url, monkeypatch):
    monkeypatch.setenv("FACTORYLEDGER_DATABASE_URL", sqlite_url)
    app = create_app()
    with TestClient(app) as client:
        runtime = app.state.runtime
        opened = client.post("/graphql", json={"query": OPEN_PERIOD,
                                               "variables": {"input": {"period": NOV}}})
        assert opened.json()["data"]["openPeriod"]["period"]["status"] == "OPEN"
        assert client.get("/healthz").json() == {"status": "ok", "lag": 0}
        assert runtime.worker is not None
        assert runtime.projected_position() == runtime.app.log_position()
    assert runtime.worker._thread is not None and not runtime.worker._thread.is_alive()


def test_a_subscription_over_http_is_a_400_not_a_masked_error(ledger):
    """Strawberry accepts a subscription in a plain POST (for a multipart
    transport this server does not offer) and ran it as a query: the answer
    was a masked "Unexpected error.". Subscriptions stream over the WebSocket;
    over HTTP they are refused, and a mutation is still refused over GET."""
    response = ledger.client.post("/graphql", json={
        "query": 'subscription { workOrderProgress(number: "WO-000001") { number } }'})
    assert response.status_code == 400
    assert response.text == ("subscriptions are not allowed when using POST; subscribe over "
                             "the WebSocket at /graphql (graphql-transport-ws)")
    response = ledger.client.get("/graphql", params={
        "query": 'mutation { openPeriod(period: "2026-12") { __typename } }'})
    assert response.status_code == 400
    assert response.text == "mutations are not allowed when using GET"
    query = ledger.client.get("/graphql", params={"query": "{ periods { period } }"})
    assert query.status_code == 200 and "errors" not in query.json()
