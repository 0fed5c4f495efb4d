"""An event is never changed after it is made: what a command saves is what a
replay of the log rebuilds. Stock documents whose movements are decided line
by line (shipments, counts, adjustments, transfers, material issues, backflush)
take their document number and journal entry id at the first movement
(domain/inventory/recording.py ``movement``) instead of stamping them on
pending events afterwards.

Every save of the bolt-kit month and of a few December documents is checked:
each saved aggregate, as the command left it in memory (and in the aggregate
cache), equals its replay from the stored events, bypassing the cache.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from api.demo import load_demo
from domain.inventory.handlers import AdjustmentLineInput, CountLineInput, TransferLineInput
from domain.inventory.stock import IssueHistory, Movement, StockBalance, stock_id


def _state(aggregate: Any) -> dict[str, Any]:
    state = {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}
    return {k: v.traces if isinstance(v, IssueHistory) else v for k, v in state.items()}


def _replay(app, aggregate_id):
    """The aggregate rebuilt from its stored events alone (no cache, no snapshot)."""
    aggregate = None
    for stored_event in app.repository.event_store.get(aggregate_id):
        aggregate = stored_event.mutate(aggregate)
    return aggregate


class _LoggedEvents:
    """The events written since a mark, decoded from the log: what every save
    wrote, whichever path saved it (``save`` or the group commit)."""

    def __init__(self, app) -> None:
        self.app, self.mark = app, app.log_position()

    def clear(self) -> None:
        self.mark = self.app.log_position()

    def __iter__(self):
        written = self.app.recorder.select_notifications(self.mark + 1, 10**7)
        return iter([self.app.mapper.to_domain_event(n) for n in written])


@pytest.fixture
def checked(runtime, monkeypatch):
    """The runtime's app, each save compared with the replay of what it saved:
    ``save`` (the chart at start) and the group commit's ``_saved`` (commands)."""
    app = runtime.app
    mismatches: list[str] = []

    def compare(aggregates) -> None:
        for aggregate in aggregates:
            replayed = _replay(app, aggregate.id)
            if _state(replayed) != _state(aggregate):
                mismatches.append(f"{type(aggregate).__name__} {aggregate.id}")

    original_save, original_saved = app.save, app._saved

    def save(*aggregates, **kwargs):
        recordings = original_save(*aggregates, **kwargs)
        compare([a for a in aggregates if hasattr(a, "pending_events")])
        return recordings

    def saved(aggregates, positions):
        original_saved(aggregates, positions)
        compare(aggregates)

    monkeypatch.setattr(app, "save", save)
    monkeypatch.setattr(app, "_saved", saved)
    app.saved_events = _LoggedEvents(app)
    app.mismatches = mismatches
    return app


def _movements(app, kind: str) -> list[Movement]:
    return [e.movement for e in app.saved_events
            if isinstance(e, StockBalance.Event) and getattr(e, "movement", None)
            and e.movement.kind == kind]


def test_the_bolt_kit_month_saves_what_a_replay_rebuilds(checked):
    app = checked
    assert load_demo(app) > 40
    assert app.mismatches == []
    # The issues to the work orders and the backflushed cartons carry their
    # MI numbers and entry ids as made (no stamping after the event).
    issues = _movements(app, "material_issue")
    assert [(m.document, m.line) for m in issues] == [
        ("MI-000001", 1), ("MI-000002", 1), ("MI-000002", 2), ("MI-000002", 3)]
    assert all(m.entry_id for m in issues)
    shipped = _movements(app, "shipment")
    assert [(m.document, m.line) for m in shipped] == [("SH-000001", 1)]
    steel = app.repository.get(stock_id("RM-STEEL", "WH-RM"))
    assert [(t.kind, t.document, t.line) for t in steel.recent_issues] == [
        ("material_issue", "MI-000001", 1)]


