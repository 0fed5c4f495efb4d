"""Tamper evidence: rows of the event store edited, deleted or inserted through
SQL are found by ``factoryledger audit`` (and ``verify``) at their position,
also after a rebuild; a closed month is proven against its exported seal."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError as StoreIntegrityError
from eventsourcing.utils import get_topic
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from api.cli import cli
from domain.commands import CommandContext
from domain.ledger.entries import JournalEntry, LineInput
from domain.ledger.periods import FiscalPeriod
from projections import audit_chain as chain
from projections.tables import audit_chain
from projections.verify import checksums

POSTED = get_topic(JournalEntry.Posted)
cli_runner = CliRunner()


def invoke(*args: str):
    return cli_runner.invoke(cli, list(args), catch_exceptions=False)


def post(app, day: date, amount: str, actor: str, summary: str = "owner invests"):
    return app.post_journal_entry(
        day, summary, [LineInput("1002", debit=amount), LineInput("3001", credit=amount)],
        ctx=CommandContext(actor=actor))


@pytest.fixture
def books(runtime):
    """November posted by alice and bob and closed; December open with one entry."""
    app = runtime.app
    app.open_period("2026-11")
    post(app, date(2026, 11, 2), "100000.00", "alice")
    post(app, date(2026, 11, 5), "250.00", "bob", "petty cash")
    app.close_period("2026-11")
    app.open_period("2026-12")
    post(app, date(2026, 12, 1), "70.00", "carol", "december")
    chain.AuditChain(app, runtime.engine).catch_up()
    runtime.runner.catch_up()
    return runtime


def posted(rt, nth: int):
    """The nth JournalEntry.Posted notification (0-based)."""
    return rt.app.recorder.select_notifications(start=1, limit=10, topics=[POSTED])[nth]


def _table(rt) -> tuple[str, str]:
    """The events table and its notification id column (eventsourcing's schema)."""
    pg = rt.engine.dialect.name == "postgresql"
    return rt.app.recorder.events_table_name, ("notification_id" if pg else "rowid")


def set_state(rt, position: int, state: bytes) -> None:
    table, id_col = _table(rt)
    with rt.engine.begin() as conn:
        result = conn.execute(text(f"UPDATE {table} SET state = :s WHERE {id_col} = :p"),
                              {"s": state, "p": position})
        assert result.rowcount == 1


def url_of(rt) -> str:
    return rt.config.url


def audit_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("position ")]


# -- a clean log ----------------------------------------------------------------------
def test_a_clean_log_passes_and_every_notification_is_chained(books):
    result = invoke("audit", "--database", url_of(books))
    assert result.exit_code == 0, result.output
    head = books.app.log_position()
    with books.engine.connect() as conn:
        rows = conn.execute(select(func.count(), func.max(audit_chain.c.position))).one()
    # Every notification, also those no projection decodes (receipts, the seal).
    assert tuple(rows) == (head, head)
    assert f"audit chain holds: {head} events up to position {head} match the log; " \
           "1 seal(s) hold" in result.output
    verify = invoke("verify", "--database", url_of(books))
    assert verify.exit_code == 0, verify.output


# -- edits, deletes, inserts ------------------------------------------------------------
def test_an_edited_amount_is_found_at_its_position_also_after_a_rebuild(books):
    target = posted(books, 0)
    assert b'"100000.00"' in target.state
    set_state(books, target.id, target.state.replace(b'"100000.00"', b'"900000.00"'))
    url = url_of(books)
    expected = f"position {target.id}: event edited since the chain recorded it ({POSTED} " \
               f"{target.originator_id} v1)"

    before = invoke("audit", "--database", url)
    assert before.exit_code == 1
    # The edit, and the November seal that no longer holds (it is written after the close).
    seal_at = chain.latest_seal(books.app, "2026-11")
    assert audit_lines(before)[0] == expected
    assert [line.split(":")[0] for line in audit_lines(before)] == [
        f"position {target.id}", f"position {_seal_event_position(books)}"]
    assert seal_at.position < _seal_event_position(books)
    assert f"the first at position {target.id}" in before.output

    assert invoke("rebuild", "--database", url).exit_code == 0
    after = invoke("audit", "--database", url)
    assert after.exit_code == 1
    assert audit_lines(after)[0] == expected
    # verify no longer launders the edit: the rebuilt read models compare equal,
    # but the log does not match its chain.
    verify = invoke("verify", "--database", url)
    assert verify.exit_code == 1
    assert expected in verify.output


