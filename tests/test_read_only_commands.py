"""Read-only commands never write: pointed at a mistyped company database
they fail with one line and create no file, no schema and no event."""

from __future__ import annotations

import uuid

import pytest
from typer.testing import CliRunner

from api.cli import cli
from tests.conftest import pg_admin, pg_schema_url

READ_ONLY = [
    ["status"],
    ["verify"],
    ["trial-balance", "--period", "2026-11"],
    ["report", "balance-sheet", "--period", "2026-11"],
    ["dead-letters", "list"],
    ["dead-letters", "retry"],
    ["rebuild"],
]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c[:2]))
def test_a_mistyped_sqlite_path_is_one_line_and_creates_nothing(command, tmp_path):
    typo = tmp_path / "compnay" / "factoryledger.db"
    result = invoke(*command, "--database", f"sqlite:///{typo}")
    assert result.exit_code == 2
    assert result.output == f"factoryledger: error: no company database at {typo}\n"
    assert list(tmp_path.iterdir()) == []  # no directory, no file


def test_replay_from_a_mistyped_source_creates_neither_database(tmp_path):
    typo, into = tmp_path / "typo.db", tmp_path / "asof.db"
    result = invoke("replay", "--as-of", "1", "--into", f"sqlite:///{into}",
                    "--database", f"sqlite:///{typo}")
    assert result.exit_code == 2
    assert result.output == f"factoryledger: error: no company database at {typo}\n"
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_no_company_database_is_refused_untouched(tmp_path):
    stray = tmp_path / "notes.db"
    stray.write_bytes(b"not a database")
    result = invoke("status", "--database", f"sqlite:///{stray}")
    assert result.output == f"factoryledger: error: no company database at {stray}\n"
    assert stray.read_bytes() == b"not a database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


@pytest.mark.parametrize("command", [["status"], ["verify"]], ids=lambda c: c[0])
def test_a_mistyped_postgresql_schema_is_one_line_and_creates_nothing(command):
    schema = f"typo_{uuid.uuid4().hex[:10]}"
    with pg_admin():
        pass  # skips (or fails under CI=true) when PostgreSQL is unreachable
    result = invoke(*command, "--database", pg_schema_url(schema))
    assert result.exit_code == 2
    assert result.output.startswith("factoryledger: error: no company database at PostgreSQL ")
    assert result.output.endswith(f" schema {schema}\n") and result.output.count("\n") == 1
    with pg_admin() as conn:
        found = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,))
        assert found.fetchone() is None


def test_status_of_an_existing_company_writes_no_event(store_url):
    assert invoke("migrate", "--database", store_url).exit_code == 0  # creates the company
    first = invoke("status", "--database", store_url)
    second = invoke("status", "--database", store_url)
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output
    # the chart of accounts and its 利润表 其中 sub-accounts (two events), nothing more
    assert '"log_position": 2' in first.output
    assert '"dead_letters": 0' in first.output