def test_december_documents_name_their_number_and_entry_once(checked):
    app = checked
    load_demo(app)
    app.saved_events.clear()
    dec = date(2026, 12, 2)
    adjusted = app.adjust_stock(dec, [
        AdjustmentLineInput("RM-ZINC", "WH-RM", "-0.1", location="A1"),
        AdjustmentLineInput("RM-BOX", "WH-RM", "2", unit_cost="1.50", location="A1")],
        "5602", "盘亏盘盈 found and lost").value
    moves = _movements(app, "adjustment")
    assert [(m.document, m.line, m.entry_id) for m in moves] == [
        (adjusted.number, 1, adjusted.entry_id), (adjusted.number, 2, adjusted.entry_id)]
    assert (adjusted.number, adjusted.total_value) == ("AJ-000001", "1.00")
    assert adjusted.entry_id
    # A transfer inside one warehouse posts nothing: its movement names no entry.
    app.add_location("WH-RM", "A2")
    moved = app.transfer_stock(dec, [TransferLineInput(
        "RM-STEEL", "10", "WH-RM", "WH-RM", "A1", "A2")]).value
    assert (moved.number, moved.entry_id) == ("TR-000001", "")
    assert [(m.document, m.line, m.entry_id) for m in _movements(app, "transfer")] == [
        ("TR-000001", 1, "")]
    # A count that finds the moved steel where it is changes nothing and posts nothing.
    counted = app.count_stock(dec, "WH-RM", [CountLineInput("RM-STEEL", "10", "A2")]).value
    assert (counted.number, counted.entry_id, counted.total_value) == ("PC-000001", "", "0.00")
    # Two lines that post to the same accounts and cancel out: no voucher, so
    # the movements were decided again naming no entry.
    netted = app.adjust_stock(dec, [
        AdjustmentLineInput("RM-ZINC", "WH-RM", "-0.1", location="A1"),  # 2.00 out
        AdjustmentLineInput("RM-BOX", "WH-RM", "2", unit_cost="1.00", location="A1")],
        "5602", "对冲 nets to nothing").value
    assert (netted.number, netted.entry_id) == ("AJ-000002", "")
    assert [(m.document, m.line, m.entry_id) for m in _movements(app, "adjustment")][2:] == [
        ("AJ-000002", 1, ""), ("AJ-000002", 2, "")]
    assert app.mismatches == []
    stock = app.repository.get(stock_id("RM-STEEL", "WH-RM"))
    assert stock.in_bin("A2") == Decimal("10")


def _line_facts(app) -> list[tuple]:
    from domain.purchasing import PurchaseOrder
    from domain.sales import SalesOrder

    facts = []
    for e in app.saved_events:
        if isinstance(e, (PurchaseOrder.Event, SalesOrder.Event)) and hasattr(e, "line_no"):
            value = getattr(e, "value", getattr(e, "cost", getattr(e, "unit_price", None)))
            facts.append((type(e).__qualname__, e.number, e.line_no, getattr(e, "item", ""),
                          e.qty, value))
    return facts


