"""``factoryledger backup`` / ``restore`` (issue #12): a company's event log out
and back, with the same positions; the restored store rebuilds its read models
and verifies, and gives the same trial balance."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from api.backup import BackupError, read_backup, restore_backup, write_backup
from api.cli import cli
from api.demo import load_demo
from api.runtime import Runtime
from domain.store import ConfigurationError, parse_database_url
from projections import ledger_queries as q
from tests.conftest import fresh_pg_schema

PERIOD = "2026-11"


@contextlib.contextmanager
def _empty_store(kind: str, tmp_path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        with fresh_pg_schema("r") as url:
            yield url


def _trial_balance(runtime: Runtime):
    runtime.runner.catch_up()
    with runtime.read() as conn:
        tb = q.trial_balance(conn, PERIOD)
    return [(r.code, r.opening, r.debit, r.credit, r.closing) for r in tb.rows], tb.balanced


def _log(runtime: Runtime) -> list[tuple]:
    return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in runtime.app.recorder.select_notifications(start=1, limit=100_000)]


def test_a_backup_restores_to_the_same_log_and_books(runtime, tmp_path):
    load_demo(runtime.app)
    before, balanced = _trial_balance(runtime)
    assert balanced and any(debit for _, _, debit, _, _ in before)
    path = tmp_path / "acme.jsonl.gz"
    result = CliRunner().invoke(cli, ["backup", "--output", str(path), "--database",
                                      runtime.config.url], env={"FACTORYLEDGER_COMPANY": ""})
    assert result.exit_code == 0, result.output
    position = runtime.app.log_position()
    assert f"backed up {position} events up to log position {position}" in result.output

    with gzip.open(path, "rt", encoding="utf-8") as text:
        lines = [json.loads(line) for line in text]
    assert lines[0]["format"] == "factoryledger-backup" and lines[0]["log_position"] == position
    assert lines[1]["topic"] == "domain.ledger.accounts:ChartOfAccounts.Seeded"
    assert lines[-1]["end"] is True and lines[-1]["events"] == len(lines) - 2 == position

    with _empty_store(runtime.config.kind, tmp_path) as target:
        result = CliRunner().invoke(cli, ["restore", "--input", str(path), "--database",
                                          target], env={"FACTORYLEDGER_COMPANY": ""})
        assert result.exit_code == 0, result.output
        assert f"restored {position} events" in result.output
        assert f"verified at log position {position}" in result.output
        assert "audit chain holds" in result.output
        restored = Runtime(parse_database_url(target), existing=True)
        try:
            log = _log(restored)
            assert log[:position] == _log(runtime)  # same positions, same bytes
            # ... and the audit chain, run by the restore, sealed the demo's closed month
            # (a server following the log would have sealed it too)
            assert [topic for _, _, _, topic, _ in log[position:]] == [
                "domain.seals:PeriodSeal.Sealed"]
            assert _trial_balance(restored) == (before, True)
            # the restored company goes on: the next event comes after the backup's
            restored.app.open_period("2027-01")
            assert restored.app.log_position() == len(log) + 1
        finally:
            restored.close()
        # a store with events is never restored into
        again = CliRunner().invoke(cli, ["restore", "--input", str(path), "--database",
                                         target], env={"FACTORYLEDGER_COMPANY": ""})
        assert again.exit_code == 2 and "holds events already" in again.output


def _backup_bytes(runtime: Runtime) -> bytes:
    out = io.BytesIO()
    write_backup(runtime.app, out)
    return out.getvalue()


def _lines(data: bytes) -> list[str]:
    return gzip.decompress(data).decode("utf-8").splitlines(keepends=True)


def _pack(lines: list[str]) -> bytes:
    return gzip.compress("".join(lines).encode("utf-8"))


@pytest.mark.parametrize("damage, says", [
    (lambda lines: lines[:-1], "truncated"),
    (lambda lines: [*lines[:1], lines[1].replace("1001", "1009"), *lines[2:]], "damaged"),
    (lambda lines: [lines[0], *lines[3:]], "damaged"),
    (lambda lines: ['{"format": "other"}\n', *lines[1:]], "not a factoryledger backup"),
])
def test_a_damaged_backup_restores_nothing(sqlite_url, tmp_path, damage, says):
    source = Runtime(parse_database_url(sqlite_url))
    try:
        source.app.open_period(PERIOD)
        data = _pack(damage(_lines(_backup_bytes(source))))
    finally:
        source.close()
    target = parse_database_url(f"sqlite:///{tmp_path / 'target.db'}")
    with pytest.raises(BackupError, match=says):
        restore_backup(target, io.BytesIO(data))
    # all or nothing: the store is still empty, so a good backup restores after
    from api.backup import _BareStore

    bare = _BareStore(env=target.eventsourcing_env())
    try:
        assert not bare.recorder.max_notification_id()
    finally:
        bare.close()


def test_not_a_backup_at_all_is_one_clear_error(tmp_path):
    with pytest.raises(BackupError, match="not a factoryledger backup"):
        read_backup(io.BytesIO(b"plain text"))
    with pytest.raises(ConfigurationError, match="holds events already"):
        store = parse_database_url(f"sqlite:///{tmp_path / 'full.db'}")
        Runtime(store).close()  # the chart of accounts: one event
        restore_backup(store, io.BytesIO(_pack(['{"format": "factoryledger-backup", '
                                                 '"version": 1}\n'])))
