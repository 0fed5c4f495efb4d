"""The accountant's pages: vouchers (list, entry with a live Dr = Cr check,
reversal), 科目余额表, 明细账, 资产负债表 and 利润表 for a period as they
stand or as of a log position or a moment, their XLSX/CSV files, the 数电票
list with a print view, AR/AP aging and party statements, and the month-end
close as a guided page that shows what each step will post before it posts.

Figures come from the read-model queries GraphQL reads; actions run the use
cases GraphQL's mutations run. The close's previews call the pure closing
rules the commands call (``domain.ledger.closing``) on the read models' nets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from anyio import to_thread
from sqlalchemy import func, select
from starlette.responses import HTMLResponse, Response

from api.exports import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx
from api.web.forms import form_day
from api.web.framework import Nav, Web, page
from domain.errors import ValidationError
from domain.invoicing.einvoice import invoice_html
from domain.ledger import closing
from domain.ledger.entries import LineInput
from domain.ledger.period_end import OverheadMethod
from domain.ledger.periods import check_period
from domain.workflows.period_end import settle_overhead
from projections import cash_queries as cq
from projections import invoicing_queries as invq
from projections import ledger_queries as lq
from projections import statement_queries as sq
from projections.reports import report
from projections.tables import ledger_accounts, ledger_entries

ZERO = Decimal("0.00")


def N_(message: str) -> str:  # noqa: N802 - marks a message id for extraction only
    return message


# shown through _("period " + status): ids of their own ("closed" is a work order's too)
PERIOD_STATES = (N_("period open"), N_("period closed"), N_("period not opened"))
REPORTS = ("balance-sheet", "income-statement", "cash-flow-statement", "trial-balance")


async def _period(web: Web, value: str | None = None) -> str:
    """The period asked for, else the current month."""
    text = (value if value is not None else web.request.query_params.get("period") or "").strip()
    if text:
        return check_period(text)
    today = await web.call(lambda app: app.today())
    return f"{today:%Y-%m}"


# -- vouchers -----------------------------------------------------------------------------
@page("/accounts", reads=("journalEntries",), nav=Nav("Vouchers", order=60))
async def vouchers(web: Web) -> Response:
    period = await _period(web)
    account = (web.request.query_params.get("account") or "").strip() or None
    found = await web.read("journalEntries", lambda c: lq.journal_entries(
        c, period=period, account=account, first=500))
    return web.render("accounts/vouchers.html", period=period, account=account or "",
                      entries=found.entries, may_post=web.may(command="post_journal_entry"),
                      may_reverse=web.may(command="reverse_journal_entry"),
                      done=web.request.query_params.get("done", ""))


@page("/accounts/vouchers/new", reads=("accounts",), command="post_journal_entry")
async def voucher_form(web: Web) -> Response:
    chart = await web.read("accounts", lambda c: lq.accounts(c))
    today = await web.call(lambda app: app.today())
    return web.render("accounts/voucher_form.html", chart=[a for a in chart if a.is_leaf],
                      today=today, rows=range(4))


def voucher_lines(form) -> list[LineInput]:
    """The form's filled lines as the command takes them (amounts as text:
    the command parses and checks them)."""
    accounts, debits = form.getlist("account"), form.getlist("debit")
    credits, memos = form.getlist("credit"), form.getlist("memo")
    lines = []
    for account, debit, credit, memo in zip(accounts, debits, credits, memos, strict=False):
        account, debit, credit = account.strip(), debit.strip(), credit.strip()
        if not (account or debit or credit):
            continue
        lines.append(LineInput(account, debit.replace(",", "") or None,
                               credit.replace(",", "") or None, memo.strip()))
    return lines


@page("/accounts/vouchers/new", methods=("POST",), command="post_journal_entry")
async def post_voucher(web: Web) -> Response:
    form = await web.request.form()
    day = form_day(str(form.get("posting_date") or ""), "postingDate")
    summary = str(form.get("summary") or "").strip()
    lines = voucher_lines(form)
    outcome = await web.run(lambda app, ctx: app.post_journal_entry(day, summary, lines, ctx=ctx),
                            str(form.get("key") or "") or None)
    return web.redirect(f"/accounts?period={day:%Y-%m}&done={quote(outcome.value.voucher_no)}")


@page("/accounts/vouchers/reverse", methods=("POST",), command="reverse_journal_entry")
async def reverse(web: Web) -> Response:
    form = await web.form()
    entry = (form.get("entry_id") or "").strip()
    day = form_day(form.get("posting_date"), "postingDate")
    outcome = await web.run(lambda app, ctx: app.reverse_journal_entry(
        entry, day, (form.get("summary") or "").strip() or None, ctx=ctx),
        form.get("key") or None)
    value = outcome.value
    return web.redirect(f"/accounts?period={await _period(web, form.get('period'))}"
                        f"&done={quote(getattr(value, 'voucher_no', ''))}")


# -- trial balance and account ledger ---------------------------------------------------------
@page("/accounts/trial-balance", reads=("trialBalance",), nav=Nav("Trial balance", order=61))
async def trial_balance(web: Web) -> Response:
    period = await _period(web)
    tb = await web.read("trialBalance", lambda c: lq.trial_balance(c, period))
    return web.render("accounts/trial_balance.html", period=period, tb=tb)


@page("/accounts/ledger", reads=("accountLedger",))
async def account_ledger(web: Web) -> Response:
    period = await _period(web)
    code = (web.request.query_params.get("account") or "1002").strip()
    found = await web.read("accountLedger", lambda c: lq.account_ledger(c, code, period))
    if found is None:
        raise ValidationError(f"account {code} does not exist", "account")
    return web.render("accounts/ledger.html", period=period, ledger=found, code=code)


# -- statements ---------------------------------------------------------------------------
def position_at(conn, moment: datetime) -> int:
    """The log position of the last voucher recorded at or before ``moment``
    (0: none yet): the statements "as of" a time read the log up to there."""
    stamp = moment.astimezone(ZoneInfo("UTC")).isoformat()
    found = conn.execute(select(func.max(ledger_entries.c.position))
                         .where(ledger_entries.c.recorded_at <= stamp)).scalar()
    return int(found or 0)


@page("/accounts/statements", reads=("balanceSheet", "incomeStatement"),
      nav=Nav("Statements", order=62))
async def statements(web: Web) -> Response:
    params = web.request.query_params
    period = await _period(web)
    raw_position, raw_time = (params.get("asOf") or "").strip(), (params.get("at") or "").strip()
    as_of: int | None = None
    if raw_position:
        try:
            as_of = int(raw_position)
        except ValueError:
            raise ValidationError(f"asOf {raw_position!r} is not a log position", "asOf") from None
    elif raw_time:
        try:
            moment = datetime.fromisoformat(raw_time)
        except ValueError:
            raise ValidationError("at must be a time like 2026-11-30T18:00", "at") from None
        if moment.tzinfo is None:
            zone = await web.call(lambda app: app.date_settings().time_zone)
            moment = moment.replace(tzinfo=ZoneInfo(zone))
        as_of = await web.read("balanceSheet", lambda c: position_at(c, moment))

    def load(conn):
        return sq.balance_sheet_of(conn, period, as_of), sq.income_statement_of(conn, period,
                                                                                  as_of)

    balance, income = await web.read("balanceSheet", load)
    web.context.check_read("incomeStatement")
    return web.render("accounts/statements.html", period=period, balance=balance,
                      income=income, as_of=as_of, at=raw_time,
                      may_download=web.may(reads=("download:reports",)))


@page("/accounts/download", reads=("download:reports",))
async def download(web: Web) -> Response:
    """A report as XLSX or CSV: the table api/downloads.py sends (``report``,
    ``to_xlsx``/``to_csv``), for a signed-in browser (the API's route takes a
    bearer token)."""
    params = web.request.query_params
    name, fmt = params.get("name", ""), params.get("format", "xlsx")
    if name not in REPORTS or fmt not in ("xlsx", "csv"):
        raise ValidationError(f"name must be one of {', '.join(REPORTS)}; format xlsx or csv",
                              "name")
    period = check_period(params.get("period", ""))
    raw = (params.get("asOf") or "").strip()
    as_of = int(raw) if raw.isdigit() else None
    await to_thread.run_sync(web.runtime.settle, web.runtime.app.log_position())
    table = await web.read("download:reports", lambda c: report(c, name, period, as_of))
    stem = f"{name}-{period}" + (f"-asof-{as_of}" if as_of is not None else "")
    headers = {"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'}
    if fmt == "xlsx":
        body = to_xlsx(table, datetime.combine(closing.last_day(period), datetime.min.time()))
        return Response(body, media_type=XLSX_TYPE, headers=headers)
    return Response(to_csv(table), media_type=CSV_TYPE, headers=headers)


# -- 数电票 -------------------------------------------------------------------------------
@page("/accounts/invoices", reads=("salesInvoices",), nav=Nav("Invoices", order=63))
async def invoices(web: Web) -> Response:
    period = (web.request.query_params.get("period") or "").strip() or None
    rows, _more, _cursor = await web.read("salesInvoices", lambda c: invq.invoices_page(
        c, period=check_period(period) if period else None, first=500))
    return web.render("accounts/invoices.html", rows=rows, period=period or "")


@page("/accounts/invoices/{number}", reads=("salesInvoice",))
async def invoice_print(web: Web) -> Response:
    """The printable 数电票 (the page api/downloads.py renders from the store)."""
    number = web.request.path_params["number"]
    found = await web.call(lambda app: app.sales_invoice(number))
    return web.finish(HTMLResponse(invoice_html(found)))


# -- AR / AP ------------------------------------------------------------------------------
@page("/accounts/aging", reads=("aging",), nav=Nav("Aging", order=64))
async def aging(web: Web) -> Response:
    params = web.request.query_params
    ledger = cq.check_ledger(params.get("ledger") or "receivable")
    as_of = form_day(params.get("asOf"), "asOf") or await web.call(lambda app: app.today())
    found = await web.read("aging", lambda c: cq.aging(c, ledger, as_of))
    return web.render("accounts/aging.html", aging=found, buckets=[b[0] for b in cq.BUCKETS],
                      ledger=ledger.value, as_of=as_of)


@page("/accounts/statement", reads=("partyStatement",))
async def party_statement(web: Web) -> Response:
    params = web.request.query_params
    party = (params.get("party") or "").strip().upper()
    today = await web.call(lambda app: app.today())
    first = form_day(params.get("from"), "from") or today.replace(day=1)
    last = form_day(params.get("to"), "to") or today
    found = await web.read("partyStatement", lambda c: cq.party_statement(c, party, first, last))
    if found is None:
        raise ValidationError(f"party {party} does not exist", "party")
    return web.render("accounts/party_statement.html", st=found)


# -- the month-end close ------------------------------------------------------------------
@dataclass(frozen=True)
class ClosePreview:
    period: str
    status: str
    overhead: list[LineInput]  # what 结转制造费用 will post (to cost of sales)
    transfer: list[LineInput]  # what 结转损益 will post, after the overhead
    profit: Decimal
    carry: list[LineInput]  # December: the year's profit to 3104 利润分配 (年末结转)


def year_to_date_nets(conn, period: str) -> dict[str, Decimal]:
    """Each account's net over the year through ``period``, closing entries
    included: what the period aggregates hold (``period_end.year_to_date``)."""
    f = sq.figures(conn, period)
    codes = set(f.closing) | set(f.year_opening)
    return {a: f.closing.get(a, ZERO) - f.year_opening.get(a, ZERO) for a in codes}


def close_preview(conn, period: str) -> ClosePreview:
    nets = year_to_date_nets(conn, period)
    overhead = {a: n for a, n in nets.items() if a.startswith(closing.OVERHEAD) and n}
    settle_lines = (closing.overhead_settlement(overhead, closing.COST_OF_SALES)
                    if sum(overhead.values(), ZERO) else [])
    after = dict(nets)
    for line in settle_lines:  # the books once the overhead is settled
        after[line.account] = (after.get(line.account, ZERO) + Decimal(line.debit or 0)
                               - Decimal(line.credit or 0))
    pl_codes = set(conn.execute(select(ledger_accounts.c.code).where(
        ledger_accounts.c.category == "profit_and_loss")).scalars())
    pl = {a: n for a, n in after.items() if a in pl_codes and n}
    transfer, profit = closing.profit_and_loss_transfer(pl)
    carry: list[LineInput] = []
    if period.endswith("-12"):  # as close_books: 3103's credit balance once transferred
        this_year = -(after.get(closing.PROFIT_THIS_YEAR, ZERO) - profit)
        carry = closing.year_end_carry_forward(this_year, closing.PROFIT_DISTRIBUTION)
        carry = carry if this_year else []
    status = next((p.status for p in lq.periods(conn) if p.period == period), "")
    return ClosePreview(period, status, settle_lines, transfer if pl else [], profit, carry)


@page("/accounts/close", reads=("trialBalance", "periods"), command="close_books",
      nav=Nav("Month-end close", order=65))
async def close_page(web: Web) -> Response:
    period = await _period(web)
    preview = await web.read("trialBalance", lambda c: close_preview(c, period))
    names = await web.read("accounts", lambda c: {a.code: a.name for a in lq.accounts(c)})
    return web.render("accounts/close.html", period=period, preview=preview, names=names,
                      done=web.request.query_params.get("done", ""))


@page("/accounts/close/overhead", methods=("POST",), command="settle_overhead")
async def close_overhead(web: Web) -> Response:
    form = await web.form()
    period = check_period(form.get("period") or "")
    inputs = web.runtime.inputs
    outcome = await web.run(lambda app, ctx: settle_overhead(
        app, inputs, period, OverheadMethod.COST_OF_SALES, None, ctx), form.get("key") or None)
    return web.redirect(f"/accounts/close?period={period}&done={quote(outcome.value.voucher_no)}")


@page("/accounts/close/books", methods=("POST",), command="close_books")
async def close_books(web: Web) -> Response:
    form = await web.form()
    period = check_period(form.get("period") or "")
    outcome = await web.run(lambda app, ctx: app.close_books(period, None, ctx=ctx),
                            form.get("key") or None)
    done = outcome.value.transfer_voucher_no or "closed"
    return web.redirect(f"/accounts/close?period={period}&done={quote(done)}")
