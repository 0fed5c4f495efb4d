"""Least privilege: who reads what, sign-in, disabled users, revoked tokens,
and the open (demo) mode, each through the real HTTP API.

The matrix sends every Query field (listed from the schema itself) and every
download as every role, on the demo company, and compares the answer with
EXPECTED below: an explicit table, written out by hand, not derived from
domain/access.py. A query added to the schema without a row here fails
``test_every_query_field_is_in_the_matrix``; one without a row in READ_AREAS
is refused to everyone (``test_a_read_without_a_rule_is_refused_to_everyone``).
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import cli
from api.demo import load_demo
from api.graphql.context import is_loopback
from api.graphql.schema import schema
from api.runtime import Runtime
from domain.access import READ_AREAS, check_read
from domain.errors import PermissionDenied, ValidationError
from domain.store import parse_database_url
from domain.users.directory import new_token

ROLES = ("admin", "accountant", "planner", "storekeeper", "inspector", "operator", "maintenance",
         "viewer")
PERIOD = "2026-11"

# One cheap query per Query field: arguments that answer quickly (or empty).
QUERIES: dict[str, str] = {
    "accounts": '{ accounts(prefix: "1002") { code } }',
    "account": '{ account(code: "1002") { code } }',
    "periods": "{ periods { period } }",
    "journalEntries": "{ journalEntries(first: 1) { edges { node { id } } } }",
    "journalEntry": '{ journalEntry(id: "none") { id } }',
    "trialBalance": f'{{ trialBalance(period: "{PERIOD}") {{ balanced }} }}',
    "accountLedger": f'{{ accountLedger(account: "2211", period: "{PERIOD}") {{ __typename }} }}',
    "items": '{ items(prefix: "NONE") { code } }',
    "item": '{ item(code: "NONE") { code } }',
    "warehouses": "{ warehouses { code } }",
    "parties": "{ parties { code } }",
    "purchaseOrders": "{ purchaseOrders(first: 1) { __typename } }",
    "salesOrders": "{ salesOrders(first: 1) { __typename } }",
    "order": '{ order(number: "NONE") { number } }',
    "openOrderLines": '{ openOrderLines(kind: PURCHASE, party: "NONE") { __typename } }',
    "onHand": '{ onHand(item: "NONE") { __typename } }',
    "stockCard": '{ stockCard(item: "NONE", first: 1) { __typename } }',
    "stockDocuments": '{ stockDocuments(party: "NONE", first: 1) { __typename } }',
    "stockDocument": '{ stockDocument(number: "NONE") { __typename } }',
    "inventoryValuation": f'{{ inventoryValuation(period: "{PERIOD}", item: "NONE") '
                          "{ __typename } }",
    "inventoryReconciliation": "{ inventoryReconciliation { __typename } }",
    "onTimeDelivery": f'{{ onTimeDelivery(period: "{PERIOD}") {{ __typename }} }}',
    "inventoryTurnover": f'{{ inventoryTurnover(period: "{PERIOD}") {{ __typename }} }}',
    "workOrders": '{ workOrders(item: "NONE", first: 1) { __typename } }',
    "workOrder": '{ workOrder(number: "NONE") { __typename } }',
    "dispatchList": '{ dispatchList(workCenter: "NONE") { __typename } }',
    "wipReconciliation": "{ wipReconciliation { __typename } }",
    "heldWorkOrders": "{ heldWorkOrders { __typename } }",
    "readyToShip": '{ readyToShip(item: "NONE") { __typename } }',
    "shopKpis": '{ shopKpis(from: "2026-11-01", to: "2026-11-01", workCenter: "NONE") '
                "{ __typename } }",
    "workCenters": "{ workCenters { __typename } }",
    "operators": "{ operators { __typename } }",
    "boms": '{ boms(item: "NONE") { __typename } }',
    "routings": '{ routings(item: "NONE") { __typename } }',
    "alerts": '{ alerts(kind: "NONE", first: 1) { __typename } }',
    "mrpRuns": "{ mrpRuns(first: 1) { __typename } }",
    "mrpRun": '{ mrpRun(number: "NONE") { __typename } }',
    "plannedOrders": '{ plannedOrders(item: "NONE") { __typename } }',
    "mrpExceptions": '{ mrpExceptions(kind: "expedite") { __typename } }',
    "peggedReceipts": '{ peggedReceipts(item: "NONE") { __typename } }',
    "planningSettings": "{ planningSettings { expediteHorizonDays } }",
    "workingCalendar": '{ workingCalendar(from: "2026-11-01", to: "2026-11-02") { date } }',
    "schedule": '{ schedule(start: "2026-11-02T08:00:00+08:00") { __typename } }',
    "scheduleByWorkCenter": '{ scheduleByWorkCenter(start: "2026-11-02T08:00:00+08:00") '
                            "{ __typename } }",
    "reschedule": '{ reschedule(start: "2026-11-02T08:00:00+08:00") { __typename } }',
    "lateOrders": '{ lateOrders(start: "2026-11-02T08:00:00+08:00") { __typename } }',
    "savedSchedule": "{ savedSchedule { number } }",
    "costRollup": '{ costRollup(item: "RM-STEEL") { __typename } }',
    "workOrderBudget": '{ workOrderBudget(number: "NONE") { __typename } }',
    "openItems": '{ openItems(party: "NONE") { __typename } }',
    "aging": '{ aging(ledger: RECEIVABLE, asOf: "2026-11-30", party: "NONE") '
             "{ __typename } }",
    "partyStatement": '{ partyStatement(party: "NONE", from: "2026-11-01", to: "2026-11-01") '
                      "{ __typename } }",
    "cashDocuments": '{ cashDocuments(party: "NONE") { __typename } }',
    "cashDocument": '{ cashDocument(number: "NONE") { __typename } }',
    "subledgerReconciliation": '{ subledgerReconciliation(asOf: "2026-11-01") '
                               "{ __typename } }",
    "balanceSheet": f'{{ balanceSheet(period: "{PERIOD}") {{ __typename }} }}',
    "fixedAssets": "{ fixedAssets { __typename } }",
    "fixedAsset": '{ fixedAsset(code: "NONE") { __typename } }',
    "depreciationRuns": '{ depreciationRuns(asset: "NONE") { __typename } }',
    "fixedAssetReconciliation": "{ fixedAssetReconciliation { __typename } }",
    "incomeStatement": f'{{ incomeStatement(period: "{PERIOD}") {{ __typename }} }}',
    "annualIncomeStatement":
        f'{{ annualIncomeStatement(period: "{PERIOD}") {{ __typename }} }}',
    "cashFlowStatement": f'{{ cashFlowStatement(period: "{PERIOD}") {{ __typename }} }}',
    "vatReturn": f'{{ vatReturn(period: "{PERIOD}") {{ __typename }} }}',
    "purchaseInvoices": '{ purchaseInvoices(supplier: "NONE", first: 1) { __typename } }',
    "purchaseInvoice": '{ purchaseInvoice(supplier: "NONE", number: "NONE") { __typename } }',
    "uninvoicedReceipts": '{ uninvoicedReceipts(supplier: "NONE") { __typename } }',
    "salesInvoices": '{ salesInvoices(customer: "NONE", first: 1) { __typename } }',
    "salesInvoice": '{ salesInvoice(number: "NONE") { __typename } }',
    "uninvoicedShipments": '{ uninvoicedShipments(customer: "NONE") { __typename } }',
    "companyProfile": "{ companyProfile { __typename } }",
    "systemStatus": "{ systemStatus { status } }",
    "equipment": '{ equipment(workCenter: "NONE") { code } }',
    "equipmentOee": '{ equipmentOee(equipment: "NONE", from: "2026-11-02") { day } }',
    "downtimePareto": '{ downtimePareto(from: "2026-11-02", workCenter: "NONE") { reason } }',
    "equipmentReliability": '{ equipmentReliability(equipment: "NONE", from: "2026-11-02") '
                            "{ __typename } }",
    "equipmentAlerts": '{ equipmentAlerts(equipment: "NONE") { __typename } }',
    "downtimeReasons": "{ downtimeReasons { code } }",
    "maintenanceOrders": '{ maintenanceOrders(equipment: "NONE") { number } }',
    "maintenanceOrder": '{ maintenanceOrder(number: "NONE") { number } }',
    "maintenancePlans": '{ maintenancePlans(equipment: "NONE") { code } }',
    "equipmentDeadLetters": "{ equipmentDeadLetters(first: 1) { __typename } }",
    "safetyStockRecommendation": '{ safetyStockRecommendation(item: "RM-BOX") '
                                 "{ safetyStock } }",
    "inspectionPlans": '{ inspectionPlans(item: "NONE") { __typename } }',
    "samplingPlan": '{ samplingPlan(lotSize: 500, aql: "1.0") { sampleSize } }',
    "inspectionLots": '{ inspectionLots(item: "NONE", first: 1) { __typename } }',
    "inspectionLot": '{ inspectionLot(number: "NONE") { __typename } }',
    "nonconformances": '{ nonconformances(item: "NONE", first: 1) { __typename } }',
    "nonconformance": '{ nonconformance(number: "NONE") { __typename } }',
    "operationHolds": '{ operationHolds(workOrder: "NONE") { __typename } }',
    "supplierFlags": '{ supplierFlags(supplier: "NONE") { __typename } }',
    "qualityAlerts": '{ qualityAlerts(kind: "NONE", first: 1) { __typename } }',
    "qualityKpis": '{ qualityKpis(from: "2026-11-01", to: "2026-11-01") { __typename } }',
    "supplierScorecard": '{ supplierScorecard(from: "2026-11-01", to: "2026-11-01") '
                         "{ __typename } }",
    "qualityCost": '{ qualityCost(from: "2026-11-01", to: "2026-11-01") { total } }',
    "spcChart": '{ spcChart(item: "NONE", characteristic: "NONE", from: "2026-11-01", '
                'to: "2026-11-01") { values } }',
    "yieldRecommendation": '{ yieldRecommendation(item: "NONE") { __typename } }',
    "traceLot": '{ traceLot(item: "NONE", lot: "") { __typename } }',
    "approvedSuppliers": '{ approvedSuppliers(item: "NONE") { __typename } }',
    "recall": '{ recall(item: "NONE", lot: "") { customers } }',
}

# Who may read each query field (admin always): the policy, written out by hand.
# a=accountant p=planner s=storekeeper i=inspector o=operator m=maintenance
# v=viewer (default areas).
_WHO = {
    # master data: everyone
    "items": "apsiomv", "item": "apsiomv", "warehouses": "apsiomv", "workCenters": "apsiomv",
    "operators": "apsiomv", "boms": "apsiomv", "routings": "apsiomv", "periods": "apsiomv",
    # orders and partners
    "parties": "aps", "purchaseOrders": "aps", "salesOrders": "aps", "order": "aps",
    "openOrderLines": "aps", "onTimeDelivery": "aps",
    # stock
    "onHand": "apsim", "stockCard": "apsim", "stockDocuments": "apsim",
    "stockDocument": "apsim",
    "readyToShip": "apsim",
    # production: the shop floor too
    "workOrders": "apsiomv", "workOrder": "apsiomv", "dispatchList": "apsiomv",
    "heldWorkOrders": "apsiomv", "shopKpis": "apsiomv", "alerts": "apsiomv",
    # equipment: read as production (maintenance's orders and OEE, the shop floor's boards)
    "equipment": "apsiomv", "equipmentOee": "apsiomv", "downtimePareto": "apsiomv",
    "equipmentReliability": "apsiomv", "equipmentAlerts": "apsiomv",
    "downtimeReasons": "apsiomv", "maintenanceOrders": "apsiomv", "maintenanceOrder": "apsiomv",
    "maintenancePlans": "apsiomv", "equipmentDeadLetters": "apsiomv",
    "safetyStockRecommendation": "p",
    # planning: the planner
    "mrpRuns": "p", "mrpRun": "p", "plannedOrders": "p", "mrpExceptions": "p",
    "peggedReceipts": "p", "planningSettings": "p", "workingCalendar": "p",
    "schedule": "p", "scheduleByWorkCenter": "p", "reschedule": "p", "lateOrders": "p",
    "savedSchedule": "p",
    # costing, ledger, cash, invoices: the accountant
    "inventoryValuation": "a", "inventoryReconciliation": "a", "inventoryTurnover": "a",
    "wipReconciliation": "a", "costRollup": "a", "workOrderBudget": "a",
    "accounts": "a", "account": "a", "journalEntries": "a", "journalEntry": "a",
    "trialBalance": "a", "accountLedger": "a", "balanceSheet": "a", "incomeStatement": "a",
    "cashFlowStatement": "a", "vatReturn": "a", "annualIncomeStatement": "a",
    "subledgerReconciliation": "a",
    "fixedAssets": "a", "fixedAsset": "a", "depreciationRuns": "a",
    "fixedAssetReconciliation": "a",
    "openItems": "a", "aging": "a", "partyStatement": "a", "cashDocuments": "a",
    "cashDocument": "a",
    "purchaseInvoices": "a", "purchaseInvoice": "a", "uninvoicedReceipts": "a",
    "salesInvoices": "a", "salesInvoice": "a", "uninvoicedShipments": "a",
    "companyProfile": "a",
    # quality: inspectors, and whoever buys, plans, stores or costs what they judge
    "inspectionPlans": "apsi", "samplingPlan": "apsi", "inspectionLots": "apsi",
    "inspectionLot": "apsi", "nonconformances": "apsi", "nonconformance": "apsi",
    "operationHolds": "apsi", "supplierFlags": "apsi", "qualityAlerts": "apsi",
    "qualityKpis": "apsi", "supplierScorecard": "apsi", "qualityCost": "apsi",
    "spcChart": "apsi", "yieldRecommendation": "apsi", "traceLot": "apsi", "recall": "apsi",
    "approvedSuppliers": "apsi",
    # the system's own state: admin only
    "systemStatus": "",
}
_LETTER = {"a": "accountant", "p": "planner", "s": "storekeeper", "i": "inspector",
           "o": "operator", "m": "maintenance", "v": "viewer"}
EXPECTED: dict[str, frozenset[str]] = {
    field: frozenset({"admin", *(_LETTER[c] for c in who)}) for field, who in _WHO.items()
}

# Downloads: the statements read the ledger, invoice files the invoices.
DOWNLOADS: dict[str, tuple[str, frozenset[str]]] = {
    "balance-sheet.xlsx": (f"/reports/balance-sheet.xlsx?period={PERIOD}",
                           frozenset({"admin", "accountant"})),
    "income-statement.csv": (f"/reports/income-statement.csv?period={PERIOD}",
                             frozenset({"admin", "accountant"})),
    "trial-balance.csv": (f"/reports/trial-balance.csv?period={PERIOD}",
                          frozenset({"admin", "accountant"})),
    "cash-flow-statement.xlsx": (f"/reports/cash-flow-statement.xlsx?period={PERIOD}",
                                 frozenset({"admin", "accountant"})),
    "vat-return.csv": (f"/reports/vat-return.csv?period={PERIOD}",
                       frozenset({"admin", "accountant"})),
    "invoice.xml": ("/invoices/{invoice}.xml", frozenset({"admin", "accountant"})),
    "invoice.html": ("/invoices/{invoice}.html", frozenset({"admin", "accountant"})),
}


def query_fields() -> list[str]:
    return sorted(schema._schema.query_type.fields)


def test_every_query_field_is_in_the_matrix():
    """A new query must be given a row in EXPECTED (and in READ_AREAS)."""
    assert set(query_fields()) == set(QUERIES) == set(EXPECTED)
    assert set(query_fields()) <= set(READ_AREAS)


def test_every_reader_of_another_type_has_a_rule():
    """Fields of other types whose resolvers read (take ``info``, e.g. StockDocument.entry)
    have rows."""
    graphql_name = schema.config.name_converter.apply_naming_config
    keys = set()
    for name, gtype in schema._schema.type_map.items():
        definition = (getattr(gtype, "extensions", None) or {}).get("strawberry-definition")
        if name in ("Query", "Mutation", "Subscription") or not hasattr(definition, "fields"):
            continue
        for field in definition.fields:
            resolver = field.base_resolver
            if resolver is not None and resolver.info_parameter is not None:
                keys.add(f"{name}.{field.graphql_name or graphql_name(field.python_name)}")
    assert keys and keys <= set(READ_AREAS), keys - set(READ_AREAS)
    # ... and no row names a reader that does not exist.
    assert {k for k in READ_AREAS if "." in k} == keys
    assert "SalesInvoice.entry" in keys and "MrpRun.exceptions" in keys


class Scene:
    def __init__(self, runtime: Runtime, client: TestClient, tokens: dict[str, str],
                 invoice: str):
        self.runtime, self.client, self.tokens, self.invoice = runtime, client, tokens, invoice

    def gql(self, query: str, role: str | None) -> dict:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return self.client.post("/graphql", json={"query": query}, headers=headers).json()


@pytest.fixture(scope="module")
def scene(module_store_url):
    """The demo company with one user per role, on each store, shared by the module
    (the matrix only reads)."""
    runtime = Runtime(parse_database_url(module_store_url))
    try:
        load_demo(runtime.app)
        runtime.runner.catch_up()
        tokens = {role: new_token() for role in ROLES}
        for role, token in tokens.items():
            runtime.app.create_user(f"u-{role}", [role], token)
        with runtime.read() as conn:
            from projections import invoicing_queries as invq

            invoice = invq.invoices_page(conn, first=1)[0][0].number
        with TestClient(create_app(runtime)) as client:
            yield Scene(runtime, client, tokens, invoice)
    finally:
        runtime.close()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("field", sorted(QUERIES))
def test_each_role_reads_only_its_queries(scene, field, role):
    position = scene.runtime.app.log_position()
    body = scene.gql(QUERIES[field], role)
    errors = body.get("errors") or []
    if role in EXPECTED[field]:
        assert errors == [], errors
        assert field in body["data"]
    else:
        assert body["data"] in (None, {field: None})  # null, or nothing for a non-null field
        assert len(errors) == 1
        ext = errors[0]["extensions"]
        assert (ext["type"], ext["query"]) == ("PermissionDenied", field)
        assert errors[0]["path"] == [field]
        # The refusal names who may read it: exactly the expected roles.
        assert set(ext["roles"]) == EXPECTED[field]
        assert ", ".join(sorted(EXPECTED[field])) in errors[0]["message"]
    assert scene.runtime.app.log_position() == position


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("download", sorted(DOWNLOADS))
def test_each_role_downloads_only_its_files(scene, download, role):
    path, allowed = DOWNLOADS[download]
    response = scene.client.get(path.format(invoice=scene.invoice),
                                headers={"Authorization": f"Bearer {scene.tokens[role]}"})
    if role in allowed:
        assert response.status_code == 200, response.text
        assert response.content
    else:
        assert response.status_code == 403
        body = response.json()
        assert body["type"] == "PermissionDenied"
        assert body["roles"] == sorted(allowed)
        assert body["query"] in ("download:reports", "download:invoices")


@pytest.mark.parametrize("field", sorted(QUERIES))
def test_without_a_token_no_query_answers(scene, field):
    errors = scene.gql(QUERIES[field], None)["errors"]
    assert errors[0]["extensions"]["type"] == "PermissionDenied"
    assert errors[0]["message"].startswith("sign in: send a valid bearer token")


@pytest.mark.parametrize("download", sorted(DOWNLOADS))
def test_without_a_token_no_download(scene, download):
    path, _ = DOWNLOADS[download]
    response = scene.client.get(path.format(invoice=scene.invoice))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_nested_ledger_read_is_refused_to_the_storekeeper(scene):
    """A storekeeper reads stock documents, but not the voucher behind them."""
    query = "{ stockDocuments(first: 1) { edges { node { number entry { id } } } } }"
    allowed = scene.gql(query, "accountant")
    assert allowed["data"]["stockDocuments"]["edges"][0]["node"]["entry"]["id"]
    refused = scene.gql(query, "storekeeper")
    node = refused["data"]["stockDocuments"]["edges"][0]["node"]
    assert node["number"] and node["entry"] is None
    ext = refused["errors"][0]["extensions"]
    assert (ext["type"], ext["query"]) == ("PermissionDenied", "StockDocument.entry")
    assert ext["roles"] == ["accountant", "admin"]


def test_a_read_without_a_rule_is_refused_to_everyone():
    with pytest.raises(PermissionDenied, match="futureQuery has no read rule"):
        check_read("futureQuery", None)
    with pytest.raises(PermissionDenied, match="no read rule"):
        check_read("futureQuery", frozenset({"admin"}))


def test_the_operator_reads_no_salaries_and_no_bank(scene):
    """应付职工薪酬 (2211) and the bank (1002) ledgers, the balance sheet: refused."""
    for query in ('{ accountLedger(account: "2211", period: "2026-11") { __typename } }',
                  '{ accountLedger(account: "1002", period: "2026-11") { __typename } }',
                  '{ trialBalance(period: "2026-11") { balanced } }',
                  '{ balanceSheet(period: "2026-11") { __typename } }'):
        body = scene.gql(query, "operator")
        assert not any((body["data"] or {}).values())
        assert body["errors"][0]["extensions"]["roles"] == ["accountant", "admin"]
    dispatch = scene.gql('{ dispatchList(workCenter: "WC-HEAD") { __typename } }', "operator")
    assert "errors" not in dispatch


def test_the_company_decides_what_a_viewer_reads(runtime):
    admin, viewer, clerk, worker = new_token(), new_token(), new_token(), new_token()
    runtime.app.create_user("root", ["admin"], admin)
    runtime.app.create_user("boss", ["viewer"], viewer)
    runtime.app.create_user("kuaiji", ["accountant"], clerk)
    runtime.app.create_user("zhang", ["operator"], worker)
    mutation = ('mutation { setViewerReadAreas(input: {areas: [%s]}) { __typename '
                '... on SetViewerReadAreasSuccess { areas } ... on Error { message } } }')
    tb = '{ trialBalance(period: "2026-11") { balanced } }'
    with TestClient(create_app(runtime)) as client:
        def gql(query, token):
            return client.post("/graphql", json={"query": query},
                               headers={"Authorization": f"Bearer {token}"}).json()

        refused = gql(tb, viewer)["errors"][0]
        assert refused["extensions"]["roles"] == ["accountant", "admin"]
        # Only an admin sets it; an accountant is refused and nothing is written.
        position = runtime.app.log_position()
        denied = gql(mutation % '"ledger"', clerk)["data"]["setViewerReadAreas"]
        assert denied["__typename"] == "PermissionDenied"
        assert runtime.app.log_position() == position
        bad = gql(mutation % '"ledger", "admin"', admin)["data"]["setViewerReadAreas"]
        assert bad["__typename"] == "ValidationError" and "not admin" in bad["message"]
        done = gql(mutation % '"ledger", "stock"', admin)["data"]["setViewerReadAreas"]
        assert done == {"__typename": "SetViewerReadAreasSuccess", "areas": ["ledger", "stock"]}
        assert gql(tb, viewer)["data"]["trialBalance"]["balanced"] is True
        # ... a refusal now names the viewer among the readers of the ledger ...
        refused = gql(tb, worker)["errors"][0]
        assert refused["extensions"]["roles"] == ["accountant", "admin", "viewer"]
        # ... and production is no longer the viewer's.
        refused = gql('{ dispatchList(workCenter: "X") { __typename } }', viewer)["errors"]
        assert refused[0]["extensions"]["query"] == "dispatchList"
        assert "viewer" not in refused[0]["extensions"]["roles"]
        assert runtime.app.viewer_read_areas() == frozenset({"ledger", "stock"})


def test_viewer_areas_are_checked():
    from domain.access import check_read_areas

    assert check_read_areas(["Ledger ", "cash"]) == frozenset({"ledger", "cash"})
    with pytest.raises(ValidationError) as exc:
        check_read_areas(["payroll"])
    assert exc.value.field == "areas" and "not payroll" in exc.value.message


# -- disabled users and revoked tokens ---------------------------------------------------

QUERY = "{ periods { period } }"


def _gql(client, query, token=None, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post("/graphql", json={"query": query}, headers=headers).json()


def test_a_disabled_user_is_stopped_on_every_token_and_can_be_enabled(runtime):
    first, second = new_token(), new_token()
    runtime.app.create_user("wang", ["storekeeper"], first)
    runtime.app.issue_token("wang", second, "tablet")
    with TestClient(create_app(runtime)) as client:
        assert "errors" not in _gql(client, QUERY, first)
        runtime.app.disable_user("wang")
        for token in (first, second):
            error = _gql(client, QUERY, token)["errors"][0]
            assert error["extensions"]["type"] == "PermissionDenied"
            assert error["message"].startswith("sign in")
        position = runtime.app.log_position()
        write = ('mutation { createWarehouse(input: {code: "WH-X", name: "x"}) '
                 '{ __typename ... on Error { message } } }')
        refused = _gql(client, write, first)["data"]["createWarehouse"]
        assert refused["__typename"] == "PermissionDenied" and "sign in" in refused["message"]
        assert runtime.app.log_position() == position
        runtime.app.enable_user("wang")
        assert "errors" not in _gql(client, QUERY, second)


def test_disabling_twice_is_a_typed_error(runtime):
    from domain.errors import BusinessRuleViolation, NotFound

    runtime.app.create_user("wang", ["storekeeper"], new_token())
    runtime.app.disable_user("wang")
    with pytest.raises(BusinessRuleViolation) as exc:
        runtime.app.disable_user("wang")
    assert exc.value.code == "USER_ALREADY_DISABLED"
    with pytest.raises(NotFound):
        runtime.app.disable_user("nobody")


def test_a_token_is_revoked_by_its_public_id(runtime):
    first, second = new_token(), new_token()
    runtime.app.create_user("wang", ["storekeeper"], first)
    issued = runtime.app.issue_token("wang", second, "tablet").value
    tokens = runtime.app.user_tokens("wang")
    assert [(t.label, t.revoked) for t in tokens] == [("first", False), ("tablet", False)]
    assert tokens[1].token_id == issued.token_id
    assert second not in issued.token_id  # the id is not the token
    runtime.app.revoke_token_id(issued.token_id)
    with TestClient(create_app(runtime)) as client:
        assert _gql(client, QUERY, second)["errors"][0]["extensions"]["type"] == \
            "PermissionDenied"
        assert "errors" not in _gql(client, QUERY, first)
    assert [t.revoked for t in runtime.app.user_tokens("wang")] == [False, True]
    with pytest.raises(ValidationError):
        runtime.app.revoke_token_id("not-an-id")


def test_cli_disables_enables_lists_and_revokes_by_id(store_url, runtime):
    runner = CliRunner()
    added = runner.invoke(cli, ["user", "add", "wang", "--role", "storekeeper", "-d", store_url])
    assert added.exit_code == 0, added.output
    token = added.stdout.strip()
    issued = runner.invoke(cli, ["user", "token", "wang", "--label", "tablet", "-d", store_url])
    assert issued.exit_code == 0, issued.output
    second = issued.stdout.strip()
    listed = runner.invoke(cli, ["user", "list", "-d", store_url])
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["wang", "storekeeper"]
    ids = [line.split()[1] for line in lines[1:]]
    assert [line.split()[2:] for line in lines[1:]] == [["active", "first"],
                                                        ["active", "tablet"]]
    assert f"--id {ids[1]}" in issued.stderr
    revoked = runner.invoke(cli, ["user", "revoke", "--id", ids[1], "-d", store_url])
    assert revoked.exit_code == 0, revoked.output
    assert runtime.app.authenticate(second).roles == frozenset()
    assert runtime.app.authenticate(token).roles == frozenset({"storekeeper"})
    again = runner.invoke(cli, ["user", "revoke", "--id", ids[1], "-d", store_url])
    assert again.exit_code == 2 and "already revoked" in again.output
    neither = runner.invoke(cli, ["user", "revoke", "-d", store_url])
    assert neither.exit_code == 2 and "give the token or --id" in neither.output

    disabled = runner.invoke(cli, ["user", "disable", "wang", "-d", store_url])
    assert disabled.exit_code == 0, disabled.output
    assert runtime.app.authenticate(token).roles == frozenset()
    assert "DISABLED" in runner.invoke(cli, ["user", "list", "-d", store_url]).stdout
    enabled = runner.invoke(cli, ["user", "enable", "wang", "-d", store_url])
    assert enabled.exit_code == 0, enabled.output
    assert runtime.app.authenticate(token).roles == frozenset({"storekeeper"})


# -- open (demo) mode ----------------------------------------------------------------------

OPEN = 'mutation { openPeriod(input: {period: "2026-11"}) { __typename ... on Error { message } } }'


@pytest.mark.parametrize("host,local", [
    ("127.0.0.1", True), ("127.9.8.7", True), ("::1", True), ("::ffff:127.0.0.1", True),
    ("10.0.0.5", False), ("192.168.1.2", False), ("::ffff:10.0.0.1", False),
    ("2001:db8::1", False), ("testclient", False), ("localhost", False), ("", False),
    (None, False),
])
def test_loopback_means_an_address_in_127_0_0_0_8_or_ipv6_1(host, local):
    assert is_loopback(host) is local


@pytest.mark.parametrize("client_host", ["203.0.113.7", "192.168.1.20", "testclient"])
def test_open_mode_refuses_a_client_that_is_not_on_loopback(runtime, client_host):
    position = runtime.app.log_position()
    with TestClient(create_app(runtime), client=(client_host, 40000)) as client:
        write = _gql(client, OPEN)["data"]["openPeriod"]
        assert write["__typename"] == "PermissionDenied"
        assert "answers loopback clients only" in write["message"]
        read = _gql(client, QUERY)["errors"][0]
        assert read["extensions"]["type"] == "PermissionDenied"
        assert "loopback clients only" in read["message"]
        download = client.get(f"/reports/trial-balance.csv?period={PERIOD}")
        assert download.status_code == 401 and "loopback" in download.json()["error"]
    assert runtime.app.log_position() == position


POST = """mutation { postJournalEntry(input: {postingDate: "2026-11-02", summary: "invest",
  lines: [{account: "1002", debit: "10.00"}, {account: "3001", credit: "10.00"}]}) {
  __typename ... on Error { message } } }"""
ACTORS = "{ journalEntries { edges { node { actor } } } }"


def test_open_mode_answers_a_loopback_client_and_names_it_by_x_actor(runtime):
    with TestClient(create_app(runtime), client=("127.0.0.1", 40000)) as client:
        assert _gql(client, OPEN)["data"]["openPeriod"]["__typename"] == "OpenPeriodSuccess"
        assert _gql(client, POST, **{"X-Actor": "demo-user"})["data"]["postJournalEntry"][
            "__typename"] == "PostJournalEntrySuccess"
    with TestClient(create_app(runtime), client=("::1", 40000)) as client:
        edges = _gql(client, ACTORS)["data"]["journalEntries"]["edges"]
        assert [e["node"]["actor"] for e in edges] == ["demo-user"]


def test_x_actor_is_never_trusted_once_users_exist(runtime):
    clerk = new_token()
    runtime.app.create_user("kuaiji", ["accountant"], clerk)
    with TestClient(create_app(runtime), client=("127.0.0.1", 40000)) as client:
        # No token but an X-Actor naming an accountant: refused, nothing written.
        position = runtime.app.log_position()
        refused = _gql(client, OPEN, **{"X-Actor": "kuaiji"})["data"]["openPeriod"]
        assert refused["__typename"] == "PermissionDenied"
        assert refused["message"].startswith("sign in")
        assert runtime.app.log_position() == position
        # With a token, X-Actor does not rename the actor.
        assert _gql(client, OPEN, clerk)["data"]["openPeriod"]["__typename"] == \
            "OpenPeriodSuccess"
        ok = _gql(client, POST, clerk, **{"X-Actor": "someone-else"})["data"]
        assert ok["postJournalEntry"]["__typename"] == "PostJournalEntrySuccess"
        edges = _gql(client, ACTORS, clerk)["data"]["journalEntries"]["edges"]
        assert [e["node"]["actor"] for e in edges] == ["kuaiji"]


def test_serve_warns_while_the_api_is_open(store_url, runtime, monkeypatch):
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw))
    runner = CliRunner()
    out = runner.invoke(cli, ["serve", "--port", "8765", "-d", store_url])
    assert out.exit_code == 0, out.output
    assert started == [{"host": "127.0.0.1", "port": 8765, "log_level": "info",
                        "ws_max_size": 1024 * 1024}]
    assert "WARNING: no users yet: the API is OPEN" in out.stderr
    runtime.app.create_user("root", ["admin"], new_token())
    closed = runner.invoke(cli, ["serve", "--port", "8765", "-d", store_url])
    assert closed.exit_code == 0, closed.output
    assert "WARNING" not in closed.output


# -- a live subscription stops when its token does -------------------------------------------

PROGRESS = "subscription { workOrderProgress(after: 0) { number opNo good logPosition } }"


def _report_another_operation(runtime: Runtime) -> None:
    """A new operation report (报工), projected, for the board to see."""
    from datetime import date

    from domain.production.inputs import ReportInput

    app = runtime.app
    number = app.create_work_order("SA-BLANK", "10", date(2026, 12, 4),
                                   date(2026, 12, 1)).value.number
    app.release_work_order(number)
    app.report_by_scan(f"{number}/OP10", date(2026, 12, 1),
                       ReportInput(good="10", labor_hours="0.1", operator="OP-ZHANG"))
    runtime.runner.catch_up()


@pytest.mark.parametrize("stop", ["revoke", "disable", "roles"])
def test_a_subscription_stops_when_its_token_is_revoked_or_its_user_disabled(runtime, stop):
    load_demo(runtime.app)
    runtime.runner.catch_up()
    token = new_token()
    runtime.app.create_user("zhang", ["operator"], token)
    token_id = runtime.app.user_tokens("zhang")[0].token_id
    with TestClient(create_app(runtime)) as client, client.websocket_connect(
        "/graphql", subprotocols=["graphql-transport-ws"],
        headers={"Authorization": f"Bearer {token}"},
    ) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": PROGRESS}})
        # The demo's three reports, while the token is good.
        seen = [ws.receive_json() for _ in range(3)]
        assert [m["type"] for m in seen] == ["next"] * 3
        assert [m["payload"]["data"]["workOrderProgress"]["opNo"] for m in seen] == \
            ["OP10", "OP10", "OP20"]
        if stop == "revoke":
            runtime.app.revoke_token_id(token_id)
        elif stop == "disable":
            runtime.app.disable_user("zhang")
        else:  # now a viewer, and viewers no longer read production
            runtime.app.set_user_roles("zhang", ["viewer"])
            runtime.app.set_viewer_read_areas(["master-data"])
        _report_another_operation(runtime)
        # The next report is not sent: the subscription ends with PermissionDenied.
        ended = ws.receive_json()
        assert ended["type"] == "next" and ended["payload"]["data"] is None
        error = ended["payload"]["errors"][0]
        assert (error["extensions"]["type"], error["extensions"]["query"]) == \
            ("PermissionDenied", "workOrderProgress")
        if stop == "roles":
            assert "workOrderProgress reads production" in error["message"]
        else:
            assert "workOrderProgress stopped: sign in" in error["message"]
        assert ws.receive_json() == {"id": "1", "type": "complete"}


def test_a_subscription_needs_a_role_that_reads_production(runtime):
    token = new_token()
    runtime.app.create_user("kuaiji", ["viewer"], token)
    runtime.app.set_viewer_read_areas(["ledger"])
    with TestClient(create_app(runtime)) as client, client.websocket_connect(
        "/graphql", subprotocols=["graphql-transport-ws"],
        headers={"Authorization": f"Bearer {token}"},
    ) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": PROGRESS}})
        refused = ws.receive_json()
        assert refused["type"] in ("next", "error")
        errors = refused["payload"]["errors"] if refused["type"] == "next" else \
            refused["payload"]
        assert errors[0]["extensions"]["query"] == "workOrderProgress"
        assert errors[0]["extensions"]["roles"] == [
            "accountant", "admin", "inspector", "maintenance", "operator", "planner",
            "storekeeper"]


def test_a_browser_signs_in_a_subscription_with_the_connection_init_payload(runtime):
    """No header (a browser cannot set one on a WebSocket): the token comes in
    connection_init; without it, once users exist, the subscription is refused."""
    load_demo(runtime.app)
    runtime.runner.catch_up()
    token = new_token()
    runtime.app.create_user("zhang", ["operator"], token)
    with TestClient(create_app(runtime)) as client:
        for payload, signed_in in (({}, False), ({"Authorization": f"Bearer {token}"}, True)):
            with client.websocket_connect("/graphql",
                                          subprotocols=["graphql-transport-ws"]) as ws:
                ws.send_json({"type": "connection_init", "payload": payload})
                assert ws.receive_json()["type"] == "connection_ack"
                ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": PROGRESS}})
                first = ws.receive_json()
                if signed_in:
                    assert first["type"] == "next"
                    assert first["payload"]["data"]["workOrderProgress"]["opNo"] == "OP10"
                else:
                    errors = first["payload"]["errors"] if first["type"] == "next" else \
                        first["payload"]
                    assert errors[0]["extensions"]["type"] == "PermissionDenied"
                    assert errors[0]["message"].startswith("sign in")