def test_an_edited_actor_is_found_at_its_position_also_after_a_rebuild(books):
    target = posted(books, 1)
    assert b'"actor":"bob"' in target.state
    set_state(books, target.id, target.state.replace(b'"actor":"bob"', b'"actor":"eve"'))
    url = url_of(books)
    for _ in range(2):
        result = invoke("audit", "--database", url)
        assert result.exit_code == 1
        assert audit_lines(result)[0].startswith(f"position {target.id}: event edited")
        assert invoke("rebuild", "--database", url).exit_code == 0


def test_a_deleted_row_is_found_at_its_position(books):
    target = posted(books, 2)  # December's entry: no seal covers it
    table, id_col = _table(books)
    with books.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {table} WHERE {id_col} = :p"), {"p": target.id})
    result = invoke("audit", "--database", url_of(books))
    assert result.exit_code == 1
    assert audit_lines(result) == [
        f"position {target.id}: event deleted: the chain recorded it, the log no longer holds it"]


def test_a_gap_is_not_tampering_but_an_event_inserted_into_a_chained_gap_is(books):
    rt = books
    app = rt.app
    before = app.log_position()
    if rt.engine.dialect.name == "postgresql":
        # A rolled-back insert takes a sequence value: the next event skips an id.
        with pytest.raises(StoreIntegrityError):
            app.save(FiscalPeriod("2026-11"))
        post(app, date(2026, 12, 2), "1.00", "carol")
    else:
        # SQLite never skips an id; make the same shape by moving the new rows up one.
        post(app, date(2026, 12, 2), "1.00", "carol")
        table, _ = _table(rt)
        with rt.engine.begin() as conn:
            for shift in ("+ 1000000", "- 999999"):
                conn.execute(text(f"UPDATE {table} SET rowid = rowid {shift} "
                                  f"WHERE rowid > :p"), {"p": before})
    gap = before + 1
    ids = [n.id for n in chain.notifications(app, before)]
    assert gap not in ids and ids[0] == before and ids[1] == gap + 1
    assert chain.AuditChain(app, rt.engine).catch_up() == len(ids) - 1

    clean = invoke("audit", "--database", url_of(rt))
    assert clean.exit_code == 0, clean.output  # the gap is not a finding

    forged = posted(rt, 0)
    table, id_col = _table(rt)
    oid = "CAST(:oid AS uuid)" if rt.engine.dialect.name == "postgresql" else ":oid"
    with rt.engine.begin() as conn:
        conn.execute(text(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state, {id_col}) "
            f"VALUES ({oid}, 1, :topic, :state, :id)"),
            {"oid": str(uuid.uuid4()), "topic": POSTED, "state": forged.state, "id": gap})
    result = invoke("audit", "--database", url_of(rt))
    assert result.exit_code == 1
    lines = audit_lines(result)
    assert len(lines) == 1
    assert lines[0].startswith(f"position {gap}: event inserted: the chain passed this "
                               f"position without it ({POSTED} ")


def test_an_altered_chain_record_is_found_at_its_position(books):
    target = posted(books, 2)
    with books.engine.begin() as conn:
        conn.execute(audit_chain.update().where(audit_chain.c.position == target.id)
                     .values(digest="0" * 64))
    result = invoke("audit", "--database", url_of(books))
    assert result.exit_code == 1
    assert audit_lines(result)[0] == (
        f"position {target.id}: audit chain record altered: its digest does not follow "
        "from the records before it")


# -- seals ------------------------------------------------------------------------------
def _seal_event_position(rt) -> int:
    return rt.app.recorder.select_notifications(start=1, limit=10,
                                                topics=[chain.SEAL_TOPIC])[-1].id


