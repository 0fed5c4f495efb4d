"""增值税申报 figures of a month for a general taxpayer (一般纳税人), from the
documents and checked against the GL: output VAT by rate from the 数电票
issued (blue less red), input VAT from the purchase invoices posted and the
assets bought on an invoice, 进项税额转出, the credit carried from the last
month, the VAT payable or carried forward, and the month-end transfer to
222102 未交增值税 (``transferVat``). A table to copy into the tax platform;
nothing is submitted (docs/vat-return.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, func, select

from domain.ledger.closing import last_day
from domain.ledger.vat import (
    INPUT,
    INPUT_TRANSFERRED_OUT,
    OUTPUT,
    PAID,
    TRANSFERRED,
    VAT,
)
from domain.money import from_cents
from projections.tables import (
    fixed_assets,
    ledger_turnover,
    purchase_invoices,
    sales_invoice_lines,
    sales_invoices,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VatRow:
    line: int
    label: str
    amount: Decimal | None  # 销售额 / 金额 (ex VAT), where the row has one
    tax: Decimal
    form_line: str = ""  # 增值税及附加税费申报表（一般纳税人适用）主表栏次


@dataclass(frozen=True)
class VatReturn:
    period: str
    rows: tuple[VatRow, ...]
    payable: Decimal  # 本期应补税额, to 222102
    carried_forward: Decimal  # 期末留抵税额
    transferred: Decimal  # 22210105 posted this month
    difference: Decimal  # payable - transferred: 0.00 once transferVat ran

    def row(self, line: int) -> VatRow:
        return next(r for r in self.rows if r.line == line)


def vat_return(conn: Connection, period: str) -> VatReturn:
    nets, opening = _gl(conn, period)
    output, input_ = -nets.get(OUTPUT, ZERO), nets.get(INPUT, ZERO)
    transferred_out, paid = -nets.get(INPUT_TRANSFERRED_OUT, ZERO), nets.get(PAID, ZERO)
    transferred = nets.get(TRANSFERRED, ZERO)
    rows: list[VatRow] = []
    by_rate = _sales_by_rate(conn, period)
    for n, (rate, amount, tax) in enumerate(by_rate, 1):
        rows.append(VatRow(n, f"销项：{_percent(rate)} 税率开具的数电票 (蓝字减红字)", amount, tax,
                           "附列资料（一）"))
    invoiced = sum((t for _, _, t in by_rate), ZERO)
    base = 10
    rows += [
        VatRow(base, "销项：未在本系统开票的 (固定资产处置等，22210102 less the invoices)",
               None, output - invoiced),
        VatRow(base + 1, "销项税额合计 (22210102 本月贷方)", sum(
            (a for _, a, _ in by_rate), ZERO), output, "1 / 11"),
    ]
    bought = _purchase_invoices(conn, period)
    assets = _asset_invoices(conn, period)
    carried_in = max(opening, ZERO)
    owed_before = max(-opening, ZERO)
    deductible = input_ + carried_in - transferred_out
    credited = min(deductible, output) if output > 0 else ZERO
    due = output - credited
    rows += [
        VatRow(base + 2, "进项：本月入账的增值税专用发票 (采购发票)", bought[0], bought[1], "12"),
        VatRow(base + 3, "进项：固定资产专用发票", assets[0], assets[1], "12"),
        VatRow(base + 4, "进项：其他 (费用付款、手工凭证，22210101 less the invoices)", None,
               input_ - bought[1] - assets[1], "12"),
        VatRow(base + 5, "进项税额合计 (22210101 本月借方)", None, input_, "12"),
        VatRow(base + 6, "上期留抵税额", None, carried_in, "13"),
        VatRow(base + 7, "进项税额转出 (22210103)", None, transferred_out, "14"),
        VatRow(base + 8, "应抵扣税额合计", None, deductible, "17"),
        VatRow(base + 9, "实际抵扣税额", None, credited, "18"),
        VatRow(base + 10, "应纳税额", None, due, "19"),
        VatRow(base + 11, "期末留抵税额", None, deductible - credited, "20"),
        VatRow(base + 12, "本期已缴税额 (22210104 预缴)", None, paid, ""),
        VatRow(base + 13, "以前月份未转出的应交增值税", None, owed_before, ""),
    ]
    payable = max(due - paid + owed_before, ZERO)
    rows += [
        VatRow(base + 14, "本期应补税额 (转出未交增值税 to 222102)", None, payable, ""),
        VatRow(base + 15, "已转出未交增值税 (22210105 本月借方)", None, transferred, ""),
        VatRow(base + 16, "差额 (应转出 - 已转出)", None, payable - transferred, ""),
    ]
    return VatReturn(period, tuple(rows), payable, deductible - credited, transferred,
                     payable - transferred)


def _first(period: str) -> date:
    return date(int(period[:4]), int(period[5:]), 1)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _gl(conn: Connection, period: str) -> tuple[dict[str, Decimal], Decimal]:
    """Nets of 222101's accounts in the month (debit positive), and 222101's
    balance at its start."""
    t = ledger_turnover
    month = dict(conn.execute(
        select(t.c.account_code, func.sum(t.c.debit_cents - t.c.credit_cents))
        .where(t.c.period == period, t.c.account_code.like(f"{VAT}%"))
        .group_by(t.c.account_code)).all())
    opening = conn.execute(
        select(func.coalesce(func.sum(t.c.debit_cents - t.c.credit_cents), 0))
        .where(t.c.period < period, t.c.account_code.like(f"{VAT}%"))).scalar_one()
    nets: dict[str, Decimal] = {}
    for code, cents in month.items():
        for key in (INPUT, OUTPUT, INPUT_TRANSFERRED_OUT, PAID, TRANSFERRED):
            if code.startswith(key):
                nets[key] = nets.get(key, ZERO) + from_cents(int(cents))
    return nets, from_cents(int(opening))


def _sales_by_rate(conn: Connection, period: str) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(rate, amount, tax) of the 数电票 dated in the month, red ones negative."""
    i, ln = sales_invoices, sales_invoice_lines
    rows = conn.execute(
        select(ln.c.vat_rate, func.sum(ln.c.amount_cents), func.sum(ln.c.tax_cents))
        .join(i, i.c.number == ln.c.number)
        .where(and_(i.c.invoice_date >= _first(period),
                    i.c.invoice_date <= last_day(period)))
        .group_by(ln.c.vat_rate)).all()
    return sorted(((Decimal(rate), from_cents(int(a)), from_cents(int(t))) for rate, a, t in rows),
                  key=lambda r: -r[0])


def _purchase_invoices(conn: Connection, period: str) -> tuple[Decimal, Decimal]:
    """Amount and tax of the 专用发票 posted in the month (their VAT is input)."""
    p = purchase_invoices
    amount, tax = conn.execute(
        select(func.coalesce(func.sum(p.c.amount_cents), 0),
               func.coalesce(func.sum(p.c.tax_cents), 0))
        .where(p.c.invoice_type == "special", p.c.status.in_(("matched", "approved")),
               p.c.posting_date >= _first(period), p.c.posting_date <= last_day(period))).one()
    return from_cents(int(amount)), from_cents(int(tax))


def _asset_invoices(conn: Connection, period: str) -> tuple[Decimal, Decimal]:
    """Cost and deductible VAT of the assets bought on a supplier's invoice in the month."""
    f = fixed_assets
    amount, tax = conn.execute(
        select(func.coalesce(func.sum(f.c.cost_cents), 0),
               func.coalesce(func.sum(f.c.vat_cents), 0))
        .where(f.c.funding == "supplier", f.c.acquisition_date >= _first(period),
               f.c.acquisition_date <= last_day(period))).one()
    return from_cents(int(amount)), from_cents(int(tax))
