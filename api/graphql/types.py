"""Read-side GraphQL types, each built from a read-model view
(``projections.ledger_queries``) by a ``from_view`` function."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domain.ledger.accounts import AccountCategory, Side
from domain.ledger.cash_flow import CashFlowItem
from domain.ledger.entries import EntryKind
from domain.ledger.periods import PeriodStatus
from projections import ledger_queries as q

AccountCategoryEnum = strawberry.enum(AccountCategory, name="AccountCategory")
NormalBalanceEnum = strawberry.enum(Side, name="NormalBalance")
PeriodStatusEnum = strawberry.enum(PeriodStatus, name="PeriodStatus")
EntryKindEnum = strawberry.enum(EntryKind, name="EntryKind")
CashFlowItemEnum = strawberry.enum(
    CashFlowItem, name="CashFlowItem",
    description="A detail line of the 现金流量表 (会小企03表), by its 行次: CF01 销售…收到的现金, "
    "CF02 收到其他与经营活动有关的现金, CF03 购买…支付的现金, CF04 职工薪酬, CF05 税费, CF06 "
    "其他经营支出, CF08 收回投资, CF09 投资收益, CF10 处置长期资产, CF11 投资支付, CF12 购建"
    "长期资产, CF14 取得借款, CF15 吸收投资, CF16 偿还借款, CF17 偿还利息, CF18 分配利润.")


@strawberry.type(description="Cash an entry moved for one purpose of the 现金流量表: inflow "
                 "positive, outflow negative.")
class CashFlow:
    item: CashFlowItemEnum
    line: int
    amount: Decimal


@strawberry.type(description="An account of the chart (会计科目).")
class Account:
    code: str
    name: str
    category: AccountCategoryEnum
    normal_balance: NormalBalanceEnum
    parent_code: str | None
    level: int
    is_leaf: bool = strawberry.field(description="Has no sub-accounts (takesPostings says "
                                     "whether it takes postings).")
    active: bool
    used: bool = strawberry.field(description="Has postings; can no longer get sub-accounts.")
    statement_line: int | None = strawberry.field(
        default=None, description="The statement line it feeds by code (setStatementLine): "
        "a 利润表 其中 line for a P&L account, balance sheet line 14/28/40/45 otherwise.")

    takes_postings: bool = strawberry.field(
        default=True, description="A leaf, or an open parent: 5602 … keep taking postings "
        "of their own (their 其他 part) beside the standard sub-accounts, until split.")

    @classmethod
    def from_view(cls, v: q.AccountView) -> Account:
        return cls(
            code=v.code,
            name=v.name,
            category=AccountCategory(v.category),
            normal_balance=Side(v.normal_balance),
            parent_code=v.parent_code,
            level=v.level,
            is_leaf=v.is_leaf,
            active=v.active,
            used=v.used,
            statement_line=v.statement_line,
            takes_postings=v.is_leaf or v.open_parent,
        )


@strawberry.type(description="A monthly fiscal period (会计期间), e.g. 2026-11.")
class Period:
    period: str
    status: PeriodStatusEnum
    voucher_count: int
    opened_at: str
    closed_at: str | None

    @classmethod
    def from_view(cls, v: q.PeriodView) -> Period:
        return cls(
            period=v.period,
            status=PeriodStatus(v.status),
            voucher_count=v.voucher_count,
            opened_at=v.opened_at,
            closed_at=v.closed_at,
        )


@strawberry.type
class JournalLine:
    line_no: int
    account_code: str
    account_name: str
    debit: Decimal
    credit: Decimal
    memo: str

    @classmethod
    def from_view(cls, v: q.LineView) -> JournalLine:
        return cls(
            line_no=v.line_no,
            account_code=v.account_code,
            account_name=v.account_name,
            debit=v.debit,
            credit=v.credit,
            memo=v.memo,
        )


@strawberry.type(description="The business fact that caused an entry.")
class SourceRef:
    kind: str
    id: str


@strawberry.type(description="A posted journal entry (记账凭证). A reversal carries red "
                 "(negative) amounts and names the entry it reverses.")
class JournalEntry:
    id: strawberry.ID
    log_position: int
    voucher_no: str
    voucher_seq: int
    period: str
    posting_date: date
    summary: str
    kind: EntryKindEnum
    reverses: strawberry.ID | None
    reversed_by: strawberry.ID | None
    total: Decimal
    source: SourceRef | None
    actor: str
    command_id: str
    correlation_id: str
    recorded_at: str
    lines: list[JournalLine]
    cash_flows: list[CashFlow] = strawberry.field(
        description="What it changed cash (1001/1002/1012) by, per purpose; empty when it "
        "moved no cash.")

    @classmethod
    def from_view(cls, v: q.EntryView) -> JournalEntry:
        return cls(
            id=strawberry.ID(v.entry_id),
            log_position=v.position,
            voucher_no=v.voucher_no,
            voucher_seq=v.voucher_seq,
            period=v.period,
            posting_date=v.posting_date,
            summary=v.summary,
            kind=EntryKind(v.kind),
            reverses=strawberry.ID(v.reverses) if v.reverses else None,
            reversed_by=strawberry.ID(v.reversed_by) if v.reversed_by else None,
            total=v.total,
            source=SourceRef(kind=v.source_kind, id=v.source_id or "")
            if v.source_kind
            else None,
            actor=v.actor,
            command_id=v.command_id,
            correlation_id=v.correlation_id,
            recorded_at=v.recorded_at,
            lines=[JournalLine.from_view(line) for line in v.lines],
            cash_flows=[CashFlow(item=CashFlowItem(item), line=CashFlowItem(item).line,
                                 amount=amount) for item, amount in v.cash_flows],
        )


@strawberry.type
class JournalEntryEdge:
    cursor: str
    node: JournalEntry


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Journal entries in log order, a page at a time.")
class JournalEntryConnection:
    edges: list[JournalEntryEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: q.EntryPage) -> JournalEntryConnection:
        return cls(
            edges=[
                JournalEntryEdge(cursor=q.encode_cursor(e.position), node=JournalEntry.from_view(e))
                for e in page.entries
            ],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        )


@strawberry.type(description="One account's line of the trial balance (科目余额表); balances "
                 "are split into debit and credit columns by sign.")
class TrialBalanceRow:
    code: str
    name: str
    level: int
    is_leaf: bool
    opening_debit: Decimal
    opening_credit: Decimal
    debit: Decimal
    credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal

    @classmethod
    def from_view(cls, r: q.TrialBalanceRow) -> TrialBalanceRow:
        opening_debit, opening_credit = q.split(r.opening)
        closing_debit, closing_credit = q.split(r.closing)
        return cls(
            code=r.code,
            name=r.name,
            level=r.level,
            is_leaf=r.is_leaf,
            opening_debit=opening_debit,
            opening_credit=opening_credit,
            debit=r.debit,
            credit=r.credit,
            closing_debit=closing_debit,
            closing_credit=closing_credit,
        )


@strawberry.type(description="科目余额表: opening, turnover (red amounts netted) and closing "
                 "per account; totals count each amount once, from the leaves.")
class TrialBalance:
    period: str
    rows: list[TrialBalanceRow]
    opening_debit: Decimal
    opening_credit: Decimal
    debit: Decimal
    credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal
    balanced: bool

    @classmethod
    def from_view(cls, tb: q.TrialBalance) -> TrialBalance:
        return cls(
            period=tb.period,
            rows=[TrialBalanceRow.from_view(r) for r in tb.rows],
            opening_debit=tb.opening_debit,
            opening_credit=tb.opening_credit,
            debit=tb.debit,
            credit=tb.credit,
            closing_debit=tb.closing_debit,
            closing_credit=tb.closing_credit,
            balanced=tb.balanced,
        )


@strawberry.type(description="A line of the account ledger (明细账). `balance` is the running "
                 "balance as printed, unsigned; `direction` says its side: 借, 贷 or 平.")
class AccountLedgerRow:
    date: date
    voucher_no: str
    entry_id: strawberry.ID
    summary: str
    debit: Decimal
    credit: Decimal
    direction: str
    balance: Decimal

    @classmethod
    def from_view(cls, r: q.LedgerRow) -> AccountLedgerRow:
        return cls(
            date=r.posting_date,
            voucher_no=r.voucher_no,
            entry_id=strawberry.ID(r.entry_id),
            summary=r.summary,
            debit=r.debit,
            credit=r.credit,
            direction=r.direction,
            balance=abs(r.balance),
        )


@strawberry.type(description="明细账 of an account (with its sub-accounts) in a period. "
                 "Balances are unsigned with a direction (借/贷/平).")
class AccountLedger:
    account: Account
    period: str
    opening_direction: str
    opening: Decimal
    rows: list[AccountLedgerRow]
    debit: Decimal
    credit: Decimal
    closing_direction: str
    closing: Decimal

    @classmethod
    def from_view(cls, led: q.AccountLedger) -> AccountLedger:
        return cls(
            account=Account.from_view(led.account),
            period=led.period,
            opening_direction=q.direction(led.opening),
            opening=abs(led.opening),
            rows=[AccountLedgerRow.from_view(r) for r in led.rows],
            debit=led.debit,
            credit=led.credit,
            closing_direction=q.direction(led.closing),
            closing=abs(led.closing),
        )
