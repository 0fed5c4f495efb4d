"""The statements laid out as the official forms, to print (HTML with print CSS,
A4) or to hand over as XLSX (``api/exports.py`` uses the same rows):

- 资产负债表 (会小企01表): two-sided, 资产 | 负债和所有者权益, each with 行次,
  期末余额 and 年初余额, the section headings (流动资产： …), 资产总计 beside
  负债和所有者权益总计 on the last row;
- 利润表 (会小企02表) and the other statements: 项目 | 行次 | the columns;
- over each: the form's code, the title, 编制单位 (the company profile's name),
  the date (年 月 日 for the balance sheet, 年 月 or 年度 otherwise) and 单位：元;
  under it the statement's notes (报表附注).

Amounts print with thousands separators; 0.00 prints blank, as on the forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from domain.ledger.closing import last_day
from domain.ledger.statements import Statement, StatementLine

# Headings printed before a line of the balance sheet (the lines have none).
BALANCE_SHEET_HEADINGS: dict[int, str] = {
    1: "流动资产：", 16: "非流动资产：", 31: "流动负债：", 42: "非流动负债：",
    48: "所有者权益（或股东权益）：",
}
ASSETS_TOTAL, CLAIMS_TOTAL = 30, 53


@dataclass(frozen=True)
class Cell:
    """One side of a printed row: a heading (label only), a line, or blank."""

    label: str = ""
    line: int | None = None
    amounts: tuple[Decimal, ...] = ()
    kind: str = "blank"  # heading, item, detail, total, blank


def _side(lines: list[StatementLine]) -> list[Cell]:
    cells: list[Cell] = []
    for ln in lines:
        if ln.line in BALANCE_SHEET_HEADINGS:
            cells.append(Cell(BALANCE_SHEET_HEADINGS[ln.line], kind="heading"))
        cells.append(Cell(ln.label, ln.line, ln.amounts, ln.kind))
    return cells


def two_sided(statement: Statement) -> list[tuple[Cell, Cell]]:
    """The balance sheet's printed rows: assets (lines 1-29) left, liabilities and
    equity (31-52) right, padded to the same length, then 资产总计 beside
    负债和所有者权益总计."""
    by_line = {ln.line: ln for ln in statement.lines}
    left = _side([ln for ln in statement.lines if ln.line < ASSETS_TOTAL])
    right = _side([ln for ln in statement.lines if ASSETS_TOTAL < ln.line < CLAIMS_TOTAL])
    size = max(len(left), len(right))
    left += [Cell()] * (size - len(left))
    right += [Cell()] * (size - len(right))
    rows = list(zip(left, right, strict=True))
    total_a, total_c = by_line[ASSETS_TOTAL], by_line[CLAIMS_TOTAL]
    rows.append((Cell(total_a.label, total_a.line, total_a.amounts, "total"),
                 Cell(total_c.label, total_c.line, total_c.amounts, "total")))
    return rows


def dated(statement: Statement) -> str:
    """The date line of the form: 2026 年 11 月 30 日 (balance sheet), 2026 年 11 月
    (a month), 2026 年度 (an annual 利润表, its period a year)."""
    period = statement.period
    if len(period) == 4:
        return f"{period} 年度"
    if statement.code == "会小企01表":
        day = last_day(period)
        return f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日"
    return f"{period[:4]} 年 {period[5:]} 月"


def money(value: Decimal) -> str:
    return "" if not value else f"{value:,.2f}"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


_CSS = """
@page { size: A4 portrait; margin: 12mm 10mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 10.5pt;
       color: #000; margin: 0; }
.form { width: 100%; max-width: 190mm; margin: 0 auto; }
.code { text-align: right; font-size: 9pt; }
h1 { text-align: center; font-size: 16pt; letter-spacing: 0.5em; margin: 2mm 0 3mm; }
.head { display: flex; justify-content: space-between; font-size: 10pt; margin-bottom: 1mm; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.6pt solid #000; padding: 0.6mm 1.2mm; height: 5.2mm;
         overflow: hidden; white-space: nowrap; }
th { font-weight: normal; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.no { text-align: center; }
td.heading { font-weight: bold; }
td.detail { padding-left: 5mm; }
tr.total td { font-weight: bold; }
.notes { font-size: 8.5pt; margin-top: 2mm; }
.notes p { margin: 0.6mm 0; }
@media print { .form { max-width: none; } }
"""


def _cells(cell: Cell, columns: int) -> str:
    if cell.kind == "blank":
        return "<td></td><td></td>" + "<td></td>" * columns
    if cell.kind == "heading":
        return f'<td class="heading">{_e(cell.label)}</td><td></td>' + "<td></td>" * columns
    cls = ' class="detail"' if cell.kind == "detail" else ""
    amounts = "".join(f'<td class="num">{_e(money(a))}</td>' for a in cell.amounts)
    return f"<td{cls}>{_e(cell.label)}</td><td class=\"no\">{cell.line}</td>{amounts}"


def _row_class(kind: str) -> str:
    return ' class="total"' if kind == "total" else ""


def statement_html(statement: Statement, company: str) -> str:
    """The printable page of a statement in its official layout (text escaped)."""
    columns = len(statement.columns)
    heads = "".join(f"<th>{_e(c)}</th>" for c in statement.columns)
    if statement.code == "会小企01表":
        colgroup = ('<colgroup><col style="width:22%"><col style="width:5%">'
                    '<col style="width:11.5%"><col style="width:11.5%">'
                    '<col style="width:22%"><col style="width:5%">'
                    '<col style="width:11.5%"><col style="width:11.5%"></colgroup>')
        header = (f"<tr><th>资产</th><th>行次</th>{heads}"
                  f"<th>负债和所有者权益（或股东权益）</th><th>行次</th>{heads}</tr>")
        body = "".join(f"<tr{_row_class(left.kind)}>{_cells(left, columns)}"
                       f"{_cells(right, columns)}</tr>" for left, right in two_sided(statement))
    else:
        colgroup = ('<colgroup><col style="width:52%"><col style="width:8%">'
                    + f'<col style="width:{40 / columns:.1f}%">' * columns + "</colgroup>")
        header = f"<tr><th>项目</th><th>行次</th>{heads}</tr>"
        body = "".join(f"<tr{_row_class(ln.kind)}>"
                       f"{_cells(Cell(ln.label, ln.line, ln.amounts, ln.kind), columns)}</tr>"
                       for ln in statement.lines)
    as_of = (f"（截至日志位置 {statement.as_of}）" if statement.as_of is not None else "")
    notes = "".join(f"<p>{_e(n)}</p>" for n in statement.notes)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{_e(statement.title)} {_e(statement.period)}</title><style>{_CSS}</style></head>
<body><div class="form">
<div class="code">{_e(statement.code)}</div>
<h1>{_e(statement.title)}</h1>
<div class="head"><span>编制单位：{_e(company)}</span><span>{_e(dated(statement))}{_e(as_of)}</span>
<span>单位：元</span></div>
<table>{colgroup}{header}{body}</table>
<div class="notes">{notes}</div>
</div></body></html>
"""
