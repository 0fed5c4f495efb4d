"""The balance sheet's 应收账款/预收账款 and 应付账款/预付账款 per customer and
supplier (编制说明), from the open items, on SQLite and PostgreSQL: one
customer's prepayment no longer hides another's debt, and a customer whose
red invoice outgrew what it owed shows under 预收账款."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as Dec

from domain.finance.cash import AllocationInput
from domain.finance.open_items import Ledger
from domain.ledger.entries import LineInput
from domain.parties import PartyRole, PartySpec
from projections import statement_queries as sq
from tests.scenes.cash import open_invoice
from tests.scenes.supply_chain import setup_company

D = {n: date(2026, 11, n) for n in range(1, 31)}
USCC_B = "91330100MA27XL0E2G"


def lines(rt, *numbers: int, as_of: int | None = None) -> dict[int, tuple[Dec, Dec]]:
    rt.settle(rt.app.log_position())
    with rt.read() as conn:
        sheet = sq.balance_sheet_of(conn, "2026-11", as_of)
    assert sheet.amount(30) == sheet.amount(53)
    return {n: sheet.amount(n) for n in numbers}


def test_receivables_and_payables_are_split_per_party(runtime):
    app = runtime.app
    setup_company(app)
    app.register_party(PartySpec("CUS-B", "宁波机电有限公司", (PartyRole.CUSTOMER,), USCC_B))
    app.post_journal_entry(D[1], "投资款", [LineInput("1002", debit="100000.00"),
                                          LineInput("3001", credit="100000.00")])
    # CUS-HW owes 2,260.00; CUS-B prepaid 500.00: per account as per party.
    open_invoice(app, Ledger.RECEIVABLE, "CUS-HW", "26112000000000000001", D[5], "2260.00")
    app.record_customer_receipt("CUS-B", D[6], "1002", "500.00")
    assert lines(runtime, 4, 34) == {4: Dec("2260.00"), 34: Dec("500.00")}
    # CUS-B is invoiced 300.00: its prepayment (2203) and invoice (1122) net to
    # 200.00 owed to it. Per account 1122 would show 2,560.00 and 2203 500.00.
    open_invoice(app, Ledger.RECEIVABLE, "CUS-B", "26112000000000000002", D[7], "300.00")
    before = app.log_position()
    assert lines(runtime, 4, 34) == {4: Dec("2260.00"), 34: Dec("200.00")}
    # A red invoice of 2,500.00 for CUS-HW after it paid 2,260.00 in full: it is
    # owed 2,500.00 (预收账款), not a negative receivable.
    app.record_customer_receipt("CUS-HW", D[8], "1002", "2260.00",
                                [AllocationInput("26112000000000000001", "2260.00")])
    open_invoice(app, Ledger.RECEIVABLE, "CUS-HW", "26112000000000000003", D[9], "-2500.00")
    assert lines(runtime, 4, 34) == {4: Dec("0.00"), 34: Dec("2700.00")}
    # As the log stood before the receipt, the earlier split.
    assert lines(runtime, 4, 34, as_of=before) == {4: Dec("2260.00"), 34: Dec("200.00")}
    # Suppliers: SUP-STEEL is owed 632.80 and was prepaid 1,000.00 on another
    # order: per supplier it owes us 367.20 (预付账款). 220202 暂估应付 keeps no open
    # items and goes by its balance: the invoice relieved 560.00 of it with no
    # receipt before (a debit, 预付账款 too); a receipt of 100.00 not yet invoiced
    # would be 应付账款.
    open_invoice(app, Ledger.PAYABLE, "SUP-STEEL", "26332000000000000001", D[10], "632.80")
    app.record_supplier_payment("SUP-STEEL", D[11], "1002", "1000.00")
    assert lines(runtime, 5, 33) == {5: Dec("927.20"), 33: Dec("0.00")}
