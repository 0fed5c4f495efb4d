"""Report exports: CSV (UTF-8 with BOM, so Excel opens Chinese text) and XLSX.

XLSX is written with XlsxWriter (write-only, no template, fast); the
document's creation date is fixed to the report's period end, so exporting
the same report twice gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from projections.reports import ReportTable

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _cell(value: object) -> object:
    return f"{value:.2f}" if isinstance(value, Decimal) else value


def to_csv(table: ReportTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([table.title])
    writer.writerow([table.subtitle])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: ReportTable, created: datetime | None = None) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": table.title, "created": created or datetime(2000, 1, 1)})
    sheet = book.add_worksheet(table.name[:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00;-#,##0.00;\"\""})
    sheet.write(0, 0, table.title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write(1, 0, table.subtitle)
    for col, header in enumerate(table.headers):
        sheet.write(3, col, header, bold)
    for r, row in enumerate(table.rows, start=4):
        for col, value in enumerate(row):
            if isinstance(value, Decimal):
                sheet.write_number(r, col, float(value), money)
            else:
                sheet.write(r, col, value)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, len(table.headers), 16)
    book.close()
    return buffer.getvalue()
