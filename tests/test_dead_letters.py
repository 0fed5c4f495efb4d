"""A poison event already in the log never stops the read models: it is set
aside as a dead letter (projection, position, topic, error), later events are
projected, /healthz says "failed" (status and lag only), the admin query and
the CLI show it, a rebuild completes around it, and a retry after the cause is
fixed applies it. The events are written straight into the store, as a bug, an
old version or a hand edit would have left them."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from eventsourcing.persistence import StoredEvent
from sqlalchemy import select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import cli
from domain.ledger.entries import LineInput
from projections.ledger import LedgerProjection
from projections.registry import all_projections
from projections.tables import ledger_entries

POSTED = "domain.ledger.entries:JournalEntry.Posted"
cli_runner = CliRunner()


def invoke(*args: str):
    return cli_runner.invoke(cli, list(args), catch_exceptions=False)


def post(app, day: int, summary: str, amount: str = "100.00"):
    lines = [LineInput("1002", debit=amount), LineInput("3001", credit=amount)]
    return app.post_journal_entry(date(2026, 11, day), summary, lines)


def write_poison(app, change) -> int:
    """Copy a real JournalEntry.Posted event's state, let ``change`` edit it, and
    insert it as a new journal entry straight into the events table; return its position."""
    template = next(n for n in app.recorder.select_notifications(start=1, limit=1000)
                    if n.topic == POSTED)
    state = json.loads(template.state)
    state["voucher_seq"] = 999  # not a duplicate voucher: the edit alone is the fault
    change(state)
    app.recorder.insert_events([StoredEvent(
        originator_id=uuid.uuid4(), originator_version=1, topic=POSTED,
        state=json.dumps(state).encode("utf-8"),
    )])
    return app.log_position()


def without_lines(state: dict) -> None:
    state["summary"] = "poison: no lines"
    del state["lines"]


def with_nul(state: dict) -> None:
    state["summary"] = "poison\u0000summary"  # valid JSON; PostgreSQL text refuses NUL


def summaries(runtime) -> list[str]:
    with runtime.read() as conn:
        return list(conn.execute(select(ledger_entries.c.summary)
                                 .order_by(ledger_entries.c.position)).scalars())


@pytest.fixture
def books(runtime):
    runtime.app.open_period("2026-11")
    post(runtime.app, 2, "before the poison")
    runtime.runner.catch_up()
    return runtime


@pytest.fixture
def fixed_ledger_handler(monkeypatch):
    """The code fix: the ledger handler tolerates what the poison event carries."""
    original = LedgerProjection._collect_entry

    def tolerant(item, entries, lines, turnover):
        ev = item.event
        if not hasattr(ev, "lines"):
            object.__setattr__(ev, "lines", ())
        object.__setattr__(ev, "summary", ev.summary.replace("\x00", ""))
        original(item, entries, lines, turnover)

    def fix():
        monkeypatch.setattr(LedgerProjection, "_collect_entry", staticmethod(tolerant))

    return fix


SYSTEM_STATUS = """{ systemStatus { status lag logPosition following lastError
  projections { name position lag }
  deadLetters { projection position topic error attempts failedAt } } }"""


# NUL is a poison on PostgreSQL only (SQLite text stores it).
POISONS = pytest.mark.parametrize(("store_url", "poison"), [
    ("sqlite", "without_lines"), ("postgres", "without_lines"), ("postgres", "with_nul"),
], indirect=["store_url"])


@POISONS
def test_a_poison_event_is_set_aside_and_the_company_goes_on(
        books, store_url, poison, fixed_ledger_handler):
    rt = books
    bad = write_poison(rt.app, {"without_lines": without_lines, "with_nul": with_nul}[poison])
    post(rt.app, 3, "after the poison")

    # Later good events are projected; the runner is not stuck on the poison.
    assert rt.runner.catch_up() == 3  # the poison, VoucherAssigned, Posted
    assert rt.runner.positions() == {p.name: rt.app.log_position() for p in all_projections()}
    assert summaries(rt) == ["before the poison", "after the poison"]

    (letter,) = rt.runner.dead_letters()
    assert (letter.projection, letter.position, letter.topic, letter.attempts) == (
        "ledger", bad, POSTED, 1)
    expected = ("AttributeError: 'Posted' object has no attribute 'lines'"
                if poison == "without_lines" else "DataError: ")
    assert letter.error.startswith(expected), letter.error
    assert "\x00" not in letter.error

    # /healthz: status and lag only, and not "ok" while a projection misses an event.
    with TestClient(create_app(rt)) as client:
        assert client.get("/healthz").json() == {"status": "failed", "lag": 0}
        # the details are for the admin query (open mode: no user yet)
        detail = client.post("/graphql", json={"query": SYSTEM_STATUS}).json()["data"]
    status = detail["systemStatus"]
    assert status["status"] == "failed" and status["logPosition"] == rt.app.log_position()
    assert status["deadLetters"] == [{
        "projection": "ledger", "position": bad, "topic": POSTED, "error": letter.error,
        "attempts": 1, "failedAt": letter.failed_at}]
    assert {p["name"]: p["lag"] for p in status["projections"]} == {
        p.name: 0 for p in all_projections()}

    # The admin CLI shows it.
    listed = invoke("dead-letters", "list", "--database", store_url)
    assert listed.exit_code == 0, listed.output
    assert "ledger" in listed.output and str(bad) in listed.output and POSTED in listed.output
    assert expected.split(":")[0] in listed.output
    as_json = json.loads(invoke("dead-letters", "list", "--json", "--database", store_url).output)
    assert [(d["projection"], d["position"], d["topic"]) for d in as_json] == [
        ("ledger", bad, POSTED)]

    # A rebuild completes: every read model filled, except the dead event.
    rebuilt = invoke("rebuild", "--database", store_url)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "1 events could not be applied" in rebuilt.output
    assert summaries(rt) == ["before the poison", "after the poison"]
    assert [(d.projection, d.position) for d in rt.runner.dead_letters()] == [("ledger", bad)]

    # verify rebuilds into a scratch place: it sets aside the same event
    checked = invoke("verify", "--database", store_url)
    assert checked.exit_code == 0, checked.output

    # Retrying before the fix: still failing, one more attempt, exit 1.
    again = invoke("dead-letters", "retry", "--database", store_url)
    assert again.exit_code == 1
    assert f"failed   ledger {bad}: {expected}" in again.output
    assert rt.runner.dead_letters()[0].attempts == 2

    # After the code is fixed, retry applies it and the read models are right.
    fixed_ledger_handler()
    done = invoke("dead-letters", "retry", "--projection", "ledger", "--position", str(bad),
                  "--database", store_url)
    assert done.exit_code == 0, done.output
    assert done.output.strip() == f"applied  ledger {bad}"
    assert rt.runner.dead_letters() == []
    assert summaries(rt) == ["before the poison",
                             "poison: no lines" if poison == "without_lines" else "poisonsummary",
                             "after the poison"]
    with TestClient(create_app(rt)) as client:
        assert client.get("/healthz").json() == {"status": "ok", "lag": 0}
    # the retried event sits where a rebuild with the fixed handler puts it
    checked = invoke("verify", "--database", store_url)
    assert checked.exit_code == 0, checked.output


def test_an_event_that_cannot_be_decoded_is_a_dead_letter_for_every_projection(books):
    rt = books
    rt.app.recorder.insert_events([StoredEvent(
        originator_id=uuid.uuid4(), originator_version=1, topic=POSTED, state=b"{not json",
    )])
    bad = rt.app.log_position()
    post(rt.app, 3, "after the poison")
    rt.runner.catch_up()
    assert summaries(rt) == ["before the poison", "after the poison"]
    letters = rt.runner.dead_letters()
    assert sorted(d.projection for d in letters) == sorted(p.name for p in all_projections())
    assert {(d.position, d.topic) for d in letters} == {(bad, POSTED)}
    (error,) = {d.error for d in letters}
    assert error.startswith("MapperDeserialisationError: Failed to deserialise state")
    assert error.endswith("Expecting property name enclosed in double quotes: "
                          "line 1 column 2 (char 1)")


def test_one_failing_projection_does_not_hold_back_the_others(books):
    """Only the ledger cannot apply the poison: the inventory projection applies
    the same batch in full, the ledger all of it but the poison."""
    from domain.catalog.items import ItemSpec, ItemType
    from projections import inventory_queries

    rt = books
    bad = write_poison(rt.app, without_lines)
    rt.app.create_item(ItemSpec("BOLT-M8", "六角螺栓 M8", "pcs", ItemType.RAW))
    post(rt.app, 3, "after the poison")
    assert rt.runner.catch_up() > 3  # one batch: poison, item, entry
    assert [(d.projection, d.position) for d in rt.runner.dead_letters()] == [("ledger", bad)]
    assert set(rt.runner.positions().values()) == {rt.app.log_position()}
    with rt.read() as conn:
        assert inventory_queries.item(conn, "BOLT-M8").name == "六角螺栓 M8"
    assert summaries(rt) == ["before the poison", "after the poison"]


def test_system_status_is_for_admins_only(books):
    rt = books
    rt.app.create_user("root", ["admin"], "admin-token-0123456789")
    rt.app.create_user("books", ["accountant"], "acct-token-0123456789")
    rt.runner.catch_up()
    with TestClient(create_app(rt)) as client:
        def ask(token: str) -> dict:
            return client.post("/graphql", json={"query": SYSTEM_STATUS},
                               headers={"Authorization": f"Bearer {token}"}).json()

        refused = ask("acct-token-0123456789")
        assert refused["data"] is None
        assert refused["errors"][0]["message"] == (
            "systemStatus reads admin, which needs one of these roles: admin")
        assert refused["errors"][0]["extensions"] == {
            "type": "PermissionDenied", "query": "systemStatus", "roles": ["admin"]}
        allowed = ask("admin-token-0123456789")["data"]["systemStatus"]
        assert allowed["status"] == "ok" and allowed["deadLetters"] == []
        # /healthz needs no token and tells no more than status and lag
        assert client.get("/healthz").json() == {"status": "ok", "lag": 0}


POST_ENTRY = """mutation Post($input: PostJournalEntryInput!) {
  postJournalEntry(input: $input) {
    __typename ... on Error { message }
    ... on PostJournalEntrySuccess { logPosition entry { summary } }
  }
}"""


@POISONS
def test_mutations_after_a_poison_event_are_answered_not_projection_lag(
        store_config, store_url, poison):
    """The served company, following the log: a poison event in the log and
    the next mutation is still answered with its entry (before the fix it
    waited 10 s and answered ProjectionLag, forever, restarts included)."""
    from api.runtime import Runtime

    for attempt in ("first start", "restart"):
        rt = Runtime(store_config, follow=True)
        try:
            if attempt == "first start":
                rt.app.open_period("2026-11")
                post(rt.app, 2, "before the poison")
                bad = write_poison(rt.app, {"without_lines": without_lines,
                                            "with_nul": with_nul}[poison])
            with TestClient(create_app(rt)) as client:
                answer = client.post("/graphql", json={"query": POST_ENTRY, "variables": {
                    "input": {"postingDate": "2026-11-03", "summary": f"after ({attempt})",
                              "lines": [{"account": "1002", "debit": "5.00"},
                                        {"account": "3001", "credit": "5.00"}]}}}).json()
                success = answer["data"]["postJournalEntry"]
                assert success["__typename"] == "PostJournalEntrySuccess", answer
                assert success["entry"] == {"summary": f"after ({attempt})"}
                assert client.get("/healthz").json() == {"status": "failed", "lag": 0}
            assert [(d.projection, d.position) for d in rt.runner.dead_letters()] == [
                ("ledger", bad)]
        finally:
            rt.close()


def test_a_failure_that_is_not_the_events_fault_is_retried_not_dead_lettered(books,
                                                                            monkeypatch):
    """A schema out of step with the code fails every event: nothing is set
    aside, the worker keeps retrying, /healthz says degraded and systemStatus
    has the error; once the schema is fixed the same batch applies."""
    import threading
    import time

    from sqlalchemy.exc import ProgrammingError

    from projections.runner import ProjectionWorker

    rt = books
    real_apply = LedgerProjection.apply
    failed = threading.Event()

    def schema_mismatch(self, conn, batch):
        failed.set()
        raise ProgrammingError("INSERT INTO ledger_entries ...", {},
                               Exception('column "voucher_no" does not exist'))

    monkeypatch.setattr(LedgerProjection, "apply", schema_mismatch)
    reached = rt.runner.position()
    post(rt.app, 3, "while the schema is wrong")
    with pytest.raises(ProgrammingError):
        rt.runner.catch_up()
    assert rt.runner.position() == reached and rt.runner.dead_letters() == []

    rt.worker = ProjectionWorker(rt.runner, poll_seconds=0.05)
    rt.worker.start()
    try:
        assert failed.wait(30)
        deadline = time.monotonic() + 30
        while rt.worker.last_error is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the worker records the error right after the failure
        with TestClient(create_app(rt)) as client:
            assert client.get("/healthz").json() == {"status": "degraded", "lag": 2}
            status = client.post("/graphql", json={"query": SYSTEM_STATUS}).json()
        detail = status["data"]["systemStatus"]
        assert detail["lastError"] == 'Exception: column "voucher_no" does not exist'
        assert detail["deadLetters"] == [] and detail["following"] is True

        monkeypatch.setattr(LedgerProjection, "apply", real_apply)
        assert rt.worker.wait_for(rt.app.log_position(), timeout=30)
    finally:
        rt.worker.stop()
    assert summaries(rt)[-1] == "while the schema is wrong"
    assert rt.runner.dead_letters() == []


def test_a_dead_letter_two_admins_retry_at_once_is_applied_once(books, fixed_ledger_handler):
    rt = books
    write_poison(rt.app, without_lines)
    rt.runner.catch_up()
    listed_by_both = rt.runner.dead_letters()
    fixed_ledger_handler()
    first = [rt.runner._retry_one(letter) for letter in listed_by_both]
    second = [rt.runner._retry_one(letter) for letter in listed_by_both]  # a stale list
    assert [r.applied for r in first + second] == [True, True]
    assert summaries(rt) == ["before the poison", "poison: no lines"]
    assert rt.runner.dead_letters() == []
