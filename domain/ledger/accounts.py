"""Chart of accounts (会计科目表), 小企业会计准则 codes by default.

Codes are 4 digits at the first level and each sub-account extends its
parent's code by two digits (220201 under 2202). Only leaf accounts take
postings. An account once used is never deleted and cannot get sub-accounts
(its balance would be stranded above them); it can be deactivated, or split
(``splitAccount``: its balance moves into a new sub-account by a voucher and
it becomes a heading).

Open parents: the standard sub-accounts of the 利润表's 其中 lines (540301 消费税
… 571105 税收滞纳金, ``data/statement-subaccounts.csv``) sit under 5403, 5601,
5602, 5603, 5301 and 5711, which documents post to directly (depreciation to
5602, scrap to 5711, disposals to 5301/5711). Those parents stay postable
after the install: a posting to the parent itself is its 其他 part, shown in
the parent's 利润表 line and in none of its 其中 lines. Splitting an open
parent moves that part into a named sub-account and closes it to postings.
Each sub-account feeds at most one statement line, by code
(``statement_lines``; ``setStatementLine``).
"""

from __future__ import annotations

import csv
import uuid
import weakref
from dataclasses import dataclass, replace
from enum import Enum
from importlib.resources import files

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.ledger.statements import DETAIL_PARENTS, PARTY_ACCOUNTS, RECLASS_LINES
from domain.transcodings import transcoded


