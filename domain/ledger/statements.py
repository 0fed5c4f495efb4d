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

    def amount(self, line: int, column: int = 0) -> Decimal:
        for ln in self.lines:
            if ln.line == line:
                return ln.amounts[column]
        raise KeyError(line)


# -- formulas ----------------------------------------------------------------------
@dataclass(frozen=True)
class Acc:
    """Accounts (with sub-accounts); ``sign`` +1 debit-positive, -1 credit-positive;
    ``side`` keeps only leaves with a debit ("debit") or credit ("credit") balance;
    ``names`` keeps only sub-accounts whose name contains one of them (其中 lines)."""

    codes: tuple[str, ...]
    sign: int = 1
    side: str = ""
    names: tuple[str, ...] = ()
    but: tuple[str, ...] = ()  # sub-accounts left out


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


def of(code: str, *names: str, sign: int = 1) -> Acc:
    return Acc((code,), sign, "", names)


def plus(*lines: int) -> Sum:
    return Sum(tuple((n, 1) for n in lines))


BALANCE_SHEET: tuple[tuple[int, str, str, Acc | Sum], ...] = (
    (1, "货币资金", "item", A("1001", "1002", "1012")),
    (2, "短期投资", "item", A("1101")),
    (3, "应收票据", "item", A("1121")),
    (4, "应收账款", "item", ByParty("receivable", "debit", 1, Acc(()),
                                   Acc(("1122", "2203"), 1, "debit"))),
    (5, "预付账款", "item", ByParty("payable", "debit", 1, Acc(("2202",), 1, "debit", (),
                                                             ("220201",)),
                                   Acc(("1123", "2202"), 1, "debit"))),
    (6, "应收股利", "item", A("1131")),
    (7, "应收利息", "item", A("1132")),
    (8, "其他应收款", "item", A("1221")),
    (9, "存货", "item", A("1401", "1402", "1403", "1404", "1405", "1407", "1408", "1411",
                           "1421", "4001", "4101", "4401", "4403")),
    (10, "其中：原材料", "detail", A("1401", "1402", "1403", "1404")),
    (11, "在产品", "detail", A("4001")),
    (12, "库存商品", "detail", A("1405", "1407")),
    (13, "周转材料", "detail", A("1411")),
    (14, "其他流动资产", "item", A("1901")),
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
    (28, "其他非流动资产", "item", A()),
    (29, "非流动资产合计", "total", plus(16, 17, 20, 21, 22, 23, 24, 25, 26, 27, 28)),
    (30, "资产总计", "total", plus(15, 29)),
    (31, "短期借款", "item", L("2001")),
    (32, "应付票据", "item", L("2201")),
    (33, "应付账款", "item", ByParty("payable", "credit", -1, Acc(("2202",), -1, "credit", (),
                                                              ("220201",)),
                                    Acc(("2202", "1123"), -1, "credit"))),
    (34, "预收账款", "item", ByParty("receivable", "credit", -1, Acc(()),
                                    Acc(("2203", "1122"), -1, "credit"))),
    (35, "应付职工薪酬", "item", L("2211")),
    (36, "应交税费", "item", L("2221")),
    (37, "应付利息", "item", L("2231")),
    (38, "应付利润", "item", L("2232")),
    (39, "其他应付款", "item", L("2241")),
    (40, "其他流动负债", "item", L()),
    (41, "流动负债合计", "total", plus(31, 32, 33, 34, 35, 36, 37, 38, 39, 40)),
    (42, "长期借款", "item", L("2501")),
    (43, "长期应付款", "item", L("2701")),
    (44, "递延收益", "item", L("2401")),
    (45, "其他非流动负债", "item", L()),
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
    (4, "其中：消费税", "detail", of("5403", "消费税")),
    (5, "营业税", "detail", of("5403", "营业税")),
    (6, "城市维护建设税", "detail", of("5403", "城市维护建设税", "城建税")),
    (7, "资源税", "detail", of("5403", "资源税")),
    (8, "土地增值税", "detail", of("5403", "土地增值税")),
    (9, "城镇土地使用税、房产税、车船税、印花税", "detail",
     of("5403", "城镇土地使用税", "房产税", "车船税", "印花税")),
    (10, "教育费附加、矿产资源补偿费、排污费", "detail",
     of("5403", "教育费附加", "矿产资源补偿费", "排污费")),
    (11, "销售费用", "item", A("5601")),
    (12, "其中：商品维修费", "detail", of("5601", "维修费")),
    (13, "广告费和业务宣传费", "detail", of("5601", "广告费", "业务宣传费")),
    (14, "管理费用", "item", A("5602")),
    (15, "其中：开办费", "detail", of("5602", "开办费")),
    (16, "业务招待费", "detail", of("5602", "业务招待费")),
    (17, "研究费用", "detail", of("5602", "研究费用", "研发费用")),
    (18, "财务费用", "item", A("5603")),
    (19, "其中：利息费用（收入以“-”号填列）", "detail", of("5603", "利息")),
    (20, "加：投资收益（损失以“-”号填列）", "item", L("5111")),
    (21, "二、营业利润（亏损以“-”号填列）", "total",
     Sum(((1, 1), (2, -1), (3, -1), (11, -1), (14, -1), (18, -1), (20, 1)))),
    (22, "加：营业外收入", "item", L("5301")),
    (23, "其中：政府补助", "detail", of("5301", "政府补助", sign=-1)),
    (24, "减：营业外支出", "item", A("5711")),
    (25, "其中：坏账损失", "detail", of("5711", "坏账损失")),
    (26, "无法收回的长期债券投资损失", "detail", of("5711", "长期债券投资损失")),
    (27, "无法收回的长期股权投资损失", "detail", of("5711", "长期股权投资损失")),
    (28, "自然灾害等不可抗力因素造成的损失", "detail", of("5711", "自然灾害", "不可抗力")),
    (29, "税收滞纳金", "detail", of("5711", "滞纳金")),
    (30, "三、利润总额（亏损总额以“-”号填列）", "total", Sum(((21, 1), (22, 1), (24, -1)))),
    (31, "减：所得税费用", "item", A("5801")),
    (32, "四、净利润（净亏损以“-”号填列）", "total", Sum(((30, 1), (31, -1)))),
)


