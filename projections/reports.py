"""Accountant reports as plain tables (title, headers, rows), ready to print or
export: 资产负债表, 利润表, 现金流量表 and 科目余额表, for a period and optionally as of a
log position. The exporters (CSV, XLSX) only lay these tables out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection

from domain.errors import ValidationError
from domain.ledger.statements import Statement
from projections import ledger_queries as lq
from projections import statement_queries as sq
from projections import vat_queries as vq


@dataclass(frozen=True)
class ReportTable:
    name: str
    title: str
    subtitle: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str | int | Decimal, ...], ...]


def _subtitle(period: str, as_of: int | None) -> str:
    text = f"会计期间 {period} 单位：元 (CNY)"
    return text + (f" 截至日志位置 {as_of}" if as_of is not None else "")


def _statement_table(name: str, st: Statement) -> ReportTable:
    return ReportTable(
        name, f"{st.title} ({st.code})", _subtitle(st.period, st.as_of),
        ("行次", "项目", *st.columns),
        tuple((ln.line, ln.label, *ln.amounts) for ln in st.lines),
    )


def balance_sheet(conn: Connection, period: str, as_of: int | None = None) -> ReportTable:
    return _statement_table("balance-sheet", sq.balance_sheet_of(conn, period, as_of))


def income_statement(conn: Connection, period: str, as_of: int | None = None) -> ReportTable:
    return _statement_table("income-statement", sq.income_statement_of(conn, period, as_of))


def annual_income_statement(conn: Connection, period: str, as_of: int | None = None
                            ) -> ReportTable:
    return _statement_table("annual-income-statement",
                            sq.annual_income_statement_of(conn, period, as_of))


def cash_flow_statement(conn: Connection, period: str, as_of: int | None = None
                        ) -> ReportTable:
    return _statement_table("cash-flow-statement", sq.cash_flow_statement_of(conn, period, as_of))


def vat_return(conn: Connection, period: str, as_of: int | None = None) -> ReportTable:
    """增值税申报 figures (as of now only: ``as_of`` is refused)."""
    if as_of is not None:
        raise ValidationError("the VAT figures are read as of now only", "asOf")
    figures = vq.vat_return(conn, period)
    return ReportTable(
        "vat-return", "增值税申报表数据 (一般纳税人)", _subtitle(period, None),
        ("行次", "项目", "销售额", "税额", "申报表栏次"),
        tuple((r.line, r.label, "" if r.amount is None else r.amount, r.tax, r.form_line)
              for r in figures.rows))


def trial_balance(conn: Connection, period: str, as_of: int | None = None) -> ReportTable:
    tb = lq.trial_balance(conn, period, as_of=as_of)
    rows = []
    for r in tb.rows:
        od, oc = lq.split(r.opening)
        cd, cc = lq.split(r.closing)
        rows.append((r.code, r.name, od, oc, r.debit, r.credit, cd, cc))
    rows.append(("合计", "", tb.opening_debit, tb.opening_credit, tb.debit, tb.credit,
                 tb.closing_debit, tb.closing_credit))
    return ReportTable(
        "trial-balance", "科目余额表", _subtitle(period, as_of),
        ("科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方",
         "期末贷方"),
        tuple(rows),
    )


REPORTS: dict[str, Callable[[Connection, str, int | None], ReportTable]] = {
    "balance-sheet": balance_sheet,
    "income-statement": income_statement,
    "annual-income-statement": annual_income_statement,
    "cash-flow-statement": cash_flow_statement,
    "vat-return": vat_return,
    "trial-balance": trial_balance,
}


# The statements (as ``Statement``s, for the official printed and XLSX layouts).
STATEMENTS: dict[str, Callable[[Connection, str, int | None], Statement]] = {
    "balance-sheet": sq.balance_sheet_of,
    "income-statement": sq.income_statement_of,
    "annual-income-statement": sq.annual_income_statement_of,
    "cash-flow-statement": sq.cash_flow_statement_of,
}


def report(conn: Connection, name: str, period: str, as_of: int | None = None) -> ReportTable:
    try:
        build = REPORTS[name]
    except KeyError:
        raise ValidationError(
            f"report {name!r} is unknown; choose one of {', '.join(REPORTS)}", "name") from None
    return build(conn, period, as_of)
