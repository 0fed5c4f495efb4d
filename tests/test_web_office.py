"""The office pages' helpers without a browser (tests/web has the browser):
the month-end close's preview is what the commands then post, the voucher
form's lines, the order lines of a receipt, the Gantt's layout."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from starlette.datastructures import FormData

from api.web.pages.accounts import close_preview, voucher_lines
from api.web.pages.planner import gantt
from api.web.pages.stores import move_lines
from domain.errors import ValidationError
from projections import ledger_queries as lq
from tests.test_period_end import post_bolt_kit_month


def _lines(lines) -> list[tuple[str, str, str]]:
    return sorted((ln.account, f"{Decimal(ln.debit or 0):.2f}", f"{Decimal(ln.credit or 0):.2f}")
                  for ln in lines)


def _posted(rt, entry_id) -> list[tuple[str, str, str]]:
    rt.settle(rt.app.log_position())
    with rt.read() as conn:
        entry = lq.journal_entry(conn, entry_id)
    return sorted((ln.account_code, f"{ln.debit:.2f}", f"{ln.credit:.2f}") for ln in entry.lines)


def test_the_close_preview_is_what_settling_and_closing_then_post(runtime):
    """The bolt-kit month: 4101 holds 100.00 electricity - 40.00 - 52.50 applied
    = 7.50 under-applied, to 5401. Then 结转损益: revenue 2,000.00 against cost
    of sales 495.00 + 7.50 = 502.50: profit 1,497.50 to 3103."""
    rt = post_bolt_kit_month(runtime)
    rt.settle(rt.app.log_position())
    with rt.read() as conn:
        before = close_preview(conn, "2026-11")
    assert before.status == "open"
    assert _lines(before.overhead) == [("4101", "0.00", "7.50"), ("5401", "7.50", "0.00")]
    assert before.profit == Decimal("1497.50")  # as it will be once the overhead is settled
    assert _lines(before.transfer) == [("3103", "0.00", "1497.50"), ("5001", "2000.00", "0.00"),
                                       ("5401", "0.00", "502.50")]
    assert before.carry == []  # not December

    settled = rt.app.settle_overhead("2026-11")
    assert _posted(rt, settled.value.entry_id) == _lines(before.overhead)
    with rt.read() as conn:
        middle = close_preview(conn, "2026-11")
    assert middle.overhead == [] and _lines(middle.transfer) == _lines(before.transfer)
    closed = rt.app.close_books("2026-11")
    assert _posted(rt, closed.value.transfer_entry_id) == _lines(before.transfer)
    with rt.read() as conn:
        after = close_preview(conn, "2026-11")
    assert (after.status, after.overhead, after.transfer) == ("closed", [], [])


def test_the_voucher_form_keeps_the_filled_lines_as_text():
    form = FormData([("account", "5602"), ("memo", "纸张"), ("debit", "1,234.50"), ("credit", ""),
                     ("account", ""), ("memo", ""), ("debit", ""), ("credit", ""),
                     ("account", "1002"), ("memo", ""), ("debit", ""), ("credit", "1234.5")])
    lines = voucher_lines(form)
    assert [(ln.account, ln.debit, ln.credit, ln.memo) for ln in lines] == [
        ("5602", "1234.50", None, "纸张"), ("1002", None, "1234.5", "")]


def test_a_receipt_takes_the_lines_with_a_quantity_and_refuses_none():
    form = FormData([("line_no", "1"), ("qty", "25"), ("lot", " L7 "), ("location", ""),
                     ("line_no", "2"), ("qty", ""), ("lot", ""), ("location", "")])
    assert [(m.line_no, m.qty, m.lot) for m in move_lines(form)] == [(1, "25", "L7")]
    with pytest.raises(ValidationError, match="at least one line"):
        move_lines(FormData([("line_no", "1"), ("qty", " "), ("lot", ""), ("location", "")]))


def test_the_gantt_places_bars_in_per_cent_of_whole_days():
    op = lambda order, center, unit, start, end: SimpleNamespace(  # noqa: E731
        order=order, work_center=center, unit=unit, start=start, end=end, op_no="OP10")
    ops = [op("WO-000002", "WC-HEAD", 0, datetime(2026, 12, 2, 8), datetime(2026, 12, 2, 20)),
           op("WO-000001", "WC-HEAD", 0, datetime(2026, 12, 1, 12), datetime(2026, 12, 1, 18)),
           op("WO-000001", "WC-PLATE", 1, datetime(2026, 12, 1, 18), datetime(2026, 12, 2, 6))]
    chart = gantt(ops, datetime(2026, 12, 1, 9, 30), late={"WO-000002"})
    assert [d["day"] for d in chart["days"]] == [date(2026, 12, 1), date(2026, 12, 2)]
    head, plate = chart["rows"]
    assert (head["work_center"], [b["op"].order for b in head["bars"]]) == (
        "WC-HEAD", ["WO-000001", "WO-000002"])
    # two days = 48 h: 12:00 on the 1st is 25 %, 6 h wide is 12.5 %
    assert (head["bars"][0]["left"], head["bars"][0]["width"]) == (25.0, 12.5)
    assert (head["bars"][1]["left"], head["bars"][1]["width"], head["bars"][1]["late"]) == (
        66.667, 25.0, True)
    assert (plate["unit"], plate["bars"][0]["left"]) == (1, 37.5)
    assert gantt([], datetime(2026, 12, 1), set()) == {"rows": [], "days": []}


def test_as_of_a_moment_is_the_position_of_the_last_voucher_recorded_by_then(runtime):
    from sqlalchemy import select

    from api.web.pages.accounts import position_at
    from projections.tables import ledger_entries as e

    rt = post_bolt_kit_month(runtime)
    rt.settle(rt.app.log_position())
    with rt.read() as conn:
        rows = conn.execute(select(e.c.position, e.c.recorded_at).order_by(e.c.position)).all()
        first, last = rows[0], rows[-1]
        assert position_at(conn, datetime.fromisoformat(first.recorded_at)) == first.position
        assert position_at(conn, datetime.fromisoformat(last.recorded_at)) == last.position
        assert position_at(conn, datetime(2000, 1, 1, tzinfo=UTC)) == 0
