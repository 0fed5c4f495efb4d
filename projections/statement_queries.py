"""Balances the statements are made of, from the ledger read models — now, or
as the log stood at a position (``as_of``: only entries at or before it).

Now: from ``ledger_turnover`` (a row per account and month). As of a
position: from the journal lines up to it, which is slower but shows the
books exactly as an auditor would have seen them then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, case, func, or_, select

from domain.ledger.cash_flow import CASH, CashFlowItem, cash_flow_statement
from domain.ledger.closing import last_day
from domain.ledger.statements import (
    Statement,
    annual_income_statement,
    balance_sheet,
    income_statement,
)
from domain.money import from_cents
from domain.workflows.ports import AllocationTargets
from projections.tables import (
    items,
    ledger_accounts,
    ledger_cash_flows,
    ledger_entries,
    ledger_lines,
    ledger_turnover,
    open_item_settlements,
    open_items,
    stock_balances,
    work_orders,
)


@dataclass(frozen=True)
class LedgerFigures:
    """Nets per leaf account, debit positive."""

    period: str
    closing: dict[str, Decimal]  # through the end of the period
    year_opening: dict[str, Decimal]  # before the period's year
    pl_month: dict[str, Decimal]  # turnover of the month, closing entries left out
    pl_year: dict[str, Decimal]  # turnover of the year to date, closing entries left out
    names: dict[str, str]
    # line -> account codes the chart maps to it, per statement
    income_lines: dict[int, tuple[str, ...]]
    balance_lines: dict[int, tuple[str, ...]]


def _source(as_of: int | None):
    """(period, debit, credit, closing debit, closing credit, account) columns and
    the FROM clause: turnover rows now, journal lines as of a position."""
    if as_of is None:
        t = ledger_turnover
        return (t.c.period, t.c.debit_cents, t.c.credit_cents, t.c.closing_debit_cents,
                t.c.closing_credit_cents, t.c.account_code), t, None
    ln, e = ledger_lines, ledger_entries
    closing = e.c.kind == "closing"
    cols = (ln.c.period, ln.c.debit_cents, ln.c.credit_cents,
            case((closing, ln.c.debit_cents), else_=0),
            case((closing, ln.c.credit_cents), else_=0), ln.c.account_code)
    return cols, ln.join(e, e.c.entry_id == ln.c.entry_id), ln.c.position <= as_of


def figures(conn: Connection, period: str, as_of: int | None = None) -> LedgerFigures:
    (per, debit, credit, cdebit, ccredit, account), source, where = _source(as_of)
    year_start = f"{period[:4]}-01"
    in_year = (per >= year_start) & (per <= period)
    pl_net = (debit - cdebit) - (credit - ccredit)
    q = (
        select(
            account,
            func.sum(debit - credit),
            func.sum(case((per < year_start, debit - credit), else_=0)),
            func.sum(case((per == period, pl_net), else_=0)),
            func.sum(case((in_year, pl_net), else_=0)),
        )
        .select_from(source)
        .where(per <= period)
        .group_by(account)
    )
    if where is not None:
        q = q.where(where)
    closing, opening, month, year = {}, {}, {}, {}
    for code, c, o, m, y in conn.execute(q):
        for target, cents in ((closing, c), (opening, o), (month, m), (year, y)):
            if cents:
                target[code] = from_cents(int(cents))
    a = ledger_accounts
    names, pl_codes = {}, set()
    income_lines: dict[int, list[str]] = {}
    balance_lines: dict[int, list[str]] = {}
    for code, name, category, line in conn.execute(
            select(a.c.code, a.c.name, a.c.category, a.c.statement_line).order_by(a.c.code)):
        names[code] = name
        pl = category == "profit_and_loss"
        if pl:
            pl_codes.add(code)
        if line is not None:
            (income_lines if pl else balance_lines).setdefault(int(line), []).append(code)
    return LedgerFigures(
        period, closing, opening,
        {a: n for a, n in month.items() if a in pl_codes},
        {a: n for a, n in year.items() if a in pl_codes},
        names,
        {n: tuple(c) for n, c in income_lines.items()},
        {n: tuple(c) for n, c in balance_lines.items()},
    )


def balance_sheet_of(conn: Connection, period: str, as_of: int | None = None) -> Statement:
    f = figures(conn, period, as_of)
    year_start = date(int(period[:4]), 1, 1)
    parties = (party_nets(conn, last_day(period), as_of),
               party_nets(conn, year_start - timedelta(days=1), as_of))
    return balance_sheet(period, f.closing, f.year_opening, f.balance_lines, as_of, parties,
                         f.names)


def party_nets(conn: Connection, day: date, as_of: int | None = None
               ) -> dict[tuple[str, str], Decimal]:
    """Each customer's (receivable) and supplier's (payable) net over its open
    items at the end of ``day``, debit positive (a supplier we owe is negative);
    ``as_of``: only what the log held at that position."""
    o, s = open_items, open_item_settlements
    sign = case((o.c.ledger == "payable", -1), else_=1)
    opened = (select(o.c.ledger, o.c.party, func.sum(o.c.amount_cents * sign))
              .where(o.c.document_date <= day).group_by(o.c.ledger, o.c.party))
    settled = (select(o.c.ledger, o.c.party, func.sum(s.c.amount_cents * sign))
               .join(o, o.c.item_id == s.c.item_id)
               .where(s.c.day <= day).group_by(o.c.ledger, o.c.party))
    if as_of is not None:
        opened = opened.where(o.c.position <= as_of)
        settled = settled.where(s.c.position <= as_of)
    nets: dict[tuple[str, str], int] = {}
    for ledger, party, cents in conn.execute(opened):
        nets[(ledger, party)] = nets.get((ledger, party), 0) + int(cents)
    for ledger, party, cents in conn.execute(settled):
        nets[(ledger, party)] = nets.get((ledger, party), 0) - int(cents)
    return {key: from_cents(cents) for key, cents in nets.items() if cents}


def income_statement_of(conn: Connection, period: str, as_of: int | None = None) -> Statement:
    f = figures(conn, period, as_of)
    return income_statement(period, f.pl_month, f.pl_year, f.income_lines, as_of)


def annual_income_statement_of(conn: Connection, period: str, as_of: int | None = None
                               ) -> Statement:
    """利润表 of the year to ``period`` beside the same months of the year before
    (本年金额 | 上年金额 for a December period: the annual report)."""
    this = figures(conn, period, as_of)
    last = figures(conn, f"{int(period[:4]) - 1:04d}{period[4:]}", as_of)
    return annual_income_statement(period, this.pl_year, last.pl_year, this.income_lines,
                                   as_of)


def cash_flow_statement_of(conn: Connection, period: str, as_of: int | None = None) -> Statement:
    """现金流量表 (会小企03表) of ``period``: the classified cash flows of the month
    and of the year to it, and the cash held at the start of each (from the
    balances of 1001/1002/1012), so line 22 = 货币资金 at the period's end."""
    year_start = f"{period[:4]}-01"
    f = ledger_cash_flows
    q = (select(f.c.item,
                func.sum(f.c.amount_cents),
                func.sum(case((f.c.period == period, f.c.amount_cents), else_=0)))
         .where(f.c.period >= year_start, f.c.period <= period)
         .group_by(f.c.item))
    if as_of is not None:
        q = q.where(f.c.position <= as_of)
    year, month = {}, {}
    for item, y, m in conn.execute(q):
        year[CashFlowItem(item)] = from_cents(int(y))
        month[CashFlowItem(item)] = from_cents(int(m))
    (per, debit, credit, _cd, _cc, account), source, where = _source(as_of)
    held = (select(func.coalesce(func.sum(case((per < year_start, debit - credit), else_=0)), 0),
                   func.coalesce(func.sum(case((per < period, debit - credit), else_=0)), 0))
            .select_from(source)
            .where(or_(*(account.like(f"{code}%") for code in CASH))))
    if where is not None:
        held = held.where(where)
    at_year_start, at_month_start = conn.execute(held).one()
    return cash_flow_statement(period, year, month, from_cents(int(at_year_start)),
                               from_cents(int(at_month_start)), as_of)


def overhead_allocation_targets(conn: Connection) -> AllocationTargets:
    """Where overhead may be allocated: work orders not yet completed, closed or
    cancelled, and stock balances of semi-finished and finished items. The use
    case reads their balances from the aggregates; this only says which."""
    open_orders = conn.execute(
        select(work_orders.c.number)
        .where(work_orders.c.status.in_(("created", "held", "released", "in_progress")))
        .order_by(work_orders.c.number)).scalars().all()
    stocks = conn.execute(
        select(stock_balances.c.item, stock_balances.c.warehouse)
        .join(items, items.c.code == stock_balances.c.item)
        .where(items.c.item_type.in_(("semi_finished", "finished")),
               stock_balances.c.value_cents > 0)
        .order_by(stock_balances.c.item, stock_balances.c.warehouse)).all()
    return AllocationTargets(tuple(open_orders), tuple((i, w) for i, w in stocks))
