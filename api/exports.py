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
