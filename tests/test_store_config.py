"""FACTORYLEDGER_DATABASE_URL parsing and the one-line start-up errors."""

import subprocess
import sys

import pytest

from api.runtime import Runtime
from domain.store import ConfigurationError, StoreConfig, parse_database_url


def test_sqlite_url_maps_to_the_library_settings():
    cfg = parse_database_url("sqlite:///var/factoryledger.db")
    assert cfg.kind == "sqlite" and cfg.sqlite_path == "var/factoryledger.db"
    assert cfg.eventsourcing_env()["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert cfg.eventsourcing_env()["SQLITE_DBNAME"] == "var/factoryledger.db"
    assert parse_database_url("sqlite:////tmp/x.db").sqlite_path == "/tmp/x.db"


def test_postgres_url_maps_to_the_library_settings():
    cfg = parse_database_url("postgresql://erp:s%40cret@db.local:5433/acme?schema=plant1")
    env = cfg.eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == (
        "db.local", "5433", "acme")
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("erp", "s@cret")
    assert env["POSTGRES_SCHEMA"] == "plant1"
    # percent-encoded again: "s@cret@db.local" would name the host "cret@db.local"
    assert cfg.sqlalchemy_url == "postgresql+psycopg://erp:s%40cret@db.local:5433/acme"


@pytest.mark.parametrize(
    "url",
    ["mysql://x/y", "sqlite://host/file.db", "sqlite:///", "sqlite:///:memory:",
     "postgresql://localhost", "postgresql://h:port/db", "nonsense", "",
     "postgresql://h/db?schema=bad;drop"],
)
def test_malformed_urls_are_refused_with_a_clear_message(url):
    with pytest.raises(ConfigurationError) as info:
        parse_database_url(url)
    assert "\n" not in str(info.value)


def test_unreachable_postgres_is_one_clear_error():
    cfg = parse_database_url("postgresql://postgres@127.0.0.1:1/nowhere")
    with pytest.raises(ConfigurationError) as info:
        Runtime(cfg)
    assert str(info.value).startswith("cannot reach PostgreSQL 127.0.0.1:1/nowhere")


@pytest.mark.parametrize(
    "url, expected",
    [("postgresql://postgres@127.0.0.1:1/nowhere", "cannot reach PostgreSQL"),
     ("mysql://x/y", "bad database URL")],
)
def test_cli_prints_one_line_and_exits_2_on_a_bad_database(url, expected):
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "status"],
        env={"FACTORYLEDGER_DATABASE_URL": url, "PATH": ""},
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in proc.stderr


def test_the_in_memory_store_is_eventsourcings_popo_and_has_no_read_models():
    cfg = StoreConfig.memory()
    assert cfg.kind == "memory"
    assert cfg.eventsourcing_env() == {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    assert cfg.describe() == "an in-memory store"
    with pytest.raises(ConfigurationError) as info:
        cfg.sqlalchemy_url  # noqa: B018 - the property raises
    assert str(info.value) == "an in-memory store has no read models"


@pytest.mark.parametrize("url", ["memory:", "memory://", "popo:"])
def test_no_database_url_names_the_in_memory_store(url):
    with pytest.raises(ConfigurationError) as info:
        parse_database_url(url)
    assert str(info.value).startswith("bad database URL")


def test_a_company_on_the_in_memory_store_seeds_its_chart_and_posts(memory_app):
    from datetime import date

    from domain.ledger.entries import LineInput

    assert memory_app.log_position() == 2  # the chart and its 其中 sub-accounts, as on a file
    memory_app.open_period("2026-11")
    out = memory_app.post_journal_entry(date(2026, 11, 10), "invest", [
        LineInput("1002", debit="100.00"), LineInput("3001", credit="100.00")])
    assert (out.value.voucher_no, out.position) == ("记-0001", memory_app.log_position())
