"""The one PostgreSQL-schema helper of the suite (tests/conftest.py) points the
test server's URL at a fresh schema whatever the URL already carries."""

import pytest

from domain.store import parse_database_url
from tests.conftest import pg_schema_url

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("base, url", [
    ("postgresql://postgres@127.0.0.1:5432/postgres",
     "postgresql://postgres@127.0.0.1:5432/postgres?schema=t_1"),
    # a query string already there is kept, and schema= is added with &
    ("postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable",
     "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable&schema=t_1"),
    # a schema= already there is replaced, not shadowed (the first one would win)
    ("postgresql://postgres@127.0.0.1/postgres?schema=shared&sslmode=disable",
     "postgresql://postgres@127.0.0.1/postgres?sslmode=disable&schema=t_1"),
    # the password (even an escaped @) stays exactly as written
    ("postgresql://erp:s%40cret@db.local:5433/acme",
     "postgresql://erp:s%40cret@db.local:5433/acme?schema=t_1"),
    ("postgresql://erp:s%40cret@db.local:5433/acme?connect_timeout=3",
     "postgresql://erp:s%40cret@db.local:5433/acme?connect_timeout=3&schema=t_1"),
])
def test_schema_url(base, url):
    assert pg_schema_url("t_1", base) == url


@pytest.mark.parametrize("base", [
    "postgresql://postgres@127.0.0.1:5432/postgres",
    "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable",
    "postgresql://postgres@127.0.0.1:5432/postgres?schema=shared",
    "postgresql://erp:s%40cret@db.local:5433/acme?connect_timeout=3",
])
def test_the_store_reads_the_fresh_schema_and_the_same_server(base):
    fresh, original = parse_database_url(pg_schema_url("m_abc", base)), parse_database_url(base)
    assert fresh.schema == "m_abc"
    assert (fresh.host, fresh.port, fresh.user, fresh.password, fresh.dbname) == (
        original.host, original.port, original.user, original.password, original.dbname)


def test_the_password_is_unescaped_once():
    cfg = parse_database_url(pg_schema_url("t_1", "postgresql://erp:s%40cret@db.local/acme"))
    assert (cfg.user, cfg.password, cfg.host, cfg.dbname) == ("erp", "s@cret", "db.local", "acme")
