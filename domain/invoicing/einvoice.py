"""Exports of an issued sales invoice: the 数电票 XML and a printable HTML page.

Both are pure renderings of the invoice as recorded (the ``Issued`` event's
data on the SalesInvoice aggregate), never of master data as it is today, so
a reprint is the invoice that was issued. The XML uses the element names
seen in real 数电票 files (china-facts.md); the official schema was not
available, so this is the common shape, not a certified format.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from html import escape

from domain.invoicing.sales_invoices import (
    INVOICE_TYPE_TITLE,
    RED_REASON_TEXT,
    InvoiceType,
    SalesInvoice,
)
from domain.money import format_amount


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


def _number(value: Decimal) -> str:
    """Quantities and unit prices as written: no trailing zeros, at least cents for prices."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _price(value: Decimal) -> str:
    return _money(value) if value == value.quantize(Decimal("0.01")) else _number(value)


def _rate(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _party(parent: ET.Element, role: str, party) -> None:
    info = _sub(parent, f"{role}Information")
    _sub(info, f"{role}IdNum", party.uscc)
    _sub(info, f"{role}Name", party.name)
    _sub(info, f"{role}Addr", party.address)
    _sub(info, f"{role}TelNum", party.phone)
    _sub(info, f"{role}BankName", party.bank)
    _sub(info, f"{role}BankAccNum", party.bank_account)


def invoice_xml(invoice: SalesInvoice) -> bytes:
    """The invoice as 数电票 XML (UTF-8, with declaration)."""
    root = ET.Element("EInvoice")
    header = _sub(root, "Header")
    _sub(header, "EIid", invoice.number)
    _sub(header, "EInvoiceTag", "SWEI")
    _sub(header, "Version", "0.1")
    label = _sub(header, "InherentLabel")
    kind = _sub(label, "GeneralOrSpecialVAT")
    _sub(kind, "LabelCode", "01" if invoice.invoice_type is InvoiceType.SPECIAL else "02")
    _sub(kind, "LabelName", INVOICE_TYPE_TITLE[invoice.invoice_type])
    color = _sub(label, "InIssuType")
    _sub(color, "LabelCode", "1" if invoice.is_red else "0")
    _sub(color, "LabelName", "红字发票" if invoice.is_red else "蓝字发票")

    data = _sub(root, "EInvoiceData")
    _party(data, "Seller", invoice.seller)
    _party(data, "Buyer", invoice.buyer)
    basic = _sub(data, "BasicInformation")
    _sub(basic, "TotalAmWithoutTax", _money(invoice.total_amount))
    _sub(basic, "TotalTaxAm", _money(invoice.total_tax))
    _sub(basic, "TotalTax-includedAmount", _money(invoice.total))
    _sub(basic, "TotalTax-includedAmountInChinese", invoice.total_in_words)
    _sub(basic, "Drawer", invoice.drawer)
    _sub(basic, "RequestTime", invoice.invoice_date.isoformat())
    for ln in invoice.lines:
        item = _sub(data, "IssuItemInformation")
        _sub(item, "ItemName", ln.item_name)
        _sub(item, "SpecMod", ln.spec)
        _sub(item, "MeaUnits", ln.unit)
        _sub(item, "Quantity", _number(ln.qty) if ln.qty else "")
        _sub(item, "UnPrice", _price(ln.unit_price) if ln.qty else "")
        _sub(item, "Amount", _money(ln.amount))
        _sub(item, "TaxRate", _number(ln.vat_rate))
        _sub(item, "ComTaxAm", _money(ln.tax))
        _sub(item, "TotaltaxIncludedAmount", _money(ln.total))
        _sub(item, "TaxClassificationCode", ln.tax_code)
    if invoice.is_red:
        red = _sub(data, "RedInvoiceInformation")
        _sub(red, "OriginalInvoiceNumber", invoice.blue_number)
        _sub(red, "RedConfirmationNumber", invoice.confirmation_no)
        _sub(red, "RedReasonCode", str(invoice.red_reason.value))
        _sub(red, "RedReason", RED_REASON_TEXT[invoice.red_reason])
    extra = _sub(data, "AdditionalInformation")
    _sub(extra, "Remark", invoice.remark)
    supervision = _sub(root, "TaxSupervisionInfo")
    _sub(supervision, "InvoiceNumber", invoice.number)
    _sub(supervision, "IssueTime", invoice.invoice_date.isoformat())
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


_CSS = """
body{font-family:"SimSun","Songti SC",serif;margin:24px;color:#7a3b12}
.inv{width:900px;margin:auto;border:2px solid #7a3b12;padding:12px}
h1{text-align:center;font-size:24px;margin:4px 0 2px;letter-spacing:2px}
.red{color:#c00}
.meta{text-align:right;font-size:13px;color:#333}
table{width:100%;border-collapse:collapse;font-size:13px;color:#333}
td,th{border:1px solid #7a3b12;padding:4px 6px;vertical-align:top}
th{font-weight:normal;color:#7a3b12}
.num{text-align:right;white-space:nowrap}
.side{width:24px;text-align:center;color:#7a3b12}
.foot{margin-top:8px;font-size:13px;color:#333}
@media print{body{margin:0}.inv{border-width:1px}}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _party_cells(title: str, party) -> str:
    return (f'<td class="side">{_e(title)}</td><td>名称：{_e(party.name)}<br>'
            f"统一社会信用代码/纳税人识别号：{_e(party.uscc)}</td>")


def invoice_html(invoice: SalesInvoice) -> str:
    """A printable page laid out like a 数电票 (all text escaped)."""
    title = INVOICE_TYPE_TITLE[invoice.invoice_type]
    red_mark = ' <span class="red">（红字）</span>' if invoice.is_red else ""
    rows = []
    for ln in invoice.lines:
        qty = _number(ln.qty) if ln.qty else ""
        price = _price(ln.unit_price) if ln.qty else ""
        rows.append(
            f"<tr><td>{_e(ln.item_name)}</td><td>{_e(ln.spec)}</td><td>{_e(ln.unit)}</td>"
            f'<td class="num">{_e(qty)}</td><td class="num">{_e(price)}</td>'
            f'<td class="num">{_e(_money(ln.amount))}</td>'
            f'<td class="num">{_e(_rate(ln.vat_rate))}</td>'
            f'<td class="num">{_e(_money(ln.tax))}</td></tr>')
    red_info = ""
    if invoice.is_red:
        red_info = (f"<br>红冲原因：{_e(RED_REASON_TEXT[invoice.red_reason])}"
                    f"（{_e(invoice.red_reason.value)}）")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{_e(title)} {_e(invoice.number)}</title><style>{_CSS}</style></head>
<body><div class="inv">
<h1>{_e(title)}{red_mark}</h1>
<div class="meta">发票号码：{_e(invoice.number)}<br>开票日期：{_e(_date(invoice))}</div>
<table>
<tr>{_party_cells("购买方信息", invoice.buyer)}{_party_cells("销售方信息", invoice.seller)}</tr>
</table>
<table>
<tr><th>项目名称</th><th>规格型号</th><th>单位</th><th>数量</th><th>单价</th><th>金额</th>
<th>税率/征收率</th><th>税额</th></tr>
{"".join(rows)}
<tr><td>合计</td><td colspan="4"></td>
<td class="num">¥{_e(format_amount(invoice.total_amount))}</td><td></td>
<td class="num">¥{_e(format_amount(invoice.total_tax))}</td></tr>
<tr><td>价税合计（大写）</td><td colspan="4">ⓧ {_e(invoice.total_in_words)}</td>
<td colspan="3">（小写）¥{_e(format_amount(invoice.total))}</td></tr>
<tr><td>备注</td><td colspan="7">{_e(invoice.remark)}{red_info}</td></tr>
</table>
<div class="foot">开票人：{_e(invoice.drawer)}</div>
</div></body></html>
"""


def _date(invoice: SalesInvoice) -> str:
    d = invoice.invoice_date
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"
