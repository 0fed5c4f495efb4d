"""Eight PostgreSQL clients scanning reports of the same operation of one work
order at once: nothing is lost or recorded twice, the operation never gets
more good units than its predecessor delivered, and 400101 equals the WIP."""

import threading
from datetime import date
from decimal import Decimal as Dec

from api.runtime import Runtime
from domain.application import FactoryLedger
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation
from domain.inventory.handlers import AdjustmentLineInput
from domain.production.inputs import MaterialLineInput, ReportInput
from domain.store import parse_database_url
from tests.scenes.production import balance, reconciled, setup_factory, work_order

THREADS, REPORTS = 8, 20  # clients n and n + 4 share keys: 80 distinct reports, 160 sends
DAY = date(2026, 11, 13)


def test_eight_clients_scanning_one_operation_lose_nothing_and_stop_at_the_predecessor(pg_url):
    rt = Runtime(parse_database_url(pg_url))
    apps = []
    try:
        app = rt.app
        setup_factory(app)
        app.adjust_stock(DAY, [AdjustmentLineInput("SA-BLANK", "WH-FG", "10000", "0.37"),
                               AdjustmentLineInput("RM-ZINC", "WH-RM", "10", "20.00"),
                               AdjustmentLineInput("RM-BOX", "WH-RM", "100", "1.00")],
                         "3001", "opening stock")
        n = app.create_work_order("FG-KIT", "100", DAY, DAY).value.number
        assert app.release_work_order(n).value.status == "released"
        app.issue_material(n, DAY, [MaterialLineInput(1, "10000"), MaterialLineInput(2, "10"),
                                    MaterialLineInput(3, "100")])  # 3,700 + 200 + 100
        app.report_operation(n, "OP10", DAY, ReportInput(good="60", labor_hours="6"))  # 180+300
        assert work_order(app, n).wip.total == Dec("4480.00")

        apps = [FactoryLedger(parse_database_url(pg_url), env={"POSTGRES_POOL_SIZE": "2"})
                for _ in range(THREADS)]
        accepted: dict[str, tuple[str, bool]] = {}  # key -> (entry id, replayed)
        replays, refused, other = [], [], []
        lock = threading.Lock()
        start = threading.Barrier(THREADS)

        def client(client_app, c):
            start.wait()
            for i in range(REPORTS):
                key = f"scanner-{c % 4}-{i}"
                try:
                    out = client_app.report_by_scan(
                        f"{n}/OP20", DAY, ReportInput(good="1", labor_hours="0.01"),
                        ctx=CommandContext(idempotency_key=key))
                    with lock:
                        if key in accepted:  # the twin's save: same entry, once
                            assert accepted[key][0] == out.value.entry_id
                            replays.append(key)
                        else:
                            accepted[key] = (out.value.entry_id, out.replayed)
                except BusinessRuleViolation as exc:
                    with lock:
                        refused.append(exc.code)
                except Exception as exc:  # noqa: BLE001 - reported below
                    with lock:
                        other.append(repr(exc))

        threads = [threading.Thread(target=client, args=(a, c)) for c, a in enumerate(apps)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert other == []
        assert set(refused) <= {"EXCEEDS_PREDECESSOR"}
        assert len(accepted) == 60  # exactly what OP10 delivered
        assert len({entry for entry, _ in accepted.values()}) == 60
        assert len(accepted) + len(replays) + len(refused) == THREADS * REPORTS
        wo = work_order(app, n)
        op20 = wo.operations["OP20"]
        assert (op20.good, op20.labor_hours) == (Dec("60"), Dec("0.60"))
        assert wo.predecessor_output("OP20") == Dec("60")
        # Each report 0.01 h at WC-PACK: labor 0.25, overhead 0.05.
        assert wo.wip.labor == Dec("180.00") + Dec("15.00")
        assert wo.wip.overhead == Dec("300.00") + Dec("3.00")
        assert wo.wip.total == Dec("4498.00")
        assert balance(rt, "400101") == wo.wip.total
        assert balance(rt, "2211") == Dec("-195.00")
        assert set(reconciled(rt).values()) == {Dec("0.00")}
    finally:
        for a in apps:
            a.close()
        rt.close()
