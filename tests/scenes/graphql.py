"""The tests' GraphQL client (``Api`` over Starlette's TestClient), the ledger's
GraphQL documents and voucher-line helpers (``D``, ``C``, ``INVEST``)."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():  # starlette would rather have httpx2; httpx works
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient


NOV = "2026-11"
ENTRY_FIELDS = """
    id voucherNo period postingDate summary kind reverses reversedBy total
    actor commandId correlationId recordedAt logPosition
    lines { lineNo accountCode accountName debit credit memo }
"""
ERROR_FIELDS = """
    __typename
    ... on Error { message }
    ... on ValidationError { field }
    ... on NotFound { kind key }
    ... on BusinessRuleViolation { code }
"""
POST = f"""
mutation Post($input: PostJournalEntryInput!) {{
  postJournalEntry(input: $input) {{
    {ERROR_FIELDS}
    ... on PostJournalEntrySuccess {{ logPosition replayed entry {{ {ENTRY_FIELDS} }} }}
  }}
}}"""
REVERSE = f"""
mutation Reverse($input: ReverseJournalEntryInput!) {{
  reverseJournalEntry(input: $input) {{
    {ERROR_FIELDS}
    ... on ReverseJournalEntrySuccess {{
      logPosition replayed entry {{ {ENTRY_FIELDS} }} original {{ id reversedBy }}
    }}
  }}
}}"""
TRIAL_BALANCE = """
query TB($period: String!, $waitFor: Int, $includeZero: Boolean! = false) {
  trialBalance(period: $period, waitFor: $waitFor, includeZero: $includeZero) {
    period balanced
    openingDebit openingCredit debit credit closingDebit closingCredit
    rows { code name level isLeaf openingDebit openingCredit debit credit
           closingDebit closingCredit }
  }
}"""


def mutation(name: str, input_type: str, success_fields: str) -> str:
    return f"""
    mutation M($input: {input_type}!) {{
      {name}(input: $input) {{ {ERROR_FIELDS} ... on {success_fields} }}
    }}"""


OPEN_PERIOD = mutation(
    "openPeriod", "OpenPeriodInput",
    "OpenPeriodSuccess { logPosition replayed period { period status voucherCount } }",
)
CLOSE_PERIOD = mutation(
    "closePeriod", "ClosePeriodInput",
    "ClosePeriodSuccess { logPosition period { period status closedAt } }",
)
ACCOUNT_SUCCESS = (
    " {{ logPosition replayed account {{ code name category normalBalance parentCode "
    "level isLeaf active used }} }}"
)
ADD_ACCOUNT = mutation(
    "addAccount", "AddAccountInput", "AddAccountSuccess" + ACCOUNT_SUCCESS.format()
)


def D(account: str, amount, memo: str | None = None) -> dict:  # noqa: N802 - reads like a voucher
    line = {"account": account, "debit": amount}
    return {**line, "memo": memo} if memo else line


def C(account: str, amount, memo: str | None = None) -> dict:  # noqa: N802
    line = {"account": account, "credit": amount}
    return {**line, "memo": memo} if memo else line


INVEST = [D("1002", "100000.00"), C("3001", "100000.00")]


class Api:
    """A GraphQL client over HTTP, and the log position it can compare."""

    def __init__(self, client: TestClient, runtime) -> None:
        self.client = client
        self.runtime = runtime

    def log_position(self) -> int:
        return self.runtime.app.log_position()

    def post(self, body=None, **kwargs):
        response = self.client.post("/graphql", json=body, **kwargs)
        assert response.status_code != 500, response.text
        return response

    def gql(self, query: str, variables: dict | None = None, headers: dict | None = None) -> dict:
        """Run an operation that must succeed at the GraphQL level; return ``data``."""
        response = self.post({"query": query, "variables": variables or {}}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def errors(self, query: str, variables: dict | None = None) -> list[dict]:
        """Run an operation that must fail at the GraphQL level; return ``errors``."""
        response = self.post({"query": query, "variables": variables or {}})
        assert response.status_code in (200, 400), response.text
        body = response.json()
        assert body.get("data") is None or any(v is None for v in body["data"].values())
        return body["errors"]

    def command(self, query: str, input_: dict, headers: dict | None = None) -> dict:
        (result,) = self.gql(query, {"input": input_}, headers).values()
        return result

    def post_entry(self, lines, day: str = "2026-11-01", summary: str = "投资者投入资本",
                   key: str | None = None, headers: dict | None = None) -> dict:
        input_ = {"postingDate": day, "summary": summary, "lines": lines}
        if key:
            input_["idempotencyKey"] = key
        return self.command(POST, input_, headers)

    def posted(self, lines, **kwargs) -> dict:
        result = self.post_entry(lines, **kwargs)
        assert result["__typename"] == "PostJournalEntrySuccess", result
        return result

    def reverse(self, entry_id: str, day: str = "2026-11-20", **extra) -> dict:
        return self.command(REVERSE, {"entryId": entry_id, "postingDate": day, **extra})

    def trial_balance(self, period: str = NOV, wait_for: int | None = None, **kw) -> dict:
        data = self.gql(TRIAL_BALANCE, {"period": period, "waitFor": wait_for, **kw})
        return data["trialBalance"]

    def refused(self, query: str, input_: dict) -> dict:
        """A command that must come back as a typed error and write nothing."""
        before = self.log_position()
        result = self.command(query, input_)
        assert result["__typename"] in (
            "ValidationError", "NotFound", "Conflict", "BusinessRuleViolation",
        ), result
        assert result["message"]
        assert self.log_position() == before
        return result


def set_up_ledger(api):
    """November 2026 open, nothing posted."""
    opened = api.command(OPEN_PERIOD, {"period": NOV})
    assert opened["__typename"] == "OpenPeriodSuccess", opened
    return api


def rows_by_code(tb: dict) -> dict[str, dict]:
    return {row["code"]: row for row in tb["rows"]}
