"""``factoryledger run-mrp`` and ``settle-overhead`` call the same application
functions as GraphQL's runMrp and settleOverhead (domain/workflows), through
the same read port: the same figures as tests/test_api_planning.py and
tests/test_bolt_kit_api.py, on SQLite and PostgreSQL."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli import cli
from domain.errors import ProjectionLag
from projections.read_ports import ReadModelInputs
from tests.scenes.bolt_kit_api import (
    VOUCHERS,
    month_up_to_period_end,
    one_open_order_and_overhead_under_applied,
    sorted_lines,
)
from tests.scenes.planning_api import D5, PLANNED_ORDERS, STEP5, sales_order_1, summary

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def vouchers(a) -> list:
    edges = a.gql('{ journalEntries(period: "2026-11", first: 100) { edges { node { '
                  'voucherNo lines { accountCode debit credit } } } } }')["journalEntries"]["edges"]
    return [(e["node"]["voucherNo"], sorted_lines(e["node"]["lines"])) for e in edges]


def test_run_mrp_from_the_cli_plans_bolt_kit_step_5_like_run_mrp(factory, store_url):
    gql = factory
    assert sales_order_1(gql) == "SO-000001"
    result = invoke("run-mrp", "--today", D5, "--database", store_url)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("MRP run MRP-000001: 3 planned orders, 0 exceptions")
    rows = [ln.split("\t") for ln in lines[1:]]
    assert [r[:5] for r in rows] == [
        ["MRP-000001/00001", "make", "FG-KIT", "10", "2026-11-20"],
        ["MRP-000001/00002", "buy", "RM-BOX", "5", "2026-11-20"],
        ["MRP-000001/00003", "make", "SA-BLANK", "1000", "2026-11-20"],
    ]
    # GraphQL reads back step 5 exactly, and the same release dates
    gql.runtime.settle(gql.runtime.app.log_position())
    planned = gql.gql(PLANNED_ORDERS, {"run": "MRP-000001"})["plannedOrders"]
    assert summary(planned) == STEP5
    assert [[p["id"], p["kind"], p["item"], p["qty"], p["needDate"], p["releaseDate"]]
            for p in planned] == rows


def test_settle_overhead_from_the_cli_posts_the_bolt_kit_month_s_7_50(company, store_url):
    a = company
    month_up_to_period_end(a)
    result = invoke("settle-overhead", "--period", "2026-11", "--database", store_url)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["amount 7.50", "voucher 记-0016"]
    a.runtime.settle(a.runtime.app.log_position())
    assert vouchers(a) == VOUCHERS[:16]  # 记-0016: Dr 5401 7.50 / Cr 4101 7.50
    # the same request again is refused as GraphQL refuses it: nothing left to settle
    again = invoke("settle-overhead", "--period", "2026-11", "--database", store_url)
    assert again.exit_code == 1
    assert "NOTHING_TO_SETTLE" in again.output


def test_allocating_overhead_from_the_cli_gives_wo_2_the_60_00(company, store_url):
    a = company
    wo2 = one_open_order_and_overhead_under_applied(a)
    result = invoke("settle-overhead", "--period", "2026-11", "--method", "allocate",
                    "--database", store_url)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "amount 60.00"
    a.runtime.settle(a.runtime.app.log_position())
    data = a.gql(f'{{ workOrder(number: "{wo2}") {{ wip cost {{ overhead }} }} '
                 '  wipReconciliation { difference } }')
    assert (data["workOrder"]["wip"], data["workOrder"]["cost"]["overhead"]) == ("450.00",
                                                                                 "60.00")
    assert data["wipReconciliation"]["difference"] == "0.00"


def test_settle_overhead_refuses_a_bad_method_and_writes_nothing(company, store_url):
    a = company
    before = a.runtime.app.log_position()
    result = invoke("settle-overhead", "--period", "2026-11", "--method", "spread",
                    "--database", store_url)
    assert result.exit_code == 2
    assert "--method must be cost-of-sales or allocate" in result.output
    bad_day = invoke("run-mrp", "--today", "2026-13-01", "--database", store_url)
    assert bad_day.exit_code == 2
    assert "--today must be a date" in bad_day.output
    assert a.runtime.app.log_position() == before


def test_the_read_port_refuses_with_projection_lag_below_the_position(company):
    """An allocation never lists its targets from read models behind the log
    position the command read: the port refuses, and nothing is settled."""
    a = company
    one_open_order_and_overhead_under_applied(a)
    position = a.runtime.app.log_position()
    behind = ReadModelInputs(lambda p: False, a.runtime.read)
    try:
        behind.allocation_targets(position)
    except ProjectionLag as exc:
        assert exc.position == position
        assert f"have not reached log position {position}" in exc.message
    else:
        raise AssertionError("ProjectionLag expected")
    caught_up = a.runtime.inputs.allocation_targets(position)
    assert caught_up.work_orders == ("WO-000002",)


def test_settle_overhead_allocate_refuses_with_projection_lag_and_writes_nothing(
        company, monkeypatch):
    """Before the read port, settleOverhead ignored whether the read models had
    caught up and allocated over whatever orders they listed; now GraphQL (and
    the CLI) answer ProjectionLag and nothing is settled. runMrp likewise."""
    a = company
    one_open_order_and_overhead_under_applied(a)
    before = a.runtime.app.log_position()
    monkeypatch.setattr(a.runtime, "reach", lambda position: False)  # they never get there
    for query, input_ in (
        ('mutation($input: SettleOverheadInput!) { settleOverhead(input: $input) '
         '{ __typename } }', {"period": "2026-11", "method": "ALLOCATE"}),
        ('mutation($input: RunMrpInput!) { runMrp(input: $input) { __typename } }',
         {"today": D5}),
    ):
        body = a.post({"query": query, "variables": {"input": input_}}).json()
        (error,) = body["errors"]
        assert error["extensions"]["type"] == "ProjectionLag"
        assert error["message"].startswith(
            f"the read models have not reached log position {before} yet")
    assert a.runtime.app.log_position() == before
    monkeypatch.undo()
    settled = a.ok('mutation($input: SettleOverheadInput!) { settleOverhead(input: $input) '
                   '{ __typename ... on SettleOverheadSuccess { amount } } }',
                   {"period": "2026-11", "method": "ALLOCATE"})
    assert settled["amount"] == "60.00"
