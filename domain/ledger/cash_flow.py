"""现金流量表 (会小企03表) by the direct method: every movement of cash
(1001 库存现金, 1002 银行存款, 1012 其他货币资金 and their sub-accounts) is
classified when it is posted.

A journal entry that changes cash carries ``cash_flows``: (item, amount)
pairs, inflow positive, whose sum is exactly the entry's net change of cash.
The document that posts knows its purpose and says so (a supplier payment
for an asset's invoice is 购建固定资产, a disposal's proceeds are 处置固定资产…);
otherwise, and for manual vouchers, the default rule below classifies by the
counter-accounts: each non-cash line's amount, with the sign turned (a
credit to 1122 brings cash in), goes to the item of its account. A manual
voucher may name the item of any non-cash line (``LineInput.cash_flow``);
when it names some, only those lines count and they must cover the cash
movement exactly. Entries moving cash only between cash accounts carry none.

The statement sums the items of a month and of the year to it; line 22
(期末现金余额) = line 20 (the net change) + line 21 (cash at the start, from
the balances), which equals 货币资金 on the balance sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.errors import ValidationError
from domain.ledger.statements import Statement, StatementLine
from domain.transcodings import transcoded

ZERO = Decimal("0.00")
CASH = ("1001", "1002", "1012")


@transcoded("CashFlowItem")
class CashFlowItem(Enum):
    """The detail lines of 会小企03表, by their line number (行次)."""

    SALES_RECEIPTS = "CF01"  # 销售产成品、商品、提供劳务收到的现金
    OTHER_OPERATING_RECEIPTS = "CF02"  # 收到其他与经营活动有关的现金
    PURCHASES = "CF03"  # 购买原材料、商品、接受劳务支付的现金
    WAGES = "CF04"  # 支付的职工薪酬
    TAXES = "CF05"  # 支付的税费
    OTHER_OPERATING_PAYMENTS = "CF06"  # 支付其他与经营活动有关的现金
    INVESTMENTS_RECOVERED = "CF08"  # 收回短期投资、长期债券投资和长期股权投资收到的现金
    INVESTMENT_INCOME = "CF09"  # 取得投资收益收到的现金
    ASSET_DISPOSALS = "CF10"  # 处置固定资产、无形资产和其他非流动资产收回的现金净额
    INVESTMENTS_MADE = "CF11"  # 短期投资、长期债券投资和长期股权投资支付的现金
    ASSET_PURCHASES = "CF12"  # 购建固定资产、无形资产和其他非流动资产支付的现金
    BORROWINGS = "CF14"  # 取得借款收到的现金
    OWNER_INVESTMENT = "CF15"  # 吸收投资者投资收到的现金
    LOAN_REPAYMENTS = "CF16"  # 偿还借款本金支付的现金
    INTEREST_PAID = "CF17"  # 偿还借款利息支付的现金
    PROFIT_DISTRIBUTED = "CF18"  # 分配利润支付的现金

    @property
    def line(self) -> int:
        return int(self.value[2:])


@transcoded("CashFlow")
@dataclass(frozen=True)
class CashFlow:
    """Cash an entry moved for one purpose: inflow positive, outflow negative."""

    item: CashFlowItem
    amount: Decimal


I = CashFlowItem  # noqa: E741 - the table below reads better short
# The default rule: account prefix -> (item of an inflow, item of an outflow),
# longest prefix first. Anything not listed is other operating cash (CF02/CF06).
DEFAULT_RULE: tuple[tuple[str, CashFlowItem, CashFlowItem], ...] = (
    ("22210101", I.PURCHASES, I.PURCHASES),  # 进项税额 paid with a purchase
    ("22210102", I.SALES_RECEIPTS, I.SALES_RECEIPTS),  # 销项税额 received with a sale
    ("2221", I.TAXES, I.TAXES),  # 应交税费: taxes paid (or refunded)
    ("1121", I.SALES_RECEIPTS, I.SALES_RECEIPTS),  # 应收票据
    ("1122", I.SALES_RECEIPTS, I.SALES_RECEIPTS),  # 应收账款
    ("2203", I.SALES_RECEIPTS, I.SALES_RECEIPTS),  # 预收账款
    ("5001", I.SALES_RECEIPTS, I.SALES_RECEIPTS),  # 主营业务收入 (cash sales)
    ("5051", I.SALES_RECEIPTS, I.SALES_RECEIPTS),  # 其他业务收入
    ("1123", I.PURCHASES, I.PURCHASES),  # 预付账款
    ("2201", I.PURCHASES, I.PURCHASES),  # 应付票据
    ("2202", I.PURCHASES, I.PURCHASES),  # 应付账款
    ("140", I.PURCHASES, I.PURCHASES),  # 1401-1408 materials and goods
    ("1411", I.PURCHASES, I.PURCHASES),  # 周转材料
    ("4001", I.PURCHASES, I.PURCHASES),  # 生产成本
    ("4101", I.PURCHASES, I.PURCHASES),  # 制造费用 (power, repairs for production)
    ("5401", I.PURCHASES, I.PURCHASES),
    ("5402", I.PURCHASES, I.PURCHASES),
    ("2211", I.WAGES, I.WAGES),  # 应付职工薪酬
    ("5403", I.TAXES, I.TAXES),  # 税金及附加
    ("5801", I.TAXES, I.TAXES),  # 所得税费用
    ("1101", I.INVESTMENTS_RECOVERED, I.INVESTMENTS_MADE),
    ("1501", I.INVESTMENTS_RECOVERED, I.INVESTMENTS_MADE),
    ("1511", I.INVESTMENTS_RECOVERED, I.INVESTMENTS_MADE),
    ("1131", I.INVESTMENT_INCOME, I.INVESTMENTS_MADE),  # 应收股利
    ("1132", I.INVESTMENT_INCOME, I.INVESTMENTS_MADE),  # 应收利息
    ("5111", I.INVESTMENT_INCOME, I.INVESTMENTS_MADE),  # 投资收益
    ("1606", I.ASSET_DISPOSALS, I.ASSET_DISPOSALS),  # 固定资产清理
    ("1601", I.ASSET_DISPOSALS, I.ASSET_PURCHASES),
    ("1604", I.ASSET_DISPOSALS, I.ASSET_PURCHASES),  # 在建工程
    ("1605", I.ASSET_DISPOSALS, I.ASSET_PURCHASES),  # 工程物资
    ("1621", I.ASSET_DISPOSALS, I.ASSET_PURCHASES),
    ("1701", I.ASSET_DISPOSALS, I.ASSET_PURCHASES),  # 无形资产
    ("4301", I.ASSET_DISPOSALS, I.ASSET_PURCHASES),  # 研发支出 (capitalised)
    ("2001", I.BORROWINGS, I.LOAN_REPAYMENTS),  # 短期借款
    ("2501", I.BORROWINGS, I.LOAN_REPAYMENTS),  # 长期借款
    ("2231", I.INTEREST_PAID, I.INTEREST_PAID),  # 应付利息
    ("3001", I.OWNER_INVESTMENT, I.OWNER_INVESTMENT),  # 实收资本
    ("3002", I.OWNER_INVESTMENT, I.OWNER_INVESTMENT),  # 资本公积
    ("2232", I.PROFIT_DISTRIBUTED, I.PROFIT_DISTRIBUTED),  # 应付利润
    ("3104", I.PROFIT_DISTRIBUTED, I.PROFIT_DISTRIBUTED),  # 利润分配
)


def is_cash(account: str) -> bool:
    return account.startswith(CASH)


def default_item(account: str, inflow: bool) -> CashFlowItem:
    """The item the default rule gives cash moved against ``account``."""
    for prefix, in_item, out_item in DEFAULT_RULE:
        if account.startswith(prefix):
            return in_item if inflow else out_item
    return I.OTHER_OPERATING_RECEIPTS if inflow else I.OTHER_OPERATING_PAYMENTS


def cash_net(lines: Sequence) -> Decimal:
    """What the lines (debit, credit per account) change cash by, debit positive."""
    return sum((ln.debit - ln.credit for ln in lines if is_cash(ln.account)), ZERO)


def _merged(pairs: Sequence[tuple[CashFlowItem, Decimal]]) -> tuple[CashFlow, ...]:
    totals: dict[CashFlowItem, Decimal] = {}
    for item, amount in pairs:
        totals[item] = totals.get(item, ZERO) + amount
    return tuple(CashFlow(item, amount) for item, amount in
                 sorted(totals.items(), key=lambda kv: kv[0].value) if amount)


def classify(lines: Sequence, marks: Sequence[CashFlowItem | None] = (),
             given: Sequence[CashFlow] | None = None) -> tuple[CashFlow, ...]:
    """The cash flows of an entry's admitted ``lines``: ``given`` by the
    document, else the items ``marks`` names for some lines (a manual voucher),
    else the default rule over every non-cash line. Their sum is the entry's
    net change of cash, or a ValidationError says why not."""
    net = cash_net(lines)
    if given is not None:
        flows = _merged([(f.item, f.amount) for f in given])
        return _covering(flows, net, "the document's cash flow items")
    marks = list(marks) + [None] * (len(lines) - len(marks))
    if any(marks):
        pairs = []
        for i, (line, mark) in enumerate(zip(lines, marks, strict=True)):
            if mark is None:
                continue
            if is_cash(line.account):
                raise ValidationError(f"lines.{i}.cashFlow: name the purpose on the line "
                                      "the cash went against, not on the cash line",
                                      f"lines.{i}.cashFlow")
            pairs.append((mark, line.credit - line.debit))
        return _covering(_merged(pairs), net, "the lines' cash flow items")
    if not net:
        return ()
    # A red (红字) entry reverses: its negative amounts keep the item of the original.
    red = any(ln.debit < 0 or ln.credit < 0 for ln in lines)
    return _merged([(default_item(ln.account, (ln.credit - ln.debit > 0) != red),
                     ln.credit - ln.debit) for ln in lines if not is_cash(ln.account)])


def _covering(flows: tuple[CashFlow, ...], net: Decimal, what: str) -> tuple[CashFlow, ...]:
    total = sum((f.amount for f in flows), ZERO)
    if total != net:
        raise ValidationError(f"{what} add up to {total}, but the entry changes cash by {net}",
                              "cashFlow")
    return flows


def negated(flows: Sequence[CashFlow]) -> tuple[CashFlow, ...]:
    return tuple(CashFlow(f.item, -f.amount) for f in flows)


# -- the statement --------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    line: int
    label: str
    kind: str  # item or total (the form's section headings print before lines 1, 8, 14)
    items: tuple[CashFlowItem, ...] = ()
    sign: int = 1  # outflow lines show payments positive
    sums: tuple[tuple[int, int], ...] = ()


def _out(line: int, label: str, item: CashFlowItem) -> Row:
    return Row(line, label, "item", (item,), -1)


def _in(line: int, label: str, item: CashFlowItem) -> Row:
    return Row(line, label, "item", (item,), 1)


LAYOUT: tuple[Row, ...] = (
    _in(1, "销售产成品、商品、提供劳务收到的现金", I.SALES_RECEIPTS),
    _in(2, "收到其他与经营活动有关的现金", I.OTHER_OPERATING_RECEIPTS),
    _out(3, "购买原材料、商品、接受劳务支付的现金", I.PURCHASES),
    _out(4, "支付的职工薪酬", I.WAGES),
    _out(5, "支付的税费", I.TAXES),
    _out(6, "支付其他与经营活动有关的现金", I.OTHER_OPERATING_PAYMENTS),
    Row(7, "经营活动产生的现金流量净额", "total",
        sums=((1, 1), (2, 1), (3, -1), (4, -1), (5, -1), (6, -1))),
    _in(8, "收回短期投资、长期债券投资和长期股权投资收到的现金", I.INVESTMENTS_RECOVERED),
    _in(9, "取得投资收益收到的现金", I.INVESTMENT_INCOME),
    _in(10, "处置固定资产、无形资产和其他非流动资产收回的现金净额", I.ASSET_DISPOSALS),
    _out(11, "短期投资、长期债券投资和长期股权投资支付的现金", I.INVESTMENTS_MADE),
    _out(12, "购建固定资产、无形资产和其他非流动资产支付的现金", I.ASSET_PURCHASES),
    Row(13, "投资活动产生的现金流量净额", "total",
        sums=((8, 1), (9, 1), (10, 1), (11, -1), (12, -1))),
    _in(14, "取得借款收到的现金", I.BORROWINGS),
    _in(15, "吸收投资者投资收到的现金", I.OWNER_INVESTMENT),
    _out(16, "偿还借款本金支付的现金", I.LOAN_REPAYMENTS),
    _out(17, "偿还借款利息支付的现金", I.INTEREST_PAID),
    _out(18, "分配利润支付的现金", I.PROFIT_DISTRIBUTED),
    Row(19, "筹资活动产生的现金流量净额", "total",
        sums=((14, 1), (15, 1), (16, -1), (17, -1), (18, -1))),
    Row(20, "四、现金净增加额", "total", sums=((7, 1), (13, 1), (19, 1))),
    Row(21, "加：期初现金余额", "item"),
    Row(22, "五、期末现金余额", "total", sums=((20, 1), (21, 1))),
)


def cash_flow_statement(period: str, year: Mapping[CashFlowItem, Decimal],
                        month: Mapping[CashFlowItem, Decimal],
                        cash_at_year_start: Decimal, cash_at_month_start: Decimal,
                        as_of: int | None = None) -> Statement:
    """现金流量表 of ``period``: 本年累计金额 and 本月金额 from the items' net cash
    (inflow positive) and the cash held at the start of the year and the month."""
    columns = (year, month)
    openings = (cash_at_year_start, cash_at_month_start)
    amounts: dict[int, tuple[Decimal, ...]] = {}
    out = []
    for row in LAYOUT:
        if row.sums:
            values = tuple(sum((amounts[n][i] * s for n, s in row.sums), ZERO) for i in (0, 1))
        elif row.line == 21:
            values = openings
        else:
            values = tuple(sum((c.get(item, ZERO) for item in row.items), ZERO) * row.sign
                           + ZERO for c in columns)
        amounts[row.line] = values
        out.append(StatementLine(row.line, row.label, values, row.kind))
    return Statement("会小企03表", "现金流量表", period, ("本年累计金额", "本月金额"),
                     tuple(out), as_of)