@transcoded("AccountCategory")
class AccountCategory(Enum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    COST = "cost"
    PROFIT_AND_LOSS = "profit_and_loss"


@transcoded("Side")
class Side(Enum):
    """Normal balance side (余额方向)."""

    DEBIT = "debit"
    CREDIT = "credit"


@transcoded("Account")
@dataclass(frozen=True)
class Account:
    code: str
    name: str
    category: AccountCategory
    normal_balance: Side
    active: bool = True

    @property
    def parent_code(self) -> str | None:
        return self.code[:-2] if len(self.code) > 4 else None

    @property
    def level(self) -> int:
        return (len(self.code) - 2) // 2


VALID_CODE_LENGTHS = (4, 6, 8, 10)
CHART_ID = derived_id("chart", "default")

# 控制科目: accounts whose balance is the sum of a sub-ledger, so only the
# documents that keep that sub-ledger may post to them (a manual line would
# pull the ledger away from the stock, the WIP or the open items). Each is
# named with the documents that correct it instead. Sub-accounts inherit.
BUILT_IN_CONTROL: dict[str, str] = {
    "1403": "the stock documents (adjustStock, countStock, returnToSupplier, "
            "returnFromCustomer, returnMaterial)",
    "1405": "the stock documents (adjustStock, countStock, returnFromCustomer, "
            "returnToSupplier)",
    "4001": "the work order (returnMaterial, reportOperation, completeWorkOrder, "
            "closeWorkOrder)",
    "1122": "the sales invoice (issueRedSalesInvoice) or the customer receipt "
            "(recordCustomerReceipt, offsetOpenItems)",
    "2202": "the purchase invoice (cancelPurchaseInvoice), the goods receipt "
            "(returnToSupplier) or the supplier payment (recordSupplierPayment, "
            "offsetOpenItems)",
    "2203": "the customer receipt (recordCustomerReceipt, applyPrepayment, offsetOpenItems)",
    "1123": "the supplier payment (recordSupplierPayment, applyPrepayment, offsetOpenItems)",
}


# What corrects an account the company (or a context, at its first document)
# marked as controlled, when the standard's chart knows which register keeps it.
KNOWN_CORRECTIONS: dict[str, str] = {
    "1601": "the fixed-asset register (acquireFixedAsset, disposeFixedAsset)",
    "1602": "the fixed-asset register (runDepreciation, disposeFixedAsset)",
    "1606": "the fixed-asset register (disposeFixedAsset)",
}


def check_code(code: str, field: str = "code") -> str:
    code = (code or "").strip()
    if not code.isdigit() or not code.isascii() or len(code) not in VALID_CODE_LENGTHS:
        raise ValidationError(
            f"account code {code!r} must be 4 digits, or its parent's code plus 2 digits",
            field,
        )
    return code


def check_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationError("account name must be 1 to 60 characters", field)
    return name


def standard_chart() -> tuple[Account, ...]:
    """The 66 first-level accounts plus the usual sub-accounts (package data)."""
    data = files("domain.ledger") / "data"
    accounts: dict[str, Account] = {}
    with (data / "coa-small-enterprise.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            accounts[row["code"]] = Account(
                code=row["code"],
                name=row["name"],
                category=AccountCategory(row["class"]),
                normal_balance=Side(row["normal_balance"]),
            )
    with (data / "default-subaccounts.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            parent = accounts[row["code"][:-2]]
            accounts[row["code"]] = replace(parent, code=row["code"], name=row["name"])
    return tuple(sorted(accounts.values(), key=lambda a: a.code))


def statement_sub_accounts() -> tuple[tuple[str, str, int], ...]:
    """The standard sub-accounts of the 利润表's 其中 lines: (code, name, line)."""
    data = files("domain.ledger") / "data"
    with (data / "statement-subaccounts.csv").open(encoding="utf-8") as fh:
        return tuple((row["code"], row["name"], int(row["line"])) for row in csv.DictReader(fh))


# The codes that have sub-accounts, per chart object and version: checking a
# posting's accounts walked the whole chart (~200 accounts) for each line. Kept
# outside the aggregate, so its state stays what its events make.
_parents_memo: dict[int, tuple[weakref.ref, int, frozenset[str]]] = {}


def _parent_codes(chart: ChartOfAccounts) -> frozenset[str]:
    known = _parents_memo.get(id(chart))
    if known is not None and known[0]() is chart and known[1] == chart.version:
        return known[2]
    parents = frozenset(a.parent_code for a in chart.accounts.values() if a.parent_code)
    if len(_parents_memo) > 64:
        _parents_memo.clear()
    _parents_memo[id(chart)] = (weakref.ref(chart), chart.version, parents)
    return parents


class ChartOfAccounts(Aggregate):
    """The company's accounts; one aggregate so that adding and using agree."""

    @event("Seeded")
    def __init__(self, accounts: tuple[Account, ...]):
        self.accounts: dict[str, Account] = {a.code: a for a in accounts}
        self.used: set[str] = set()
        # Accounts the company marked as controlled, beyond BUILT_IN_CONTROL.
        self.controlled: set[str] = set()
        # Parents that still take postings of their own (see the module's doc).
        self.open_parents: set[str] = set()
        # Account code -> the statement line it feeds (其中 or reclassified).
        self.statement_lines: dict[str, int] = {}

    @classmethod
    def create_id(cls, **_: object) -> uuid.UUID:
        return CHART_ID

    # -- queries -------------------------------------------------------------
    def get(self, code: str, field: str = "account") -> Account:
        try:
            return self.accounts[code]
        except KeyError:
            raise NotFound(f"account {code} does not exist", "Account", code) from None

    def children(self, code: str) -> list[Account]:
        return [a for a in self.accounts.values() if a.parent_code == code]

    def is_leaf(self, code: str) -> bool:
        return code not in _parent_codes(self)

    def is_open_parent(self, code: str) -> bool:
        return code in getattr(self, "open_parents", ())

    def check_postable(self, code: str, field: str) -> Account:
        """Only an active leaf account (or an open parent) takes postings."""
        account = self.get(code, field)
        if not self.is_leaf(code) and not self.is_open_parent(code):
            raise BusinessRuleViolation(
                "ACCOUNT_NOT_LEAF",
                f"account {code} {account.name} has sub-accounts; post to one of them",
            )
        if not account.active:
            raise BusinessRuleViolation(
                "ACCOUNT_INACTIVE", f"account {code} {account.name} is deactivated"
            )
        return account

    def control_of(self, code: str) -> str | None:
        """The controlled account (``code`` itself or an ancestor) that makes
        ``code`` a control account, or None."""
        controlled = getattr(self, "controlled", set())
        for prefix in (code[:n] for n in VALID_CODE_LENGTHS if n <= len(code)):
            if prefix in BUILT_IN_CONTROL or prefix in controlled:
                return prefix
        return None

    def correction_for(self, code: str) -> str:
        """What to correct instead of posting a manual line on a control account."""
        control = self.control_of(code)
        if control in BUILT_IN_CONTROL:
            return BUILT_IN_CONTROL[control]
        if control in KNOWN_CORRECTIONS:
            return KNOWN_CORRECTIONS[control]
        return "the document that posted it (a return, red invoice, stock adjustment or " \
               "cash document)"

    def check_manual(self, code: str, field: str) -> None:
        """A manual journal line may not touch a control account (控制科目)."""
        if self.control_of(code) is not None:
            account = self.get(code, field)
            raise BusinessRuleViolation(
                "CONTROL_ACCOUNT",
                f"account {code} {account.name} ({field}) is a control account kept by "
                f"its sub-ledger and takes no manual line; post through "
                f"{self.correction_for(code)} instead",
            )

    # -- commands ------------------------------------------------------------
    def set_controlled(self, code: str, controlled: bool) -> Account:
        """Mark (or unmark) an account as a control account. The built-in ones,
        and accounts under a controlled parent, stay controlled."""
        account = self.get(check_code(code))
        control = self.control_of(account.code)
        if controlled:
            if control is not None:
                raise BusinessRuleViolation(
                    "ACCOUNT_STATE_UNCHANGED",
                    f"account {code} is already controlled (through {control})",
                )
        else:
            if control is None:
                raise BusinessRuleViolation(
                    "ACCOUNT_STATE_UNCHANGED", f"account {code} is not controlled"
                )
            if control in BUILT_IN_CONTROL:
                raise BusinessRuleViolation(
                    "CONTROL_ACCOUNT_BUILT_IN",
                    f"account {code} is controlled through {control}, a built-in control "
                    "account (stock, WIP, receivables, payables, prepayments); it stays "
                    "controlled",
                )
            if control != account.code:
                raise BusinessRuleViolation(
                    "CONTROL_ACCOUNT_INHERITED",
                    f"account {code} is controlled through its parent {control}; unmark "
                    f"{control} instead",
                )
        self._control_set(account.code, controlled)
        return account

    @event("AccountControlSet")
    def _control_set(self, code: str, controlled: bool) -> None:
        if not hasattr(self, "controlled"):
            self.controlled = set()
        if controlled:
            self.controlled.add(code)
        else:
            self.controlled.discard(code)

    def add_account(
        self,
        code: str,
        name: str,
        category: AccountCategory | None = None,
        normal_balance: Side | None = None,
    ) -> Account:
        code, name = check_code(code), check_name(name)
        if code in self.accounts:
            raise BusinessRuleViolation("ACCOUNT_EXISTS", f"account {code} already exists")
        parent_code = code[:-2] if len(code) > 4 else None
        if parent_code is None:
            if category is None or normal_balance is None:
                raise ValidationError(
                    "a first-level account needs its category and normal balance", "category"
                )
            account = Account(code, name, category, normal_balance)
        else:
            parent = self.accounts.get(parent_code)
            if parent is None:
                raise NotFound(
                    f"parent account {parent_code} of {code} does not exist",
                    "Account",
                    parent_code,
                )
            if parent_code in self.used and not self.is_open_parent(parent_code):
                raise BusinessRuleViolation(
                    "PARENT_HAS_POSTINGS",
                    f"account {parent_code} {parent.name} already has postings; "
                    "a sub-account would strand its balance",
                )
            if not parent.active:
                raise BusinessRuleViolation(
                    "ACCOUNT_INACTIVE", f"parent account {parent_code} is deactivated"
                )
            # A sub-account always shares its parent's category and balance side.
            account = Account(code, name, parent.category, parent.normal_balance)
        self._account_added(account)
        return account

    @event("AccountAdded")
    def _account_added(self, account: Account) -> None:
        self.accounts[account.code] = account

    def rename_account(self, code: str, name: str) -> Account:
        account = self.get(check_code(code))
        self._account_renamed(account.code, check_name(name))
        return self.accounts[account.code]

    @event("AccountRenamed")
    def _account_renamed(self, code: str, name: str) -> None:
        self.accounts[code] = replace(self.accounts[code], name=name)

    def set_active(self, code: str, active: bool) -> Account:
        account = self.get(check_code(code))
        if account.active == active:
            state = "active" if active else "deactivated"
            raise BusinessRuleViolation(
                "ACCOUNT_STATE_UNCHANGED", f"account {code} is already {state}"
            )
        if active and account.parent_code and not self.accounts[account.parent_code].active:
            raise BusinessRuleViolation(
                "ACCOUNT_INACTIVE", f"parent account {account.parent_code} is deactivated"
            )
        if active:
            self._account_reactivated(code)
        else:
            # Deactivating a parent deactivates its whole subtree.
            for sub in sorted(c for c in self.accounts if c.startswith(code)):
                if self.accounts[sub].active:
                    self._account_deactivated(sub)
        return self.accounts[code]

    @event("AccountDeactivated")
    def _account_deactivated(self, code: str) -> None:
        self.accounts[code] = replace(self.accounts[code], active=False)

    @event("AccountReactivated")
    def _account_reactivated(self, code: str) -> None:
        self.accounts[code] = replace(self.accounts[code], active=True)

    def unused_of(self, codes: set[str]) -> set[str]:
        return codes - self.used

    def mark_used(self, codes: set[str]) -> None:
        """First posting to an account: from now on it cannot get sub-accounts."""
        new = tuple(sorted(codes - self.used))
        if new:
            self._accounts_used(new)

    @event("AccountsUsed")
    def _accounts_used(self, codes: tuple[str, ...]) -> None:
        self.used.update(codes)

    # -- statement sub-accounts and lines --------------------------------------------
    def lines_of(self) -> dict[str, int]:
        return dict(getattr(self, "statement_lines", {}))

    def install_statement_sub_accounts(self) -> tuple[Account, ...]:
        """Add the standard sub-accounts of the 利润表's 其中 lines that the chart
        lacks and map each to its line. A parent that is a leaf now (used or
        not) stays open to postings; a name the company already has under the
        parent is mapped, not added again; a code the company took for
        something else moves to the parent's next free code."""
        added: list[Account] = []
        lines: list[tuple[str, int]] = []
        opened: list[str] = []
        taken = set(self.accounts)
        mapped = self.lines_of()
        for code, name, line in statement_sub_accounts():
            parent = self.accounts.get(code[:-2])
            if parent is None or not parent.active:
                continue
            same = [a.code for a in self.accounts.values()
                    if a.parent_code == parent.code and a.name == name]
            if same:
                if same[0] not in mapped and not self._overlap(same[0], mapped):
                    lines.append((same[0], line))
                continue
            if code in taken:
                free = [f"{parent.code}{n:02d}" for n in range(1, 100)
                        if f"{parent.code}{n:02d}" not in taken]
                if not free:
                    continue
                code = free[0]
            if self.is_leaf(parent.code) and parent.code not in opened:
                opened.append(parent.code)
            taken.add(code)
            added.append(Account(code, name, parent.category, parent.normal_balance))
            lines.append((code, line))
        if not added and not lines:
            raise BusinessRuleViolation(
                "STATEMENT_SUB_ACCOUNTS_INSTALLED",
                "the chart already has the standard sub-accounts of the 利润表's 其中 lines")
        self._statement_sub_accounts_installed(tuple(added), tuple(opened), tuple(lines))
        return tuple(added)

    @event("StatementSubAccountsInstalled")
    def _statement_sub_accounts_installed(self, accounts: tuple[Account, ...],
                                          open_parents: tuple[str, ...],
                                          lines: tuple[tuple[str, int], ...]) -> None:
        self.open_parents = set(getattr(self, "open_parents", ())) | set(open_parents)
        for account in accounts:
            self.accounts[account.code] = account
        self.statement_lines = {**getattr(self, "statement_lines", {}),
                                **{code: int(line) for code, line in lines}}

    @staticmethod
    def _overlap(code: str, mapped: dict[str, int]) -> str | None:
        for other in mapped:
            if other != code and (other.startswith(code) or code.startswith(other)):
                return other
        return None

    def set_statement_line(self, code: str, line: int | None) -> Account:
        """Map an account (with its sub-accounts) to a statement line, by code:
        a P&L sub-account to a 其中 line of the 利润表 under its own parent
        line; an asset to balance sheet line 14 or 28, a liability to 40 or 45
        (reclassified there from its usual line). ``line`` None: unmapped."""
        account = self.get(check_code(code))
        mapped = self.lines_of()
        if line is None:
            if account.code not in mapped:
                raise BusinessRuleViolation(
                    "STATEMENT_LINE_UNCHANGED", f"account {code} feeds no statement line")
            self._statement_line_set(account.code, None)
            return account
        if account.category is AccountCategory.PROFIT_AND_LOSS:
            parent = DETAIL_PARENTS.get(line)
            if parent is None:
                raise ValidationError(
                    f"line {line} of the 利润表 is not a 其中 line; choose one of "
                    f"{', '.join(str(n) for n in sorted(DETAIL_PARENTS))}", "line")
            if account.code == parent or not account.code.startswith(parent):
                raise BusinessRuleViolation(
                    "STATEMENT_LINE_ACCOUNT",
                    f"利润表 line {line} is a part of {parent}; map a sub-account of "
                    f"{parent} to it, not {account.code} {account.name}")
        else:
            side = RECLASS_LINES.get(line)
            if side is None:
                raise ValidationError(
                    f"balance sheet line {line} takes no reclassified accounts; choose "
                    "14 or 28 (assets), 40 or 45 (liabilities)", "line")
            if account.category.value != side:
                raise BusinessRuleViolation(
                    "STATEMENT_LINE_ACCOUNT",
                    f"balance sheet line {line} takes {side} accounts; {account.code} "
                    f"{account.name} is {account.category.value}")
            if account.code.startswith(PARTY_ACCOUNTS):
                raise BusinessRuleViolation(
                    "STATEMENT_LINE_ACCOUNT",
                    f"{account.code} {account.name} is shown per customer or supplier "
                    "(应收/预收, 应付/预付) and is not reclassified")
        if mapped.get(account.code) == line:
            raise BusinessRuleViolation(
                "STATEMENT_LINE_UNCHANGED", f"account {code} already feeds line {line}")
        other = self._overlap(account.code, mapped)
        if other is not None:
            raise BusinessRuleViolation(
                "STATEMENT_LINE_OVERLAP",
                f"{other} already feeds line {mapped[other]} and overlaps {account.code}; "
                "map accounts of one branch once")
        self._statement_line_set(account.code, line)
        return account

    @event("StatementLineSet")
    def _statement_line_set(self, code: str, line: int | None) -> None:
        lines = dict(getattr(self, "statement_lines", {}))
        if line is None:
            lines.pop(code, None)
        else:
            lines[code] = int(line)
        self.statement_lines = lines

    # -- splitting a used account ----------------------------------------------------
    def open_parent(self, code: str) -> None:
        """Let ``code`` take sub-accounts while it keeps its own postings (the
        first step of a split)."""
        if not self.is_open_parent(code):
            self._parent_opened(code)

    @event("AccountOpenedAsParent")
    def _parent_opened(self, code: str) -> None:
        self.open_parents = set(getattr(self, "open_parents", ())) | {code}

    def make_heading(self, code: str) -> None:
        """``code`` takes no postings of its own any more (its balance was moved)."""
        if self.is_open_parent(code):
            self._made_heading(code)

    @event("AccountMadeHeading")
    def _made_heading(self, code: str) -> None:
        self.open_parents = set(getattr(self, "open_parents", ())) - {code}
