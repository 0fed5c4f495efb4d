"""Printing's pure parts (api/web/pages/printing.py): the inline QR code and
a note title for every kind of stock document."""

from __future__ import annotations

import segno

from api.web.pages.printing import NOTE_TITLES, qr_svg
from domain.inventory.documents import DocumentKind
from domain.production.work_orders import parse_scan_code, scan_code


def test_the_traveller_qr_code_carries_the_terminal_scan_code():
    code = scan_code("WO-000123", "OP20")
    assert parse_scan_code(code) == ("WO-000123", "OP20")  # what the terminal parses
    svg = str(qr_svg(code))
    assert svg.startswith("<svg") and "viewBox" in svg and "http" not in svg.split("xmlns")[0]
    assert f"<title>{code}</title>" in svg
    assert segno.make(code, error="m", micro=False).version == 1  # 21 x 21 modules: small


def test_every_stock_document_kind_has_a_chinese_title():
    assert set(NOTE_TITLES) == {k.value for k in DocumentKind}
    assert NOTE_TITLES["receipt"] == "采购入库单"
    assert NOTE_TITLES["material_issue"] == "生产领料单"
    assert NOTE_TITLES["shipment"] == "送货单"