def test_a_closed_month_holds_against_its_exported_seal_and_fails_after_an_edit_inside_it(
        books):
    url = url_of(books)
    exported = invoke("audit", "--export-seal", "2026-11", "--database", url)
    assert exported.exit_code == 0, exported.output
    seal_text = exported.stdout.strip()
    seal = json.loads(seal_text)
    closed = books.app.recorder.select_notifications(
        start=1, limit=5, topics=[chain.CLOSED_TOPIC])[0]
    assert seal == {"seal": "factoryledger-seal-v1", "period": "2026-11",
                    "position": closed.id, "digest": chain.digest_at(books.app, closed.id)}

    assert invoke("audit", "--check-seal", seal_text, "--database", url).exit_code == 0
    month = invoke("audit", "--period", "2026-11", "--database", url)
    assert month.exit_code == 0, month.output
    assert f"seal of 2026-11 holds: the log up to position {closed.id}" in month.output

    # An edit after the close leaves November proven, though the log fails its audit.
    december = posted(books, 2)
    set_state(books, december.id, december.state.replace(b'"70.00"', b'"7000.00"'))
    assert invoke("audit", "--check-seal", seal_text, "--database", url).exit_code == 0
    assert invoke("audit", "--database", url).exit_code == 1

    # An edit inside November breaks its seal, named at the edited position.
    november = posted(books, 1)
    set_state(books, november.id, november.state.replace(b'"250.00"', b'"25.00"'))
    for args in (("--check-seal", seal_text), ("--period", "2026-11")):
        result = invoke("audit", *args, "--database", url)
        assert result.exit_code == 1
        assert audit_lines(result)[0].startswith(f"position {november.id}: event edited")
        assert audit_lines(result)[-1] == (
            f"position {closed.id}: seal of 2026-11 does not hold: the log up to position "
            f"{closed.id} no longer gives the sealed digest")


def test_a_rewritten_chain_and_seal_still_fail_against_the_exported_seal(books):
    """The threat the exported seal answers: someone with the database and the
    code edits November, recomputes the whole chain and rewrites the seal event.
    The database then agrees with itself; the text kept outside it does not."""
    app, engine = books.app, books.engine
    seal_text = chain.latest_seal(app, "2026-11").text()
    november = posted(books, 0)
    set_state(books, november.id, november.state.replace(b'"100000.00"', b'"1.00"'))
    with engine.begin() as conn:
        conn.execute(audit_chain.delete())
    chain.AuditChain(app, engine).catch_up()  # a chain of the edited log
    # The seal event in the log still holds the true digest: audit catches that much.
    caught = chain.audit(app, engine)
    assert [f.kind for f in caught.findings] == ["seal"]
    # Rewrite the seal event too, with the edited log's digest.
    seal_note = app.recorder.select_notifications(start=1, limit=5,
                                                  topics=[chain.SEAL_TOPIC])[0]
    old = json.loads(seal_text)["digest"]
    forged = chain.digest_at(app, json.loads(seal_text)["position"])
    set_state(books, seal_note.id, seal_note.state.replace(old.encode(), forged.encode()))
    with engine.begin() as conn:
        conn.execute(audit_chain.delete())
    chain.AuditChain(app, engine).catch_up()
    assert chain.audit(app, engine).ok  # the database agrees with itself

    result = invoke("audit", "--check-seal", seal_text, "--database", url_of(books))
    assert result.exit_code == 1
    assert "seal of 2026-11 does not hold" in result.output


