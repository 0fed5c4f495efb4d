"""The CLI as an operator uses it: demo, rebuild, verify, replay, status."""

import json

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from api.cli import cli
from projections.tables import ledger_turnover

runner = CliRunner()


def invoke(*args):
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return result


@pytest.fixture
def demo_url(store_url):
    assert invoke("demo", "--database", store_url).exit_code == 0
    return store_url


def test_verify_passes_on_a_healthy_store_and_fails_on_a_tampered_one(demo_url):
    ok = invoke("verify", "--database", demo_url)
    assert ok.exit_code == 0, ok.output
    assert "verified at log position" in ok.output
    from api.runtime import Runtime
    from domain.store import parse_database_url

    rt = Runtime(parse_database_url(demo_url))
    with rt.engine.begin() as conn:
        conn.execute(update(ledger_turnover).where(ledger_turnover.c.account_code == "1002")
                     .values(debit_cents=1))
    rt.close()
    bad = invoke("verify", "--database", demo_url)
    assert bad.exit_code == 1
    assert "ledger_turnover" in bad.output


def test_rebuild_restores_tampered_read_models(demo_url):
    from api.runtime import Runtime
    from domain.store import parse_database_url
    from projections.verify import checksums

    rt = Runtime(parse_database_url(demo_url))
    before = checksums(rt.engine)
    with rt.engine.begin() as conn:
        conn.execute(ledger_turnover.delete())
    result = invoke("rebuild", "--database", demo_url)
    assert result.exit_code == 0, result.output
    assert checksums(rt.engine) == before
    rt.close()
    assert invoke("rebuild", "nope", "--database", demo_url).exit_code == 2


def test_replay_builds_the_read_models_as_of_a_log_position(demo_url, tmp_path):
    from api.runtime import Runtime
    from domain.store import parse_database_url
    from projections import ledger_queries as q
    from projections.db import make_engine

    rt = Runtime(parse_database_url(demo_url))
    rt.runner.catch_up()
    with rt.read() as conn:
        first = q.journal_entries(conn, first=1).entries[0]
    rt.close()
    target = f"sqlite:///{tmp_path / 'asof.db'}"
    result = invoke("replay", "--as-of", str(first.position), "--into", target,
                    "--database", demo_url)
    assert result.exit_code == 0, result.output
    engine = make_engine(parse_database_url(target))
    with engine.connect() as conn:
        tb = q.trial_balance(conn, "2026-11", leaves_only=True)
    engine.dispose()
    assert [(r.code, str(r.closing)) for r in tb.rows] == [
        ("1002", "100000.00"), ("3001", "-100000.00")]


def test_status_reports_positions_as_json(demo_url):
    result = invoke("status", "--database", demo_url)
    data = json.loads(result.output)
    assert data["log_position"] > 0
    from projections.registry import all_projections

    assert data["projections"] == {p.name: data["log_position"] for p in all_projections()}


def test_trial_balance_command_prints_balanced_totals(demo_url):
    result = invoke("trial-balance", "--period", "2026-11", "--database", demo_url)
    assert result.exit_code == 0
    assert "101,880.00" in result.output and result.output.strip().endswith("balanced")


def test_report_exports_the_demo_month_statements(demo_url, tmp_path):
    import zipfile

    xlsx, csv_path = tmp_path / "bs.xlsx", tmp_path / "bs.csv"
    result = invoke("report", "balance-sheet", "--period", "2026-11", "--xlsx", str(xlsx),
                    "--csv", str(csv_path), "--database", demo_url)
    assert result.exit_code == 0, result.output
    rows = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert "30,资产总计,101807.20,0.00" in rows and "53,负债和所有者权益（或股东权益）总计," \
        "101807.20,0.00" in rows
    with zipfile.ZipFile(xlsx) as book:
        assert "资产总计" in book.read("xl/sharedStrings.xml").decode()
    printed = invoke("report", "income-statement", "--period", "2026-11", "--database", demo_url)
    assert "一、营业收入\t2,000.00\t2,000.00" in printed.output
    assert "四、净利润（净亏损以“-”号填列）\t1,497.50\t1,497.50" in printed.output
    bad = invoke("report", "cash-flow", "--period", "2026-11", "--database", demo_url)
    assert bad.exit_code == 2 and "unknown" in bad.output
