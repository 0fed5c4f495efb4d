"""Statements: 资产负债表 (会小企01表), 利润表 (会小企02表) and 现金流量表 (会小企03表),
for any period and as the books stood at any log position (``asOf``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.queries import WaitFor
from domain.ledger import statements as st
from domain.ledger.periods import check_period
from projections import statement_queries as sq
from projections import vat_queries as vq

AsOf = Annotated[
    int | None,
    strawberry.argument(
        description="Show the books as they stood at this log position (only the "
        "entries at or before it), e.g. for an auditor; default: now."
    ),
]


@strawberry.type(description="A line of a statement: its number (行次), label (项目) and one "
                 "amount per column. kind: item, detail (其中), total.")
class StatementLine:
    line: int
    label: str
    kind: str
    amounts: list[Decimal]


@strawberry.type(description="A statement of 小企业会计准则. Balance sheet columns: 期末余额, "
                 "年初余额; income statement: 本年累计金额, 本月金额.")
class FinancialStatement:
    code: str
    title: str
    period: str
    as_of: int | None
    columns: list[str]
    lines: list[StatementLine]
    notes: list[str] = strawberry.field(description="报表附注: what a line holds and why "
                                        "(存货's accounts, reclassified accounts, 其中 lines "
                                        "with no accounts mapped).")

    @strawberry.field(description="The amount of line `line` in column `column` (0 = first).")
    def amount(self, line: int, column: int = 0) -> Decimal:
        # checked, not indexed blindly: line 0 was the last line, a bad column a masked error
        if not 1 <= line <= len(self.lines):
            raise QueryError(f"line must be from 1 to {len(self.lines)}", "ValidationError",
                             field="line")
        if not 0 <= column < len(self.columns):
            raise QueryError(f"column must be from 0 to {len(self.columns) - 1}",
                             "ValidationError", field="column")
        return self.lines[line - 1].amounts[column]

    @classmethod
    def from_view(cls, s: st.Statement) -> FinancialStatement:
        return cls(
            code=s.code, title=s.title, period=s.period, as_of=s.as_of,
            columns=list(s.columns),
            lines=[StatementLine(line=ln.line, label=ln.label, kind=ln.kind,
                                 amounts=list(ln.amounts)) for ln in s.lines],
            notes=list(s.notes),
        )


@strawberry.type(description="A row of the VAT figures: 销售额 (ex VAT, where the row has "
                 "one) and 税额; formLine: the 栏次 of the 增值税及附加税费申报表 "
                 "（一般纳税人适用）主表 it feeds, where there is one.")
class VatReturnRow:
    line: int
    label: str
    amount: Decimal | None
    tax: Decimal
    form_line: str


@strawberry.type(description="增值税申报 figures of a month, from the documents and checked "
                 "against 22210101/22210102; a table for the tax platform (nothing is "
                 "submitted).")
class VatReturn:
    period: str
    rows: list[VatReturnRow]
    payable: Decimal = strawberry.field(description="本期应补税额: what transferVat moves to "
                                        "222102 未交增值税.")
    carried_forward: Decimal = strawberry.field(description="期末留抵税额.")
    transferred: Decimal = strawberry.field(description="22210105 转出未交增值税 posted this "
                                            "month.")
    difference: Decimal = strawberry.field(description="payable - transferred: 0.00 once the "
                                           "month-end transfer is posted.")

    @classmethod
    def from_view(cls, v: vq.VatReturn) -> VatReturn:
        return cls(period=v.period, rows=[
            VatReturnRow(line=r.line, label=r.label, amount=r.amount, tax=r.tax,
                         form_line=r.form_line) for r in v.rows],
            payable=v.payable, carried_forward=v.carried_forward, transferred=v.transferred,
            difference=v.difference)


@strawberry.type
class StatementQuery:
    @strawberry.field(description="资产负债表 (会小企01表), all 53 lines, at the end of a period.")
    async def balance_sheet(
        self, info: Info, period: str, as_of: AsOf = None, wait_for: WaitFor = None
    ) -> FinancialStatement:
        view = await read(info, lambda c: sq.balance_sheet_of(c, check_period(period), as_of),
                          wait_for)
        return FinancialStatement.from_view(view)

    @strawberry.field(description="利润表 (会小企02表) of the year to a period beside the "
                      "same months of the year before: 本年金额 | 上年金额 for a December "
                      "period (the annual report), else 本年累计金额 | 上年同期累计金额.")
    async def annual_income_statement(
        self, info: Info, period: str, as_of: AsOf = None, wait_for: WaitFor = None
    ) -> FinancialStatement:
        view = await read(info, lambda c: sq.annual_income_statement_of(
            c, check_period(period), as_of), wait_for)
        return FinancialStatement.from_view(view)

    @strawberry.field(description="现金流量表 (会小企03表) of a period by the direct method: "
                      "本年累计金额 and 本月金额; line 22 (期末现金余额) equals 货币资金 on the "
                      "balance sheet.")
    async def cash_flow_statement(
        self, info: Info, period: str, as_of: AsOf = None, wait_for: WaitFor = None
    ) -> FinancialStatement:
        view = await read(info, lambda c: sq.cash_flow_statement_of(c, check_period(period),
                                                                      as_of), wait_for)
        return FinancialStatement.from_view(view)

    @strawberry.field(description="增值税申报 figures of a month: output VAT by rate (数电票 "
                      "blue less red), input VAT, 进项税额转出, the credit carried, the VAT "
                      "payable or carried forward, and the month-end transfer (transferVat).")
    async def vat_return(self, info: Info, period: str, wait_for: WaitFor = None) -> VatReturn:
        view = await read(info, lambda c: vq.vat_return(c, check_period(period)), wait_for)
        return VatReturn.from_view(view)

    @strawberry.field(description="利润表 (会小企02表) of a period: 本年累计金额 and 本月金额, "
                      "without the closing entries (结转损益).")
    async def income_statement(
        self, info: Info, period: str, as_of: AsOf = None, wait_for: WaitFor = None
    ) -> FinancialStatement:
        view = await read(info, lambda c: sq.income_statement_of(c, check_period(period), as_of),
                          wait_for)
        return FinancialStatement.from_view(view)
