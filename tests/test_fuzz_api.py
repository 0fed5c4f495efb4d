"""Fuzz every query and every mutation of the schema over HTTP, on both stores.

hypothesis-graphql writes valid operations (literal arguments) for one root
field at a time, with strategies for the project's scalars (Decimal, Date,
DateTime) and text biased towards the demo month's real codes, so requests
reach the business rules and not only the parsers. The scene is the demo
month loaded into the store. Per request: never HTTP 500, never the masked
"Unexpected error." (an exception nobody typed). After each operation's run:
every projection has reached the log and no event was set aside as a dead
letter.

FACTORYLEDGER_FUZZ_EXAMPLES (default 6) is the number of examples per
operation. ``make test`` runs a fixed (derandomized) slice, so CI judges the
same requests each time; ``make test-long`` sets FACTORYLEDGER_FUZZ_RANDOM=1
and 100 examples to explore new ones (Hypothesis prints how to reproduce a
failure).
"""

from __future__ import annotations

import os
import uuid
import warnings
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries
from sqlalchemy import text

from api.app import create_app
from api.demo import load_demo
from api.graphql.schema import schema
from api.runtime import Runtime
from domain.store import parse_database_url

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient

EXAMPLES = int(os.environ.get("FACTORYLEDGER_FUZZ_EXAMPLES", "6"))
RANDOM = os.environ.get("FACTORYLEDGER_FUZZ_RANDOM", "") == "1"
MASKED = "Unexpected error."  # api/graphql/schema.py: MaskErrors(error_message=...)

GRAPHQL = schema._schema
QUERIES = sorted(GRAPHQL.query_type.fields)
MUTATIONS = sorted(GRAPHQL.mutation_type.fields)

# Codes and numbers of the demo month, so lookups find things and commands
# get past "not found" to the rules behind it.
DEMO_TEXT = [
    "CUS-HW", "SUP-STEEL", "FG-KIT", "SA-BLANK", "RM-STEEL", "RM-ZINC", "RM-BOX",
    "WH-RM", "WH-FG", "WC-HEAD", "WC-PLATE", "WC-PACK", "OP-LI", "OP-ZHANG",
    "PO-000001", "SO-000001", "WO-000001", "WO-000002", "WO-000001/OP10", "WO-000002/OP20",
    "GR-000001", "SH-000001", "MRP-000001", "MRP-000001/00001", "2026-11", "2026-12",
    "1002", "1122", "1403", "2202", "3001", "4101", "6001", "V1", "V2", "ar", "ap",
    "heuristic", "cp-sat", "make", "buy", "expedite", "26332000000012345678", "",
]
# Bad text of every kind: refused at the boundary with a typed error.
BAD_TEXT = ["\x00", "a\x00b", "\x07", "\x1b[2J", "\x7f", "x" * 1001, " ", "\t\n\r"]

text_values = st.one_of(
    st.sampled_from(DEMO_TEXT),
    st.sampled_from(BAD_TEXT),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
decimal_values = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**6, max_value=10**6,
                places=2).map(str),
    st.sampled_from(["0", "-0.01", "0.001", "1e3", "99999999999999999.99",
                     "1000000000000000000", "NaN", "Infinity", "-Infinity", "1E+400",
                     "1.2.3", "", "  5 ", "１２"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
demo_days = st.dates(min_value=date(2026, 10, 1), max_value=date(2027, 1, 31))
date_values = st.one_of(
    demo_days.map(date.isoformat),
    st.dates().map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "2026-11", "today", ""]),
)
zones = st.sampled_from([None, UTC, timezone(timedelta(hours=8)),
                         timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))])
datetime_values = st.one_of(
    st.builds(lambda d, h, tz: datetime.combine(d, datetime.min.time()).replace(
        hour=h, tzinfo=tz).isoformat(), demo_days, st.integers(0, 23), zones),
    st.datetimes(timezones=zones).map(datetime.isoformat),
    st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59+00:00",
                     "0001-01-01T00:00:00+14:00", "2026-11-05", "noon"]),
)
SCALARS = {
    "String": text_values.map(nodes.String),
    "ID": text_values.map(nodes.String),
    "Decimal": decimal_values.map(nodes.String),
    "Date": date_values.map(nodes.String),
    "DateTime": datetime_values.map(nodes.String),
    # the only Float arguments are solver time limits: keep them short
    "Float": st.one_of(st.floats(-1, 0.5, allow_nan=False), st.sampled_from([0.0, 1e308]))
    .map(nodes.Float),
    "Int": st.one_of(st.integers(-3, 300), st.sampled_from([-(2**31), 2**31 - 1]))
    .map(nodes.Int),
}


def operations(kind: str, field: str):
    build = queries if kind == "query" else mutations
    return build(GRAPHQL, fields=[field], custom_scalars=SCALARS)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def scene(request, tmp_path_factory):
    """The demo month on a store of each kind, served by the app over HTTP."""
    from tests.conftest import pg_admin

    schema_name = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'factoryledger.db'}"
    else:
        schema_name = f"fz_{uuid.uuid4().hex[:12]}"
        with pg_admin() as conn:
            conn.execute(f'CREATE SCHEMA "{schema_name}"')
        base = os.environ.get("FACTORYLEDGER_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/postgres")
        url = f"{base}{'&' if '?' in base else '?'}schema={schema_name}"
    runtime = Runtime(parse_database_url(url))
    try:
        load_demo(runtime.app)
        with TestClient(create_app(runtime), raise_server_exceptions=False) as client:
            yield client, runtime
    finally:
        runtime.close()
        if schema_name:
            with pg_admin() as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')


def check_response(client: TestClient, document: str) -> None:
    response = client.post("/graphql", json={"query": document})
    assert response.status_code != 500, (document, response.text)
    assert response.status_code in (200, 400), (document, response.text)
    errors = response.json().get("errors") or []
    masked = [e for e in errors if e.get("message") == MASKED]
    assert not masked, f"masked unexpected error for:\n{document}\n{masked}"


def assert_projections_healthy(runtime: Runtime) -> None:
    runtime.runner.catch_up(until=None)
    end = runtime.app.log_position()
    assert runtime.projected_position() == end
    assert {name: end for name in runtime.runner.positions()} == runtime.runner.positions()
    with runtime.read() as conn:
        dead = conn.execute(text(
            "SELECT projection, position, error FROM projection_dead_letters")).all()
    assert dead == []


FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
                suppress_health_check=list(HealthCheck))


def fuzz(client: TestClient, kind: str, field: str) -> None:
    @FUZZ
    @given(document=operations(kind, field))
    def run(document: str) -> None:
        check_response(client, document)

    run()


@pytest.mark.parametrize("field", QUERIES)
def test_fuzz_query(scene, field):
    client, runtime = scene
    fuzz(client, "query", field)
    assert_projections_healthy(runtime)


@pytest.mark.parametrize("field", MUTATIONS)
def test_fuzz_mutation(scene, field):
    client, runtime = scene
    fuzz(client, "mutation", field)
    assert_projections_healthy(runtime)


def test_the_scalar_strategies_cover_every_custom_scalar():
    """A new custom scalar must get a strategy here (or the fuzzer cannot write it)."""
    from graphql import GraphQLScalarType

    names = {name for name, t in GRAPHQL.type_map.items()
             if isinstance(t, GraphQLScalarType) and name != "Boolean"}
    assert names <= set(SCALARS), names - set(SCALARS)
