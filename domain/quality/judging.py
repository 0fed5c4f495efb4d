"""Applying an inspection lot's decision, in the save that records it:

1. the lot's hold on its units in quarantine ends; accepted units of an IQC
   or FQC lot leave quarantine for their location (a transfer,
   ``quarantine.release``);
2. rejected units open a nonconformance report (they stay in quarantine, held
   by the report until disposed of, or, in process, held on the operation
   when its plan blocks the next one);
3. a lot's first decision counts for its item's yield (a first-pass yield
   below the company's threshold raises an alert) and, from a supplier, for
   the supplier's quality (a rate below the threshold flags the supplier).

The yield an item shows is what its lots finally lost (units scrapped or
returned); ``apply_yield`` turns it into the item's planning scrap factor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.catalog import lookups as catalog
from domain.quality import quarantine
from domain.quality.findings import Decision, Verdict
from domain.quality.inspections import InspectionLot
from domain.quality.lookups import gate, policy, supplier_quality, yield_record
from domain.quality.nonconformance import PREFIX as NCR_PREFIX
from domain.quality.nonconformance import Nonconformance
from domain.quality.plans import Stage
from domain.quality.records import recommended_scrap_factor
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Applied:
    document: str = ""  # the transfer out of quarantine
    ncr: str = ""


def yield_key(stage: Stage, operation: str = "") -> str:
    return f"{stage.value}:{operation}" if operation else stage.value


def apply_decision(uow: UnitOfWork, lot: InspectionLot, decision: Decision, day: date,
                   overridden: bool = False, reason: str = "") -> Applied:
    """Release, open the NCR, mark the lot decided, count it. In quarantine the
    lot's hold ends: its accepted units leave, its rejected ones are held by the NCR."""
    document = ""
    if lot.quarantined:
        quarantine.unhold(uow, lot.number, lot.item, lot.warehouse, None, day)
    if lot.quarantined and decision.accepted > 0:
        document = quarantine.release(uow, lot.item, lot.warehouse, lot.lot, decision.accepted,
                                      lot.location, day, f"检验放行 release {lot.number}",
                                      f"inspection {lot.number} accepted").number
    ncr = open_ncr(uow, lot, decision, day) if decision.rejected > 0 else ""
    if lot.quarantined and ncr:
        quarantine.hold(uow, ncr, quarantine.DISPOSITION, lot.item, lot.warehouse, lot.lot,
                        decision.rejected, day)
    if lot.stage is Stage.IN_PROCESS and lot.blocks_next:
        held = gate(uow, lot.source.order, lot.source.operation)
        held.release(lot.number)
        held.hold(ncr, decision.rejected)
    lot.decide(decision, day, overridden, reason, ncr, document)
    if not lot.source.reinspects:
        _count(uow, lot, day)
    return Applied(document, ncr)


def open_ncr(uow: UnitOfWork, lot: InspectionLot, decision: Decision, day: date) -> str:
    number = uow.number(NCR_PREFIX)
    what = (f"{lot.number}: {lot.nonconformities} nonconformities in a sample of "
            f"{lot.sampling.sample_size} (Ac {lot.sampling.accept}, Re {lot.sampling.reject})")
    uow.add(Nonconformance(
        number=number, origin=lot.stage, inspection_lot=lot.number, item=lot.item,
        qty=decision.rejected, warehouse=lot.warehouse, location=lot.location, lot=lot.lot,
        source=replace(lot.source, first_lot=lot.first_lot), defects=lot.defects,
        description=what[:200], opened_on=day))
    return number


def _count(uow: UnitOfWork, lot: InspectionLot, day: date) -> None:
    """The lot's computed (first-pass) result for its item's yield and its supplier."""
    rules = policy(uow)
    computed = lot.computed or lot.decision
    assert computed is not None
    yield_record(uow, lot.item).inspected(
        yield_key(lot.stage, lot.source.operation), lot.number, lot.qty, computed.accepted,
        rules.low_yield, day)
    if lot.stage is Stage.INCOMING and lot.source.supplier:
        supplier_quality(uow, lot.source.supplier).judge(
            lot.number, lot.item, lot.qty, computed.rejected,
            computed.verdict is Verdict.ACCEPT, day, rules.supplier_threshold,
            rules.supplier_window, rules.supplier_min_lots)
    if rules.auto_apply_yield:
        apply_yield(uow, lot.item, rules.yield_lots, day)


def count_loss(uow: UnitOfWork, ncr: Nonconformance, qty: Decimal, day: date) -> None:
    """Units of an NCR scrapped or returned: its lot's yield loses them."""
    record = yield_record(uow, ncr.item)
    lot = ncr.source.first_lot or ncr.inspection_lot
    record.lose(yield_key(ncr.origin, ncr.source.operation), lot, qty, ncr.number, day)
    rules = policy(uow)
    if rules.auto_apply_yield:
        apply_yield(uow, ncr.item, rules.yield_lots, day)


@dataclass(frozen=True)
class YieldApplied:
    item: str
    scrap_factor: str
    previous: str
    observed_yield: str
    lots: int


def apply_yield(uow: UnitOfWork, item: str, lots: int, day: date) -> YieldApplied:
    """The item's planning scrap factor from its observed yield over its last
    ``lots`` lots per stage and operation (an Item.Changed event when it differs)."""
    record = yield_record(uow, item)
    observed, counted = record.observed_yield(lots)
    factor = recommended_scrap_factor(observed)
    product = catalog.item(uow, item)
    previous = product.spec.planning.scrap_factor
    if counted and factor != previous:
        product.change(planning=replace(product.spec.planning, scrap_factor=factor))
        record.apply(factor, previous, observed, counted, day)
    return YieldApplied(item, str(factor), str(previous), str(observed), counted)