def test_closing_again_gives_a_new_seal_and_two_followers_write_one_seal_per_close(runtime):
    app, engine = runtime.app, runtime.engine
    app.open_period("2026-11")
    post(app, date(2026, 11, 2), "10.00", "alice")
    app.close_period("2026-11")
    app.reopen_period("2026-11", "late invoice")
    post(app, date(2026, 11, 20), "5.00", "alice")
    app.close_period("2026-11")

    followers = [chain.AuditChain(app, engine, batch_size=3) for _ in range(2)]
    threads = [threading.Thread(target=f.catch_up) for f in followers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for follower in followers:
        follower.catch_up()  # a follower that lost a race goes on after the winner

    closes = [n.id for n in app.recorder.select_notifications(
        start=1, limit=10, topics=[chain.CLOSED_TOPIC])]
    found = chain.seals(app, "2026-11")
    assert [s.position for s in found] == closes and len(closes) == 2
    assert [s.digest for s in found] == [chain.digest_at(app, p) for p in closes]
    assert chain.latest_seal(app, "2026-11") == found[-1]
    report = chain.audit(app, engine)
    assert report.ok and report.seals == 2
    assert report.head == app.log_position()


def test_a_month_never_closed_has_no_seal_and_a_bad_seal_text_is_one_line(books):
    url = url_of(books)
    result = invoke("audit", "--period", "2026-12", "--database", url)
    assert result.exit_code == 1
    assert "period 2026-12 has no seal: it was never closed" in result.output
    bad = invoke("audit", "--check-seal", "not a seal", "--database", url)
    assert bad.exit_code == 2
    assert bad.output.strip() == ("factoryledger: error: the seal is not JSON "
                                  "(expected the line --export-seal printed)")
    assert invoke("audit", "--period", "2026-13", "--database", url).exit_code == 2


# -- the follower and rebuild -------------------------------------------------------------
def test_rebuild_leaves_the_chain_alone_and_verify_does_not_compare_it(books):
    with books.engine.connect() as conn:
        before = conn.execute(select(audit_chain).order_by(audit_chain.c.position)).all()
    books.runner.reset()
    books.runner.catch_up()
    with books.engine.connect() as conn:
        assert conn.execute(select(audit_chain).order_by(audit_chain.c.position)).all() == before
    assert "audit_chain" not in checksums(books.engine)


def test_the_serving_worker_chains_every_new_event_and_seals_a_close(store_config):
    from api.runtime import Runtime

    rt = Runtime(store_config, follow=True)
    try:
        rt.app.open_period("2026-11")
        outcome = rt.app.close_period("2026-11")
        assert rt.settle(outcome)
        sealed = threading.Event()
        for _ in range(400):  # the worker chains after it projects, then seals the close
            rt.worker.poke()
            if chain.latest_seal(rt.app, "2026-11") is not None:
                sealed.set()
                break
            sealed.wait(0.05)
        assert sealed.is_set()
        assert chain.latest_seal(rt.app, "2026-11") == chain.Seal(
            "2026-11", outcome.position, chain.digest_at(rt.app, outcome.position))
        assert chain.chain_head(rt.engine)[0] >= outcome.position
        assert chain.audit(rt.app, rt.engine).ok
    finally:
        rt.close()


# -- the hash rules -----------------------------------------------------------------------
def test_canonical_bytes_keep_fields_apart():
    from eventsourcing.persistence import Notification

    a = Notification(id=1, originator_id="ab", originator_version=1, topic="c", state=b"d")
    b = Notification(id=1, originator_id="a", originator_version=1, topic="bc", state=b"d")
    assert chain.leaf_of(a) != chain.leaf_of(b)
    assert chain.link(chain.GENESIS, chain.leaf_of(a)) != chain.link(chain.GENESIS,
                                                                     chain.leaf_of(b))


@pytest.mark.parametrize("text_, message", [
    ('{"seal":"other"}', "not a factoryledger-seal-v1 seal"),
    ('{"seal":"factoryledger-seal-v1","period":"2026-13","position":5,"digest":"' + "a" * 64
     + '"}', "the seal's period '2026-13' is not a period"),
    ('{"seal":"factoryledger-seal-v1","period":"2026-11","position":0,"digest":"' + "a" * 64
     + '"}', "the seal's position 0 is not a log position"),
    ('{"seal":"factoryledger-seal-v1","period":"2026-11","position":5,"digest":"xyz"}',
     "the seal's digest is not 64 lowercase hex digits"),
])
def test_a_seal_text_is_checked_field_by_field(text_, message):
    with pytest.raises(ValueError) as err:
        chain.Seal.parse(text_)
    assert str(err.value) == message
