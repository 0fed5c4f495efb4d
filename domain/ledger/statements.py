"""Financial statements of 小企业会计准则 (pure functions over account balances).

资产负债表 (会小企01表, 53 lines, 期末余额 / 年初余额) and 利润表 (会小企02表,
32 lines, 本月金额 / 本年累计金额). Each line is a formula over account codes
(a code covers its sub-accounts) or over other lines, written once in the
tables below, in the order of the printed form.

Balances come in as nets per leaf account, debit positive. Asset lines show
debit-positive amounts, liability and equity lines credit-positive ones.
Receivables and payables are shown per customer and supplier, as the
standard's 编制说明 requires: each party's net over its open items (1122 with
2203, 220201 with 1123) goes to 应收账款 or 预收账款 (应付账款 or 预付账款) by its
side, so one customer's prepayment never hides another's debt; accounts no
open item keeps (220202 暂估应付) go by the side of each leaf. Given no party
figures, the lines go by the side of each leaf account.
应交税费 is shown net (negative when VAT input exceeds output). The income
statement reads P&L turnover without the closing entries (结转损益), so a
closed month still shows its revenue and costs.

The 其中 lines of the 利润表 (4-10, 12-13, 15-17, 19, 23, 25-29) read the
accounts the company's chart maps to them by code (``lines``: line -> codes,
the standard sub-accounts 540301… are mapped when installed, see
``data/statement-subaccounts.csv``); never by account names. On the balance
sheet, accounts the company maps to lines 14, 28, 40 or 45 (一年内到期的非流动
资产, 其他非流动资产, 一年内到期的非流动负债, 其他非流动负债) leave their usual
line for that one, as the 编制说明's 分析填列 asks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StatementLine:
    line: int
    label: str
    amounts: tuple[Decimal, Decimal]
    kind: str = "item"  # item, detail (其中), total, heading


@dataclass(frozen=True)
class Statement:
    code: str  # 会小企01表
    title: str
    period: str
    columns: tuple[str, str]
    lines: tuple[StatementLine, ...]
    as_of: int | None = None
    notes: tuple[str, ...] = ()  # 报表附注: what a line holds and why

    def amount(self, line: int, column: int = 0) -> Decimal:
        for ln in self.lines:
            if ln.line == line:
                return ln.amounts[column]
        raise KeyError(line)


# -- formulas ----------------------------------------------------------------------
@dataclass(frozen=True)
class Acc:
    """Accounts (with sub-accounts); ``sign`` +1 debit-positive, -1 credit-positive;
    ``side`` keeps only leaves with a debit ("debit") or credit ("credit") balance."""

    codes: tuple[str, ...]
    sign: int = 1
    side: str = ""
    but: tuple[str, ...] = ()  # sub-accounts left out


@dataclass(frozen=True)
class Mapped:
    """The accounts the company's chart maps to this line, by code (a 其中 line
    of the 利润表, or a balance sheet line that takes reclassified accounts),
    plus ``base`` (accounts the line always holds)."""

    sign: int = 1
    base: tuple[str, ...] = ()


@dataclass(frozen=True)
class ByParty:
    """Receivables or payables shown per customer or supplier, as the 编制说明
    wants: each party's net over its open items (1122 with 2203, or 220201 with
    1123) goes to this line when it is on ``side`` (debit: owed to us). The
    accounts in ``rest`` not kept by open items (220202 暂估应付…) join by the
    side of each leaf; without party figures the whole line is by leaf side."""

    ledger: str  # receivable | payable
    side: str
    sign: int
    rest: Acc
    by_leaf: Acc  # the line as it is without party figures


@dataclass(frozen=True)
class Sum:
    """Other lines added (+) or subtracted (-): ((line, +1), (line, -1)…)."""

    terms: tuple[tuple[int, int], ...]


def A(*codes: str, side: str = "") -> Acc:  # noqa: N802 - reads like the form
    return Acc(codes, 1, side)


def L(*codes: str, side: str = "") -> Acc:  # noqa: N802
    return Acc(codes, -1, side)


def plus(*lines: int) -> Sum:
    return Sum(tuple((n, 1) for n in lines))


BALANCE_SHEET: tuple[tuple[int, str, str, Acc | Sum], ...] = (
    (1, "货币资金", "item", A("1001", "1002", "1012")),
    (2, "短期投资", "item", A("1101")),
    (3, "应收票据", "item", A("1121")),
    (4, "应收账款", "item", ByParty("receivable", "debit", 1, Acc(()),
                                   Acc(("1122", "2203"), 1, "debit"))),
    (5, "预付账款", "item", ByParty("payable", "debit", 1, Acc(("2202",), 1, "debit",
                                                             ("220201",)),
                                   Acc(("1123", "2202"), 1, "debit"))),
    (6, "应收股利", "item", A("1131")),
    (7, "应收利息", "item", A("1132")),
    (8, "其他应收款", "item", A("1221")),
    # 存货: the 编制说明's accounts, and 4101 制造费用 / 4401 工程施工 / 4403 机械作业 too
    # (INVENTORY_NOTE): costs of goods and work in process not yet settled to 4001.
    (9, "存货", "item", A("1401", "1402", "1403", "1404", "1405", "1407", "1408", "1411",
                           "1421", "4001", "4101", "4401", "4403")),
    (10, "其中：原材料", "detail", A("1401", "1402", "1403", "1404")),
    (11, "在产品", "detail", A("4001")),
    (12, "库存商品", "detail", A("1405", "1407")),
    (13, "周转材料", "detail", A("1411")),
    (14, "其他流动资产", "item", Mapped(1, ("1901",))),
    (15, "流动资产合计", "total", plus(1, 2, 3, 4, 5, 6, 7, 8, 9, 14)),
    (16, "长期债券投资", "item", A("1501")),
    (17, "长期股权投资", "item", A("1511")),
    (18, "固定资产原价", "item", A("1601")),
    (19, "减：累计折旧", "item", L("1602")),
    (20, "固定资产账面价值", "item", Sum(((18, 1), (19, -1)))),
    (21, "在建工程", "item", A("1604")),
    (22, "工程物资", "item", A("1605")),
    (23, "固定资产清理", "item", A("1606")),
    (24, "生产性生物资产", "item", A("1621", "1622")),
    (25, "无形资产", "item", A("1701", "1702")),
    (26, "开发支出", "item", A("4301")),
    (27, "长期待摊费用", "item", A("1801")),
    (28, "其他非流动资产", "item", Mapped(1)),
    (29, "非流动资产合计", "total", plus(16, 17, 20, 21, 22, 23, 24, 25, 26, 27, 28)),
    (30, "资产总计", "total", plus(15, 29)),
    (31, "短期借款", "item", L("2001")),
    (32, "应付票据", "item", L("2201")),
    (33, "应付账款", "item", ByParty("payable", "credit", -1, Acc(("2202",), -1, "credit",
                                                              ("220201",)),
                                    Acc(("2202", "1123"), -1, "credit"))),
    (34, "预收账款", "item", ByParty("receivable", "credit", -1, Acc(()),
                                    Acc(("2203", "1122"), -1, "credit"))),
    (35, "应付职工薪酬", "item", L("2211")),
    (36, "应交税费", "item", L("2221")),
    (37, "应付利息", "item", L("2231")),
    (38, "应付利润", "item", L("2232")),
    (39, "其他应付款", "item", L("2241")),
    (40, "其他流动负债", "item", Mapped(-1)),
    (41, "流动负债合计", "total", plus(31, 32, 33, 34, 35, 36, 37, 38, 39, 40)),
    (42, "长期借款", "item", L("2501")),
    (43, "长期应付款", "item", L("2701")),
    (44, "递延收益", "item", L("2401")),
    (45, "其他非流动负债", "item", Mapped(-1)),
    (46, "非流动负债合计", "total", plus(42, 43, 44, 45)),
    (47, "负债合计", "total", plus(41, 46)),
    (48, "实收资本（或股本）", "item", L("3001")),
    (49, "资本公积", "item", L("3002")),
    (50, "盈余公积", "item", L("3101")),
    # Profit not yet transferred (P&L accounts before 结转损益) is part of it, so the
    # sheet balances at any moment, also as of a position mid-month.
    (51, "未分配利润", "item", L("3103", "3104", "5")),
    (52, "所有者权益（或股东权益）合计", "total", plus(48, 49, 50, 51)),
    (53, "负债和所有者权益（或股东权益）总计", "total", plus(47, 52)),
)

INCOME_STATEMENT: tuple[tuple[int, str, str, Acc | Sum], ...] = (
    (1, "一、营业收入", "item", L("5001", "5051")),
    (2, "减：营业成本", "item", A("5401", "5402")),
    (3, "税金及附加", "item", A("5403")),
    (4, "其中：消费税", "detail", Mapped()),
    (5, "营业税", "detail", Mapped()),
    (6, "城市维护建设税", "detail", Mapped()),
    (7, "资源税", "detail", Mapped()),
    (8, "土地增值税", "detail", Mapped()),
    (9, "城镇土地使用税、房产税、车船税、印花税", "detail", Mapped()),
    (10, "教育费附加、矿产资源补偿费、排污费", "detail", Mapped()),
    (11, "销售费用", "item", A("5601")),
    (12, "其中：商品维修费", "detail", Mapped()),
    (13, "广告费和业务宣传费", "detail", Mapped()),
    (14, "管理费用", "item", A("5602")),
    (15, "其中：开办费", "detail", Mapped()),
    (16, "业务招待费", "detail", Mapped()),
    (17, "研究费用", "detail", Mapped()),
    (18, "财务费用", "item", A("5603")),
    (19, "其中：利息费用（收入以“-”号填列）", "detail", Mapped()),
    (20, "加：投资收益（损失以“-”号填列）", "item", L("5111")),
    (21, "二、营业利润（亏损以“-”号填列）", "total",
     Sum(((1, 1), (2, -1), (3, -1), (11, -1), (14, -1), (18, -1), (20, 1)))),
    (22, "加：营业外收入", "item", L("5301")),
    (23, "其中：政府补助", "detail", Mapped(-1)),
    (24, "减：营业外支出", "item", A("5711")),
    (25, "其中：坏账损失", "detail", Mapped()),
    (26, "无法收回的长期债券投资损失", "detail", Mapped()),
    (27, "无法收回的长期股权投资损失", "detail", Mapped()),
    (28, "自然灾害等不可抗力因素造成的损失", "detail", Mapped()),
    (29, "税收滞纳金", "detail", Mapped()),
    (30, "三、利润总额（亏损总额以“-”号填列）", "total", Sum(((21, 1), (22, 1), (24, -1)))),
    (31, "减：所得税费用", "item", A("5801")),
    (32, "四、净利润（净亏损以“-”号填列）", "total", Sum(((30, 1), (31, -1)))),
)


# Where each mappable line's accounts must come from: a 其中 line of the 利润表
# reads sub-accounts of its parent line's account; a balance sheet line takes
# accounts of the asset or liability side.
DETAIL_PARENTS: dict[int, str] = {
    **dict.fromkeys(range(4, 11), "5403"), 12: "5601", 13: "5601",
    **dict.fromkeys((15, 16, 17), "5602"), 19: "5603", 23: "5301",
    **dict.fromkeys(range(25, 30), "5711"),
}
RECLASS_LINES: dict[int, str] = {14: "asset", 28: "asset", 40: "liability", 45: "liability"}
# Kept per customer and supplier (ByParty): their accounts are never reclassified.
PARTY_ACCOUNTS = ("1122", "1123", "2202", "2203")

INVENTORY_NOTE = (
    "存货（第9行）= 1401 材料采购、1402 在途物资、1403 原材料、1404 材料成本差异、"
    "1405 库存商品、1407 商品进销差价、1408 委托加工物资、1411 周转材料、"
    "1421 消耗性生物资产、4001 生产成本 的期末余额（编制说明所列科目），另含 "
    "4101 制造费用、4401 工程施工、4403 机械作业 的余额：月中尚未分配转入生产成本的"
    "制造费用和在建合同成本，是“在加工中的存货成本”；月末分配（结转制造费用）后 4101 "
    "无余额。如不计入，资产负债表月中将不平衡。"
)
RECLASS_NOTE = {
    14: "第14行 其他流动资产 含一年内到期的非流动资产：",
    28: "第28行 其他非流动资产：",
    40: "第40行 其他流动负债 含一年内到期的非流动负债：",
    45: "第45行 其他非流动负债：",
}

Lines = Mapping[int, Sequence[str]]  # line -> account codes the chart maps to it


def _under(code: str, prefixes: Sequence[str]) -> bool:
    return any(code.startswith(c) for c in prefixes)


def _account_amount(formula: Acc, nets: Mapping[str, Decimal],
                    but: Sequence[str] = ()) -> Decimal:
    total = ZERO
    for code, net in nets.items():
        if not net or not _under(code, formula.codes) or _under(code, formula.but) or \
                _under(code, but):
            continue
        if formula.side == "debit" and net < 0 or formula.side == "credit" and net > 0:
            continue
        total += net
    return total * formula.sign + ZERO  # + ZERO: no -0.00 on the form


PartyNets = Mapping[tuple[str, str], Decimal]  # (ledger, party) -> net, debit positive


def _party_amount(formula: ByParty, nets: Mapping[str, Decimal],
                  parties: PartyNets | None) -> Decimal:
    if parties is None:
        return _account_amount(formula.by_leaf, nets)
    total = ZERO
    for (ledger, _party), net in parties.items():
        if ledger == formula.ledger and (net > 0 if formula.side == "debit" else net < 0):
            total += net
    return total * formula.sign + _account_amount(formula.rest, nets) + ZERO


def _evaluate(layout, columns: Sequence[Mapping[str, Decimal]], mapped: Lines,
              parties: Sequence[PartyNets | None] = ()) -> tuple[StatementLine, ...]:
    lines: dict[int, StatementLine] = {}
    parties = list(parties) or [None] * len(columns)
    # Accounts a balance sheet line takes leave every other line (reclassified).
    moved = tuple(code for line, codes in mapped.items() if line in RECLASS_LINES
                  for code in codes) if layout is BALANCE_SHEET else ()
    for number, label, kind, formula in layout:
        if isinstance(formula, ByParty):
            amounts = tuple(_party_amount(formula, nets, by_party)
                            for nets, by_party in zip(columns, parties, strict=True))
        elif isinstance(formula, Mapped):
            acc = Acc((*formula.base, *mapped.get(number, ())), formula.sign)
            own = tuple(mapped.get(number, ()))
            amounts = tuple(_account_amount(acc, nets, tuple(c for c in moved if c not in own))
                            for nets in columns)
        elif isinstance(formula, Acc):
            amounts = tuple(_account_amount(formula, nets, moved) for nets in columns)
        else:
            amounts = tuple(
                sum((lines[n].amounts[i] * sign for n, sign in formula.terms), ZERO)
                for i in range(len(columns))
            )
        lines[number] = StatementLine(number, label, amounts, kind)
    return tuple(lines.values())


def _balance_sheet_notes(mapped: Lines, names: Mapping[str, str]) -> tuple[str, ...]:
    notes = [INVENTORY_NOTE]
    for line, codes in sorted(mapped.items()):
        if line in RECLASS_NOTE and codes:
            notes.append(RECLASS_NOTE[line] + "、".join(
                f"{c} {names.get(c, '')}".strip() for c in sorted(codes)))
    return tuple(notes)


def balance_sheet(period: str, closing: Mapping[str, Decimal],
                  year_opening: Mapping[str, Decimal], lines: Lines | None = None,
                  as_of: int | None = None,
                  parties: tuple[PartyNets, PartyNets] | None = None,
                  names: Mapping[str, str] | None = None) -> Statement:
    """资产负债表 at the end of ``period`` (期末余额) and at the start of its year
    (年初余额); ``parties``: each customer's and supplier's net over its open
    items at those two moments (lines 4, 5, 33, 34 per party, not per account);
    ``lines``: the accounts the chart reclassifies to lines 14, 28, 40, 45."""
    mapped = {n: tuple(c) for n, c in (lines or {}).items() if n in RECLASS_LINES}
    return Statement("会小企01表", "资产负债表", period, ("期末余额", "年初余额"),
                     _evaluate(BALANCE_SHEET, (closing, year_opening), mapped,
                               parties or ()), as_of,
                     _balance_sheet_notes(mapped, names or {}))


def _income_notes(mapped: Lines) -> tuple[str, ...]:
    unmapped = sorted({DETAIL_PARENTS[n] for n in DETAIL_PARENTS if not mapped.get(n)})
    if not unmapped:
        return ()
    return ("其中项目按科目编码取数（setStatementLine）；以下科目的其中项目未指定明细科目，"
            "显示为 0.00：" + "、".join(unmapped),)


def income_statement(period: str, month: Mapping[str, Decimal],
                     year_to_date: Mapping[str, Decimal], lines: Lines | None = None,
                     as_of: int | None = None) -> Statement:
    """利润表 for ``period`` (本月金额) and the year to its end (本年累计金额), from
    P&L turnover without closing entries; ``lines``: the accounts the chart maps
    to each 其中 line."""
    mapped = {n: tuple(c) for n, c in (lines or {}).items() if n in DETAIL_PARENTS}
    return Statement("会小企02表", "利润表", period, ("本年累计金额", "本月金额"),
                     _evaluate(INCOME_STATEMENT, (year_to_date, month), mapped), as_of,
                     _income_notes(mapped))


def annual_income_statement(period: str, this_year: Mapping[str, Decimal],
                            last_year: Mapping[str, Decimal], lines: Lines | None = None,
                            as_of: int | None = None) -> Statement:
    """利润表 of the year to ``period`` beside the same months of the year before:
    本年金额 | 上年金额 for December (the annual report), else 本年累计金额 |
    上年同期累计金额."""
    mapped = {n: tuple(c) for n, c in (lines or {}).items() if n in DETAIL_PARENTS}
    columns = ("本年金额", "上年金额") if period.endswith("-12") else \
        ("本年累计金额", "上年同期累计金额")
    title_period = period[:4] if period.endswith("-12") else period
    return Statement("会小企02表", "利润表", title_period, columns,
                     _evaluate(INCOME_STATEMENT, (this_year, last_year), mapped), as_of,
                     _income_notes(mapped))
