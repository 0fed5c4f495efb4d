"""Report exports: CSV (UTF-8 with BOM, so Excel opens Chinese text) and XLSX.

XLSX is written with XlsxWriter (write-only, no template, fast); the
document's creation date is fixed to the report's period end, so exporting
the same report twice gives the same bytes.

No cell is ever a formula (CSV/formula injection: an account named
``=HYPERLINK(...)`` must not run when the file is opened): XLSX text is
written as a string cell, and a CSV text cell starting with ``=``, ``+``,
``-``, ``@``, tab or CR gets a leading ``'`` (the OWASP rule). Only text:
amounts are numbers, negative ones too.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from domain.ledger.statements import Statement
from projections.reports import ReportTable

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell a spreadsheet will not read as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # a number: "-440.00" stays a negative amount
    if isinstance(value, str):
        return csv_text(value)
    return value


def to_csv(table: ReportTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(table.title)])
    writer.writerow([csv_text(table.subtitle)])
    writer.writerow([csv_text(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: ReportTable, created: datetime | None = None) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    # Text stays text: never a formula, never a hyperlink.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    book.set_properties({"title": table.title, "created": created or datetime(2000, 1, 1)})
    sheet = book.add_worksheet(table.name[:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00;-#,##0.00;\"\""})
    _text(sheet, 0, 0, table.title, book.add_format({"bold": True, "font_size": 14}))
    _text(sheet, 1, 0, table.subtitle)
    for col, header in enumerate(table.headers):
        _text(sheet, 3, col, header, bold)
    for r, row in enumerate(table.rows, start=4):
        for col, value in enumerate(row):
            if isinstance(value, Decimal):
                sheet.write_number(r, col, float(value), money)
            elif isinstance(value, str):
                _text(sheet, r, col, value)
            else:
                sheet.write(r, col, value)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, len(table.headers), 16)
    book.close()
    return buffer.getvalue()


def _text(sheet, row: int, col: int, value: str, cell_format=None) -> None:
    """A string cell whatever the text looks like (an empty one stays blank)."""
    if value:
        sheet.write_string(row, col, value, cell_format)
    else:
        sheet.write_blank(row, col, None, cell_format)


def statement_xlsx(statement: Statement, company: str, created: datetime | None = None) -> bytes:
    """A statement as its official form (the rows of ``api/statement_print.py``):
    the balance sheet two-sided (资产 | 负债和所有者权益, with the section
    headings), the others 项目 | 行次 | columns; over it the form's code, title,
    编制单位, date and 单位：元, under it the notes. Amounts are numbers."""
    import xlsxwriter

    from api.statement_print import Cell, dated, two_sided

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    book.set_properties({"title": statement.title, "company": company,
                         "created": created or datetime(2000, 1, 1)})
    sheet = book.add_worksheet(statement.title[:31])
    border = {"border": 1, "font_name": "SimSun", "font_size": 10}
    fmt = {
        "item": book.add_format(border),
        "detail": book.add_format({**border, "indent": 2}),
        "heading": book.add_format({**border, "bold": True}),
        "total": book.add_format({**border, "bold": True}),
        "blank": book.add_format(border),
        "no": book.add_format({**border, "align": "center"}),
        "head": book.add_format({**border, "align": "center", "bold": True}),
        "money": book.add_format({**border, "num_format": "#,##0.00;-#,##0.00;\"\""}),
    }
    two = statement.code == "会小企01表"
    n = len(statement.columns)
    width = (2 + n) * (2 if two else 1)
    sheet.merge_range(0, 0, 0, width - 1, statement.title,
                      book.add_format({"bold": True, "font_size": 16, "align": "center"}))
    _text(sheet, 1, width - 1, statement.code, book.add_format({"align": "right"}))
    _text(sheet, 2, 0, f"编制单位：{company}")
    _text(sheet, 2, width // 2, dated(statement))
    _text(sheet, 2, width - 1, "单位：元", book.add_format({"align": "right"}))
    side_head = ["资产", "行次", *statement.columns] if two else \
        ["项目", "行次", *statement.columns]
    heads = side_head + (["负债和所有者权益（或股东权益）", "行次", *statement.columns]
                         if two else [])
    for col, head in enumerate(heads):
        _text(sheet, 3, col, head, fmt["head"])
    if two:
        rows = two_sided(statement)
    else:
        rows = [(Cell(ln.label, ln.line, ln.amounts, ln.kind),) for ln in statement.lines]
    r = 4
    for r, row in enumerate(rows, start=4):
        for side, cell in enumerate(row):
            base = side * (2 + n)
            _text(sheet, r, base, cell.label, fmt[cell.kind])
            if cell.line is None:
                sheet.write_blank(r, base + 1, None, fmt["no"])
                for i in range(n):
                    sheet.write_blank(r, base + 2 + i, None, fmt["money"])
                continue
            sheet.write_number(r, base + 1, cell.line, fmt["no"])
            for i, amount in enumerate(cell.amounts):
                sheet.write_number(r, base + 2 + i, float(amount), fmt["money"])
    for i, note in enumerate(statement.notes):
        _text(sheet, r + 2 + i, 0, note)
    for side in range(2 if two else 1):
        base = side * (2 + n)
        sheet.set_column(base, base, 34 if two else 44)
        sheet.set_column(base + 1, base + 1, 6)
        sheet.set_column(base + 2, base + 1 + n, 15)
    sheet.set_paper(9)  # A4
    if two:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 1)
    book.close()
    return buffer.getvalue()