def _account_amount(formula: Acc, nets: Mapping[str, Decimal],
                    names: Mapping[str, str]) -> Decimal:
    total = ZERO
    for code, net in nets.items():
        if not net or not any(code.startswith(c) for c in formula.codes) or any(
                code.startswith(c) for c in formula.but):
            continue
        if formula.side == "debit" and net < 0 or formula.side == "credit" and net > 0:
            continue
        if formula.names:
            label = " ".join(names.get(code[:n], "") for n in range(6, len(code) + 1, 2))
            if not any(word in label for word in formula.names):
                continue
        total += net
    return total * formula.sign + ZERO  # + ZERO: no -0.00 on the form


PartyNets = Mapping[tuple[str, str], Decimal]  # (ledger, party) -> net, debit positive


def _party_amount(formula: ByParty, nets: Mapping[str, Decimal], names: Mapping[str, str],
                  parties: PartyNets | None) -> Decimal:
    if parties is None:
        return _account_amount(formula.by_leaf, nets, names)
    total = ZERO
    for (ledger, _party), net in parties.items():
        if ledger == formula.ledger and (net > 0 if formula.side == "debit" else net < 0):
            total += net
    return total * formula.sign + _account_amount(formula.rest, nets, names) + ZERO


def _evaluate(layout, columns: Sequence[Mapping[str, Decimal]],
              names: Mapping[str, str],
              parties: Sequence[PartyNets | None] = ()) -> tuple[StatementLine, ...]:
    lines: dict[int, StatementLine] = {}
    parties = list(parties) or [None] * len(columns)
    for number, label, kind, formula in layout:
        if isinstance(formula, ByParty):
            amounts = tuple(_party_amount(formula, nets, names, by_party)
                            for nets, by_party in zip(columns, parties, strict=True))
        elif isinstance(formula, Acc):
            amounts = tuple(_account_amount(formula, nets, names) for nets in columns)
        else:
            amounts = tuple(
                sum((lines[n].amounts[i] * sign for n, sign in formula.terms), ZERO)
                for i in range(len(columns))
            )
        lines[number] = StatementLine(number, label, amounts, kind)
    return tuple(lines.values())


def balance_sheet(period: str, closing: Mapping[str, Decimal],
                  year_opening: Mapping[str, Decimal], names: Mapping[str, str],
                  as_of: int | None = None,
                  parties: tuple[PartyNets, PartyNets] | None = None) -> Statement:
    """资产负债表 at the end of ``period`` (期末余额) and at the start of its year
    (年初余额); ``parties``: each customer's and supplier's net over its open
    items at those two moments (lines 4, 5, 33, 34 per party, not per account)."""
    return Statement("会小企01表", "资产负债表", period, ("期末余额", "年初余额"),
                     _evaluate(BALANCE_SHEET, (closing, year_opening), names,
                               parties or ()), as_of)


def income_statement(period: str, month: Mapping[str, Decimal],
                     year_to_date: Mapping[str, Decimal], names: Mapping[str, str],
                     as_of: int | None = None) -> Statement:
    """利润表 for ``period`` (本月金额) and the year to its end (本年累计金额), from
    P&L turnover without closing entries."""
    return Statement("会小企02表", "利润表", period, ("本年累计金额", "本月金额"),
                     _evaluate(INCOME_STATEMENT, (year_to_date, month), names), as_of)
