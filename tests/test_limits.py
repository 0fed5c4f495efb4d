"""Abuse limits (issue #10, section 5): the Host allow-list, the body cap, the
GraphQL token/alias/depth/cost limits, heavy reads off the event loop,
formula-free exports and the subscription over a real uvicorn socket.

Each refusal is checked with the real request; no test measures time.
"""

from __future__ import annotations

import io
import json
import re
import socket
import threading
import time
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from graphql import parse, validate

from api.app import create_app
from api.exports import to_csv, to_xlsx
from api.graphql.schema import schema
from api.limits import (
    HEAVY_WEIGHT,
    MIB,
    Limits,
    _rules,
    cost_errors,
    host_allowed,
    host_of,
    operation_costs,
)
from projections.reports import ReportTable
from tests.scenes.graphql import ADD_ACCOUNT, INVEST, NOV, OPEN_PERIOD, Api, C, D
from tests.scenes.production_api import D5, SCAN_LEAN, SUBSCRIBE, make_wo1

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

# What the tests' apps allow besides the loopback names (tests/conftest.py).
TEST_HOSTS = ("testserver", "localhost", "127.0.0.1", "[::1]")


def client_for(runtime, **limits) -> TestClient:
    app = create_app(runtime, limits=Limits(**{"allowed_hosts": TEST_HOSTS, **limits}))
    return TestClient(app, raise_server_exceptions=False)


# -- Host allow-list -------------------------------------------------------------------------
@pytest.mark.parametrize("header, host", [
    ("localhost:8000", "localhost"), ("127.0.0.1", "127.0.0.1"), ("[::1]:8000", "[::1]"),
    ("LocalHost.", "localhost"), ("evil.example:80", "evil.example"), ("", ""),
])
def test_the_host_name_is_read_without_its_port(header, host):
    assert host_of(header) == host


def test_the_default_allow_list_is_the_loopback_names_on_any_port():
    default = Limits.from_env({})
    assert default.allowed_hosts == ("localhost", "127.0.0.1", "[::1]")
    assert "testserver" not in default.allowed_hosts
    for header in ("localhost", "localhost:8000", "127.0.0.1:1", "[::1]:8000", "[::1]"):
        assert host_allowed(header, default.allowed_hosts), header
    for header in ("evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "", "[::2]"):
        assert not host_allowed(header, default.allowed_hosts), header
    named = Limits.from_env({"FACTORYLEDGER_ALLOWED_HOSTS": "erp.example.com, *.corp.example, ::1"})
    assert named.allowed_hosts == ("erp.example.com", "*.corp.example", "[::1]")
    assert host_allowed("erp.example.com:443", named.allowed_hosts)
    assert host_allowed("a.corp.example", named.allowed_hosts)
    assert not host_allowed("corp.example.evil", named.allowed_hosts)


def test_a_bad_limit_in_the_environment_is_named():
    with pytest.raises(ValueError, match="FACTORYLEDGER_MAX_BODY_BYTES='1MB'"):
        Limits.from_env({"FACTORYLEDGER_MAX_BODY_BYTES": "1MB"})
    with pytest.raises(ValueError, match="FACTORYLEDGER_GRAPHQL_MAX_DEPTH='0'"):
        Limits.from_env({"FACTORYLEDGER_GRAPHQL_MAX_DEPTH": "0"})
    assert Limits.from_env({"FACTORYLEDGER_GRAPHQL_MAX_COST": "99"}).max_cost == 99


def test_a_rebinding_page_gets_400_and_runs_nothing(runtime):
    """DNS rebinding: evil.example resolves to 127.0.0.1; the browser sends Host: evil.example."""
    # The production default, as `factoryledger serve` builds it (no testserver).
    with TestClient(create_app(runtime, limits=Limits.from_env({})),
                    base_url="http://localhost:8000") as client:
        before = runtime.app.log_position()
        refused = client.post("/graphql", headers={"host": "evil.example"}, json={
            "query": OPEN_PERIOD, "variables": {"input": {"period": NOV}}})
        assert refused.status_code == 400
        assert refused.json() == {"error": "Host 'evil.example' is not allowed; the server "
                                  "answers to localhost, 127.0.0.1, [::1] "
                                  "(FACTORYLEDGER_ALLOWED_HOSTS)"}
        assert client.get("/healthz", headers={"host": "evil.example:8000"}).status_code == 400
        assert client.get("/reports/trial-balance.csv?period=2026-11",
                          headers={"host": "evil.example"}).status_code == 400
        with pytest.raises(WebSocketDisconnect) as closed:
            with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"],
                                          headers={"host": "evil.example"}) as ws:
                ws.receive_json()
        assert closed.value.code == 1008
        assert runtime.app.log_position() == before  # nothing executed

        # The same request from the user's own page (Host: localhost:8000) runs.
        opened = client.post("/graphql", json={"query": OPEN_PERIOD,
                                               "variables": {"input": {"period": NOV}}})
        assert opened.status_code == 200
        assert opened.json()["data"]["openPeriod"]["__typename"] == "OpenPeriodSuccess"
        assert runtime.app.log_position() == before + 1