def test_order_lines_change_by_facts_that_carry_their_keys(checked, runtime):
    """Receipts, returns, reservations and amendments of order lines are each
    their own fact, naming the order, line and item with the value decided; the
    order-line read model sums them to what the aggregate holds."""
    from sqlalchemy import select

    from domain.orders import MoveLineInput, OrderLineInput
    from domain.purchasing import purchase_order_id
    from domain.sales import sales_order_id
    from projections.tables import order_lines

    app = checked
    load_demo(app)
    app.saved_events.clear()

    def d(n: int) -> date:
        return date(2026, 12, n)

    po = app.create_purchase_order("SUP-STEEL", d(1), [
        OrderLineInput("RM-STEEL", "10", "5.00", d(8))]).value.number
    app.confirm_purchase_order(po)
    app.amend_purchase_order_line(po, 1, qty="20", due_date=d(10))
    app.receive_purchase_order(po, d(2), [MoveLineInput(1, "20")])
    app.return_to_supplier(po, d(3), [MoveLineInput(1, "5")])
    so = app.create_sales_order("CUS-HW", d(1), [
        OrderLineInput("RM-BOX", "4", "5.00", d(20))]).value.number
    app.confirm_sales_order(so)  # reserves the 4 boxes
    app.amend_sales_order_line(so, 1, qty="3", unit_price="5.50")  # gives 1 back
    app.ship_sales_order(so, d(4), [MoveLineInput(1, "3")])
    app.return_from_customer(so, d(5), [MoveLineInput(1, "1")])
    assert app.mismatches == []
    q = Decimal
    assert _line_facts(app) == [
        ("PurchaseOrder.OrderLineAmended", "PO-000002", 1, "", q("20"), q("5")),
        ("PurchaseOrder.GoodsReceived", "PO-000002", 1, "RM-STEEL", q("20"), q("100.00")),
        ("PurchaseOrder.GoodsReturnedToSupplier", "PO-000002", 1, "RM-STEEL", q("5"),
         q("25.00")),
        ("SalesOrder.StockReserved", "SO-000002", 1, "RM-BOX", q("4"), None),
        ("SalesOrder.OrderLineAmended", "SO-000002", 1, "", q("3"), q("5.50")),
        ("SalesOrder.ReservationReleased", "SO-000002", 1, "RM-BOX", q("1"), None),
        ("SalesOrder.GoodsShipped", "SO-000002", 1, "RM-BOX", q("3"), q("3.00")),
        ("SalesOrder.GoodsReturnedByCustomer", "SO-000002", 1, "RM-BOX", q("1"), q("1.00")),
    ]
    shipped = next(e for e in app.saved_events if type(e).__qualname__ == "SalesOrder.GoodsShipped")
    assert (shipped.warehouse, shipped.day, shipped.reservation_used) == ("WH-RM", d(4), q("3"))
    runtime.runner.catch_up()
    with runtime.read() as conn:
        rows = {r.number: r for r in conn.execute(
            select(order_lines).where(order_lines.c.number.in_([po, so])))}
    for number, aggregate_id in ((po, purchase_order_id(po)), (so, sales_order_id(so))):
        line = app.repository.get(aggregate_id).lines[1]
        row = rows[number]
        assert (row.qty_micros, row.unit_price, row.due_date, row.delivered_micros,
                row.returned_micros, row.delivered_value_cents, row.returned_value_cents,
                row.reserved_micros, row.last_delivery) == (
            int(line.qty * 10**6), str(line.unit_price), line.due_date,
            int(line.delivered * 10**6), int(line.returned * 10**6),
            int(line.delivered_value * 100), int(line.returned_value * 100),
            int(line.reserved * 10**6), line.last_delivery)
    assert (rows[po].delivered_value_cents, rows[po].returned_value_cents,
            rows[po].completed_on) == (10000, 2500, d(2))
    assert (rows[so].qty_micros, rows[so].unit_price, rows[so].reserved_micros,
            rows[so].completed_on) == (3_000_000, "5.500000", 0, d(4))


def test_a_stock_balance_loaded_from_its_snapshot_equals_its_replay(runtime):
    """Stock balances grow by one event per movement and are snapshotted
    (``FactoryLedger.snapshotting_intervals``): a snapshot stores the derived
    state too (recent issues, holds, day flows, reservations), and loading
    from it gives what replaying every event gives."""
    from domain.orders import OrderLineInput
    from domain.unit_of_work import load

    app = runtime.app
    load_demo(app)
    so = app.create_sales_order("CUS-HW", date(2026, 12, 1), [
        OrderLineInput("RM-BOX", "4", "5.00", date(2026, 12, 20))]).value.number
    app.confirm_sales_order(so)  # a reservation on RM-BOX
    balances = sorted({n.originator_id for n in app.recorder.select_notifications(1, 10**6)
                       if "StockBalance" in n.topic}, key=str)
    assert len(balances) >= 5
    box = stock_id("RM-BOX", "WH-RM")
    held = app.repository.get(box, deepcopy_from_cache=False)
    held.hold("IL-000009", "A1", "", Decimal("1"), "inspection", date(2026, 12, 2))
    app.save(held)
    for agg_id in balances:
        app.take_snapshot(agg_id)
        loaded, replayed = load(app.repository, agg_id), _replay(app, agg_id)
        assert _state(loaded) == _state(replayed), agg_id
    loaded = load(app.repository, box)
    assert loaded.reservations and loaded.holds["IL-000009"].qty == Decimal("1")
    assert loaded.flows.latest is not None
    steel = load(app.repository, stock_id("RM-STEEL", "WH-RM"))
    assert [(t.kind, t.document) for t in steel.recent_issues] == [
        ("material_issue", "MI-000001")]
