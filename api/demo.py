"""Demo company: the bolt-kit month (shared/examples/bolt-kit.md) as vouchers.

Until the purchasing, production and sales flows post these themselves, the
demo books the month's vouchers by hand, so a new user sees a real trial
balance. Every command carries an idempotency key: loading twice writes nothing.
"""

from __future__ import annotations

from datetime import date

from domain.application import FactoryLedger
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation
from domain.ledger.entries import LineInput

PERIOD = "2026-11"


def D(account: str, amount: str, memo: str = "") -> LineInput:  # noqa: N802 - reads like a voucher
    return LineInput(account, debit=amount, memo=memo)


def C(account: str, amount: str, memo: str = "") -> LineInput:  # noqa: N802
    return LineInput(account, credit=amount, memo=memo)


# (key, day, summary, lines): the bolt-kit vouchers in story order.
BOLT_KIT_VOUCHERS: list[tuple[str, int, str, list[LineInput]]] = [
    ("step1-invest", 1, "投资者投入资本 owner invests",
     [D("1002", "100000.00"), C("3001", "100000.00")]),
    ("step2-receipt", 3, "PO-1 材料入库 (暂估) goods received, not invoiced",
     [D("1403", "560.00"), C("220202", "560.00")]),
    ("step3-invoice", 5, "PO-1 供应商发票 supplier VAT invoice",
     [D("220202", "560.00"), D("22210101", "72.80"), C("220201", "632.80")]),
    ("step3-payment", 5, "支付 PO-1 货款 pay supplier",
     [D("220201", "632.80"), C("1002", "632.80")]),
    ("step6-issue", 10, "WO-1 生产领料 issue RM-STEEL 50 kg",
     [D("400101", "250.00"), C("1403", "250.00")]),
    ("step6-report", 10, "WO-1 OP10 报工 labor and overhead 2.0 h",
     [D("400101", "120.00"), C("2211", "80.00"), C("4101", "40.00")]),
    ("step6-complete", 11, "WO-1 完工入库 SA-BLANK 1,000",
     [D("140502", "370.00"), C("400101", "370.00")]),
    ("step7-issue", 12, "WO-2 生产领料 SA-BLANK, RM-ZINC, RM-BOX",
     [D("400101", "400.00"), C("140502", "370.00"), C("1403", "30.00")]),
    ("step7-report", 13, "WO-2 OP10/OP20 报工 labor and overhead",
     [D("400101", "95.00"), C("2211", "42.50"), C("4101", "52.50")]),
    ("step7-complete", 14, "WO-2 完工入库 FG-KIT 10",
     [D("140501", "495.00"), C("400101", "495.00")]),
    ("step8-shipment", 16, "SO-1 销售出库 cost of sales",
     [D("5401", "495.00"), C("140501", "495.00")]),
    ("step9-invoice", 16, "SO-1 销售发票 数电票 2,260.00",
     [D("1122", "2260.00"), C("5001", "2000.00"), C("22210102", "260.00")]),
    ("step9-receipt", 20, "收到 SO-1 货款 customer pays",
     [D("1002", "2260.00"), C("1122", "2260.00")]),
    ("step10-electricity", 25, "车间电费 electricity for the shop",
     [D("4101", "100.00"), C("1002", "100.00")]),
    ("step11-overhead", 30, "结转制造费用差异 under-applied overhead to cost of sales",
     [D("5401", "7.50"), C("4101", "7.50")]),
    ("step11-close", 30, "结转损益 transfer P&L to 本年利润",
     [D("5001", "2000.00"), C("5401", "502.50"), C("3103", "1497.50")]),
]


def load_demo(app: FactoryLedger, actor: str = "demo") -> int:
    """Open the period and book the month; return how many commands wrote events."""
    written = 0
    try:
        opened = app.open_period(
            PERIOD, ctx=CommandContext(actor=actor, idempotency_key="demo-open")
        )
        written += 0 if opened.replayed else 1
    except BusinessRuleViolation as exc:
        if exc.code != "PERIOD_EXISTS":
            raise
    year, month = (int(x) for x in PERIOD.split("-"))
    for key, day, summary, lines in BOLT_KIT_VOUCHERS:
        outcome = app.post_journal_entry(
            date(year, month, day),
            summary,
            lines,
            ctx=CommandContext(actor=actor, idempotency_key=f"demo-{key}"),
        )
        written += 0 if outcome.replayed else 1
    return written