def test_serving_beyond_loopback_tells_the_user_to_set_the_allow_list():
    from api.cli import host_warning

    warning = host_warning("0.0.0.0", Limits.from_env({}))
    assert warning is not None and "FACTORYLEDGER_ALLOWED_HOSTS" in warning
    assert host_warning("127.0.0.1", Limits.from_env({})) is None
    assert host_warning("0.0.0.0", Limits(allowed_hosts=("erp.example.com",))) is None


# -- body size cap ---------------------------------------------------------------------------
def _alias_flood(n: int) -> str:
    return "{" + " ".join(f"a{i}: __typename" for i in range(n)) + "}"


def test_a_body_over_the_cap_is_refused_with_413_from_its_length_or_as_it_streams(runtime):
    big = json.dumps({"query": _alias_flood(100_000)}).encode()  # ~1.9 MB, the probe's size
    assert len(big) > MIB
    with client_for(runtime) as client:  # the default cap, 1 MiB
        declared = client.post("/graphql", content=big,
                               headers={"content-type": "application/json"})
        assert declared.status_code == 413
        assert declared.json() == {"error": "request body too large: the limit is 1048576 bytes"}

        def chunks():  # no Content-Length: Transfer-Encoding chunked
            for start in range(0, len(big), 64 * 1024):
                yield big[start:start + 64 * 1024]

        streamed = client.post("/graphql", content=chunks(),
                               headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert "content-length" not in {k.lower() for k in streamed.request.headers}

    with client_for(runtime, max_body_bytes=300) as client:
        before = runtime.app.log_position()
        body = {"query": OPEN_PERIOD, "variables": {"input": {"period": NOV}}}
        assert len(json.dumps(body)) > 300
        assert client.post("/graphql", json=body).status_code == 413
        assert runtime.app.log_position() == before  # nothing executed
        small = client.post("/graphql", json={"query": "{ __typename }"})
        assert small.status_code == 200
        assert small.json() == {"data": {"__typename": "Query"}}


# -- GraphQL limits --------------------------------------------------------------------------
def errors_of(response) -> list[str]:
    assert response.status_code in (200, 400), response.text
    body = response.json()
    assert body.get("data") is None, body
    return [e["message"] for e in body["errors"]]


def test_the_alias_flood_is_refused_by_the_token_limit_at_parse_time(runtime):
    """The probe's 1.9 MB query of aliases blocked the event loop for 8.8 s:
    the parser now stops at the 5,001st token."""
    with client_for(runtime, max_body_bytes=4 * MIB) as client:  # let the body through
        flood = client.post("/graphql", json={"query": _alias_flood(50_000)})
        assert errors_of(flood) == [
            "Syntax Error: Document contains more than 5000 tokens. Parsing aborted."]
        # Fewer tokens but too many aliases: Strawberry's alias validator.
        aliases = client.post("/graphql", json={"query": _alias_flood(51)})
        assert errors_of(aliases) == ["51 aliases found. Allowed: 50"]
        assert client.post("/graphql", json={"query": _alias_flood(50)}).status_code == 200


DEEP = """query Deep { stockDocuments { edges { node { entry { lines { accountCode } } } } } }"""


def test_a_query_deeper_than_the_limit_is_refused(runtime):
    """The schema has no cycles (its deepest path is 5 fields), so the default
    depth of 10 guards future recursive types; a lower setting shows the rule."""
    with client_for(runtime, max_depth=4) as client:
        assert errors_of(client.post("/graphql", json={"query": DEEP})) == [
            "'Deep' exceeds maximum operation depth of 4"]
    with client_for(runtime) as client:
        answered = client.post("/graphql", json={"query": DEEP})
        assert answered.status_code == 200
        assert answered.json() == {"data": {"stockDocuments": {"edges": []}}}


def test_a_query_over_the_cost_budget_is_refused_and_runs_nothing(runtime, monkeypatch):
    from projections import statement_queries

    ran = []
    monkeypatch.setattr(statement_queries, "balance_sheet_of",
                        lambda *a, **k: ran.append(a) or pytest.fail("ran"))
    statements = " ".join(f'b{i}: balanceSheet(period: "2026-11") {{ title }}'
                          for i in range(21))
    with client_for(runtime) as client:
        assert errors_of(client.post("/graphql", json={"query": "query Costly { "
                                                       + statements + " }"})) == [
            f"'Costly' is too costly: estimated cost {21 * HEAVY_WEIGHT}, the limit is 10000 "
            f"(each object or list field 1, each report such as trialBalance or schedule "
            f"{HEAVY_WEIGHT}, times the page size `first` it is listed in); ask for less, "
            "or in several requests"]
        # A page multiplies what is asked inside it: 500 entries x 21 objects each.
        page = ("query Page($n: Int!) { journalEntries(first: $n) { edges { node { "
                + " ".join(f"l{i}: lines {{ memo }}" for i in range(19)) + " } } } }")
        assert "estimated cost 10501" in errors_of(client.post("/graphql", json={
            "query": page, "variables": {"n": 500}}))[0]
        assert client.post("/graphql", json={"query": page, "variables": {"n": 50}}).json() == {
            "data": {"journalEntries": {"edges": []}}}
        # Found valid once, the document is not validated again; its cost still is.
        assert "estimated cost 10501" in errors_of(client.post("/graphql", json={
            "query": page, "variables": {"n": 500}}))[0]
    assert ran == []


def test_the_readme_and_the_largest_test_queries_pass_the_default_limits():
    """The largest test queries have 187 tokens, no alias, depth 5 and cost
    1,503 (schedule with lateOrders, or the three statements of the README)."""
    from graphql import specified_rules
    from graphql.validation import LoneAnonymousOperationRule

    from tests.scenes.graphql import ENTRY_FIELDS
    from tests.scenes.production_api import COMPLETE

    limits = Limits.from_env({})
    readme = Path(__file__).resolve().parent.parent / "README.md"
    blocks = re.findall(r"```graphql\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    page = f"{{ journalEntries(first: 500) {{ edges {{ node {{ {ENTRY_FIELDS} }} }} }} }}"
    documents = [*blocks, COMPLETE, page]
    assert len(documents) >= 3
    rules = (*[r for r in specified_rules if r is not LoneAnonymousOperationRule],
             *_rules(limits.max_aliases, limits.max_depth))
    for text in documents:
        document = parse(text, max_tokens=limits.max_tokens)
        assert validate(schema._schema, document, rules) == [], text
        assert cost_errors(schema._schema, document, {}, limits.max_cost) == [], text
    assert operation_costs(schema._schema, parse(blocks[0]), {}) == {"anonymous": 1503}
    # A full page of entries with their lines: 1 + 500 x (edges, node, lines).
    assert operation_costs(schema._schema, parse(page), {}) == {"anonymous": 1501}


# -- heavy reads run off the event loop ------------------------------------------------------
HEAVY_READS = [
    ("projections.ledger_queries", "trial_balance",
     '{ trialBalance(period: "2026-11") { balanced } }'),
    ("projections.ledger_queries", "account_ledger",
     '{ accountLedger(account: "1002", period: "2026-11") { debit } }'),
    ("projections.statement_queries", "balance_sheet_of",
     '{ balanceSheet(period: "2026-11") { title } }'),
    ("projections.statement_queries", "income_statement_of",
     '{ incomeStatement(period: "2026-11") { title } }'),
    ("api.graphql.planning_queries", "_schedule", "{ schedule { status } }"),
    ("projections.planning_queries", "planned_order_list", "{ plannedOrders { id } }"),
    # runMrp's snapshot is read by the read port (projections/read_ports.py)
    ("projections.read_ports", "build_snapshot",
     'mutation { runMrp(input: {today: "2026-11-02"}) { __typename } }'),
    ("api.downloads", "report", "/reports/trial-balance.xlsx?period=2026-11"),
]


@pytest.mark.parametrize("module, name, request_", HEAVY_READS,
                         ids=[f"{m.rsplit('.', 1)[1]}.{n}" for m, n, _ in HEAVY_READS])
def test_the_server_answers_while_a_heavy_read_runs(runtime, monkeypatch, module, name,
                                                    request_):
    """The heavy read is held inside its work until /healthz and a trivial
    query have answered: were it on the event loop, they could not."""
    import importlib

    target = importlib.import_module(module)
    original = getattr(target, name)
    started, release, gave_up = threading.Event(), threading.Event(), threading.Event()

    def held(*args, **kwargs):
        started.set()
        if not release.wait(60):  # only if the loop was blocked: the test never got to release
            gave_up.set()
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, held)
    with client_for(runtime) as client:
        results: dict[str, int] = {}

        def slow() -> None:
            if request_.startswith("/"):
                results["slow"] = client.get(request_).status_code
            else:
                results["slow"] = client.post("/graphql", json={"query": request_}).status_code

        worker = threading.Thread(target=slow)
        worker.start()
        try:
            assert started.wait(60), "the heavy read never started"
            health = client.get("/healthz")
            trivial = client.post("/graphql", json={"query": "{ __typename }"})
            still_held = not gave_up.is_set()
        finally:
            release.set()
            worker.join(60)
    assert still_held
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert trivial.json() == {"data": {"__typename": "Query"}}
    assert results["slow"] in (200, 400)


# -- exports: no cell is a formula -----------------------------------------------------------
HYPERLINK = '=HYPERLINK("http://x","y")'


def test_an_account_named_like_a_formula_exports_as_text(runtime):
    with client_for(runtime) as client:
        api = Api(client, runtime)
        api.command(OPEN_PERIOD, {"period": NOV})
        added = api.command(ADD_ACCOUNT, {"code": "560211", "name": HYPERLINK})
        assert added["__typename"] == "AddAccountSuccess", added
        api.posted(INVEST)
        api.posted([D("560211", "88.00"), C("1002", "88.00")], summary="办公用品")
        csv_file = client.get("/reports/trial-balance.csv?period=2026-11")
        xlsx_file = client.get("/reports/trial-balance.xlsx?period=2026-11")
    assert csv_file.status_code == xlsx_file.status_code == 200

    import csv

    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    (row,) = [r for r in rows if r and r[0] == "560211"]
    assert row[1] == "'" + HYPERLINK
    assert row[4] == "88.00"

    sheet, cells = xlsx_cells(xlsx_file.content)
    assert "<f>" not in sheet and "<f " not in sheet and "<hyperlink" not in sheet
    (row_no,) = [ref[1:] for ref, cell in cells.items() if cell == ("s", "560211")]
    assert cells[f"B{row_no}"] == ("s", HYPERLINK)  # a string cell: the text, as named
    assert cells[f"E{row_no}"] == ("n", "88")


def xlsx_cells(content: bytes) -> tuple[str, dict[str, tuple[str, str]]]:
    """The first sheet's XML and its cells: reference -> (type, value), with
    shared strings resolved; a formula cell has type "f"."""
    import xml.etree.ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = [si.findtext("m:t", "", ns) for si in
                   ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns)]
    cells = {}
    for c in ET.fromstring(sheet).iter(f"{{{ns['m']}}}c"):
        if c.find("m:f", ns) is not None:
            cells[c.get("r")] = ("f", c.findtext("m:f", "", ns))
            continue
        value = c.findtext("m:v", None, ns)
        if value is None:
            continue
        kind = c.get("t", "n")
        cells[c.get("r")] = (kind, strings[int(value)] if kind == "s" else value)
    return sheet, cells


