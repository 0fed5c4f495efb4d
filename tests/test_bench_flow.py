"""bench/flow.py at a tiny size (2 orders): the whole order-to-cash flow runs through the
use cases and through GraphQL, the last line is the promised JSON, and the
trial balance balances."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS = {
    "orders",
    "flow_seconds",
    "flow_orders_per_s",
    "commands",
    "reports_seconds",
    "mrp_seconds",
    "planned_orders",
    "debits",
    "credits",
    "peak_rss_mb",
}
# Per order: sales order + confirm, 3 work orders x (create, release, issue,
# 3 reports, complete), shipment, sales invoice.
COMMANDS_PER_ORDER = 2 + 3 * 7 + 2
# Per raw material: purchase order, confirm, receipt, purchase invoice.
COMMANDS_PER_RAW = 4


def run_bench(*args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "flow.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()


@pytest.mark.parametrize("via", ["app", "graphql"])
def test_a_tiny_flow_balances_and_ends_with_the_json_line(via):
    sys.path.insert(0, str(ROOT))
    from bench.flow import workload

    result = json.loads(
        run_bench("--store", "sqlite", "--orders", "2", "--more", "2", "--via", via)[-1]
    )
    assert KEYS <= result.keys()
    assert result["orders"] == 2 and result["via"] == via
    raws = len(workload(2, 2, 42).need)
    assert result["commands"] == COMMANDS_PER_RAW * raws + COMMANDS_PER_ORDER * 2
    assert result["debits"] == result["credits"]
    assert result["closing_debits"] == result["closing_credits"]
    assert float(result["debits"]) > 0
    assert result["balanced"] is True
    # Everything bought was consumed and everything made was shipped.
    assert result["stock_qty"] == "0" and result["stock_minus_gl"] == "0.00"
    # 2 orders with no stock: the product, its 2 sub-assemblies and their raw materials.
    assert result["planned_orders"] > 0
    assert result["flow_seconds"] > 0 and result["peak_rss_mb"] > 0


def test_the_workload_is_fixed_by_the_seed():
    sys.path.insert(0, str(ROOT))
    from bench.flow import workload

    a, b = workload(20, 5, 42), workload(20, 5, 42)
    assert a == b
    assert len(a.raw_cost) == 30 and len(a.product_bom) == 20 and len(a.sub_bom) == 40
    assert all(1 <= c <= 20 for c in a.raw_cost.values())
    for lines in a.sub_bom.values():
        assert [q for _, q in lines] == [1, 2, 3] and len({r for r, _ in lines}) == 3
    assert all([q for _, q in lines] == [1, 2] for lines in a.product_bom.values())
    assert all(1 <= o.qty <= 10 for o in a.orders + a.more)
    assert workload(20, 5, 7) != a
