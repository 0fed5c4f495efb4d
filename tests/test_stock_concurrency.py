"""Many clients issuing the same item at once on PostgreSQL never drive it
negative and never lose a movement (optimistic concurrency with retries)."""

import threading
from datetime import date
from decimal import Decimal as Dec

from api.runtime import Runtime
from domain.application import FactoryLedger
from domain.errors import BusinessRuleViolation
from domain.inventory.handlers import AdjustmentLineInput
from domain.store import parse_database_url
from projections import inventory_queries as iq
from tests.scenes.supply_chain import setup_company

THREADS, ISSUES = 8, 200


def test_eight_clients_issuing_one_item_take_exactly_the_stock_there_is(pg_url):
    rt = Runtime(parse_database_url(pg_url))
    try:
        setup_company(rt.app)
        rt.app.adjust_stock(date(2026, 11, 2),
                            [AdjustmentLineInput("RM-BOX", "WH-RM", "1000", "1.01")],
                            "3001", "opening stock")
        # Each client has its own application, as separate processes would.
        apps = [FactoryLedger(parse_database_url(pg_url), env={"POSTGRES_POOL_SIZE": "2"})
                for _ in range(THREADS)]
        ok, refused, other = [], [], []

        def client(app, n):
            for i in range(ISSUES):
                try:
                    app.adjust_stock(date(2026, 11, 3),
                                     [AdjustmentLineInput("RM-BOX", "WH-RM", "-1")],
                                     "5602", f"client {n} issue {i}")
                    ok.append(1)
                except BusinessRuleViolation as exc:
                    assert exc.code == "INSUFFICIENT_STOCK"
                    refused.append(1)
                except Exception as exc:  # noqa: BLE001 - reported below
                    other.append(repr(exc))

        threads = [threading.Thread(target=client, args=(a, n)) for n, a in enumerate(apps)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert other == []
        assert (len(ok), len(refused)) == (1000, THREADS * ISSUES - 1000)
        rt.runner.catch_up()
        with rt.read() as conn:
            box = iq.on_hand(conn, item="RM-BOX", include_zero=True)[0]
            recs = {r.account: r for r in iq.reconciliation(conn)}
            card = iq.stock_card(conn, "RM-BOX", first=5000).rows
        assert (box.qty, box.value) == (Dec("0"), Dec("0.00"))
        assert recs["1403"].difference == 0 and recs["1403"].gl_balance == Dec("0.00")
        assert len(card) == 1001
        assert sum(r.value for r in card[1:]) == Dec("-1010.00")
        for app in apps:
            app.close()
    finally:
        rt.close()