def test_only_text_gets_the_csv_prefix_and_negative_amounts_stay_numbers():
    table = ReportTable(
        name="t", title="=title", subtitle="@sub", headers=("code", "name", "amount"),
        rows=(("1", "-5 退货", Decimal("-440.00")), ("2", "+86 电话", Decimal("12.50")),
              ("3", "@SUM(A1)", Decimal("0")), ("4", "\tTAB", Decimal("1")),
              ("5", "\rCR", Decimal("1")), ("6", "普通 = plain", Decimal("1"))),
    )
    rows = list(__import__("csv").reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows[0] == ["'=title"] and rows[1] == ["'@sub"]
    assert [r[1:] for r in rows[3:]] == [
        ["'-5 退货", "-440.00"], ["'+86 电话", "12.50"], ["'@SUM(A1)", "0.00"],
        ["'\tTAB", "1.00"], ["'\rCR", "1.00"], ["普通 = plain", "1.00"]]

    sheet, cells = xlsx_cells(to_xlsx(table))
    assert not [c for c in cells.values() if c[0] == "f"]
    assert cells["A1"] == ("s", "=title") and cells["A2"] == ("s", "@sub")
    assert [cells[f"B{r}"] for r in range(5, 11)] == [
        ("s", "-5 退货"), ("s", "+86 电话"), ("s", "@SUM(A1)"), ("s", "\tTAB"),
        ("s", "_x000D_CR"),  # OOXML's escape of CR: Excel shows the CR
        ("s", "普通 = plain")]
    assert cells["C5"] == ("n", "-440")  # a negative amount stays a number


# -- the subscription over a real socket ------------------------------------------------------
def test_work_order_progress_streams_over_a_real_uvicorn_websocket(factory):
    """uvicorn[standard] brings `websockets`: `make run` serves the subscription."""
    import uvicorn
    from websockets.sync.client import connect

    shop = factory
    wo = make_wo1(shop)
    after = shop.log_position()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(shop.runtime, limits=Limits.from_env({}))  # the production default
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        ready = threading.Event()
        for _ in range(600):
            if server.started:
                ready.set()
                break
            time.sleep(0.05)
        assert ready.is_set(), "uvicorn did not start"
        with connect(f"ws://127.0.0.1:{port}/graphql",
                     subprotocols=["graphql-transport-ws"]) as ws:
            assert ws.subprotocol == "graphql-transport-ws"
            ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
            ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
                "query": SUBSCRIBE, "variables": {"number": wo, "after": after}}}))
            scanned = shop.ok(SCAN_LEAN, {"code": f"{wo}/OP10", "postingDate": D5,
                                         "good": "600", "laborHours": "1.2"})
            pushed = json.loads(ws.recv(timeout=30))
            ws.send(json.dumps({"id": "1", "type": "complete"}))
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
    assert not thread.is_alive()
    assert pushed["type"] == "next" and pushed["id"] == "1"
    report = pushed["payload"]["data"]["workOrderProgress"]
    assert after < report["logPosition"] <= scanned["logPosition"]
    assert {k: report[k] for k in ("number", "opNo", "good", "laborHours", "laborCost")} == {
        "number": wo, "opNo": "OP10", "good": "600", "laborHours": "1.2", "laborCost": "48.00"}
