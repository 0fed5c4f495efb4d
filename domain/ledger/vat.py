"""VAT at month end (增值税月末处理) for a general taxpayer: 转出未交增值税.

222101 应交增值税 and its sub-accounts (22210101 进项税额, 22210102 销项税额,
22210103 进项税额转出, 22210104 已交税金, 22210105 转出未交增值税) hold the
month's VAT. At month end a credit balance of 222101 as a whole (output and
input transferred out above input, the credit carried and what was prepaid)
is the VAT the month owes: it moves to 222102 未交增值税, Dr 22210105 / Cr
222102, and is paid from there next month. A debit balance stays where it is:
it is the input VAT carried forward (期末留抵税额) to the next month.

The balance comes from the period aggregates' nets (every month of every
year up to the period), never from a read model, like the other period-end
entries (domain/ledger/period_end.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eventsourcing.application import AggregateNotFoundError

from domain.ledger.entries import LineInput, SourceRef
from domain.ledger.gate import fiscal_period
from domain.ledger.period_end import closing_day
from domain.ledger.periods import FiscalPeriod, check_period, period_id, voucher_number
from domain.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
VAT = "222101"  # 应交增值税
INPUT = "22210101"  # 进项税额
OUTPUT = "22210102"  # 销项税额
INPUT_TRANSFERRED_OUT = "22210103"  # 进项税额转出
PAID = "22210104"  # 已交税金
TRANSFERRED = "22210105"  # 转出未交增值税
UNPAID = "222102"  # 未交增值税
MAX_YEARS_BACK = 100


@dataclass(frozen=True)
class VatTransferred:
    period: str
    payable: str = "0.00"  # moved to 222102 by this entry
    carried_forward: str = "0.00"  # input VAT left to the next month (留抵)
    entry_id: str = ""
    voucher_no: str = ""


def month_end_transfer(balance: Decimal) -> tuple[Decimal, Decimal]:
    """(to transfer to 222102, to carry forward) for 222101's balance, debit positive."""
    return (-balance, ZERO) if balance < 0 else (ZERO, balance)


def transfer_vat(uow: UnitOfWork, period: str, posting_date: date | None = None
                 ) -> VatTransferred:
    """转出未交增值税 of ``period``: 222101's credit balance at its end to 222102
    (Dr 22210105 / Cr 222102); a debit balance is carried forward. Asked again
    after the transfer, it finds nothing left to transfer."""
    period = check_period(period)
    day = closing_day(period, posting_date)
    fiscal = fiscal_period(uow, period)
    fiscal.check_open()
    payable, carried = month_end_transfer(balance_through(uow.repository, fiscal, VAT))
    if not payable:
        uow.business_date(day)
        return VatTransferred(period, str(payable), str(carried))
    entry = uow.post(day, f"转出未交增值税 {period}", [
        LineInput(TRANSFERRED, debit=payable, memo="转出未交增值税"),
        LineInput(UNPAID, credit=payable, memo="未交增值税")],
        SourceRef("vat_transfer", period, "转出未交增值税"))
    return VatTransferred(period, str(payable), str(carried), str(entry.id),
                          voucher_number(entry.voucher_seq))


def balance_through(repository, fiscal: FiscalPeriod, prefix: str) -> Decimal:
    """What ``prefix`` (with its sub-accounts) holds at the end of ``fiscal``'s
    period, debit positive: the nets of every period up to it, in every year
    back to the first with no period at all."""
    year, month = int(fiscal.period[:4]), int(fiscal.period[5:])
    total = fiscal.net(prefix)
    months = [f"{year:04d}-{m:02d}" for m in range(month - 1, 0, -1)]
    for back in range(1, MAX_YEARS_BACK + 1):
        found = False
        for code in months:
            try:
                earlier = repository.get(period_id(code), deepcopy_from_cache=False)
            except AggregateNotFoundError:
                continue
            found = True
            total += earlier.net(prefix)
        if not found and back > 1:
            break
        months = [f"{year - back:04d}-{m:02d}" for m in range(12, 0, -1)]
    return total
