"""Standard cost roll-up and budgeted cost (成本预算), pure functions.

1. Roll-up, level by level: items are costed deepest low-level code first,
   so every component is costed before any parent that uses it (a BOM cycle
   is refused: ``BusinessRuleViolation("BOM_CYCLE")``). Per unit of a made item

       material = sum(component unit cost x qty_per x (1 + scrap_allowance))
       labor    = sum((setup_hours / batch + run_hours_per_unit) x labor_rate)
       overhead = sum((setup_hours / batch + run_hours_per_unit) x overhead_rate)

   over its BOM lines and routing operations; a component's full unit cost
   (its material + labor + overhead) is the parent's material. A bought item
   costs its ``material_cost`` (the caller chooses standard or current
   average cost and says which) and nothing else. ``batch`` is the number of
   units one setup is spread over; ``lot_size[item]``, when given, overrides it.
2. Precision: costs are carried unrounded; ``RolledCost`` shows unit costs
   rounded half-up to 6 places and keeps the exact values for ``budget``.
3. Budget of a quantity: each element is exact unit cost x qty rounded to
   0.01, the total is the sum of the rounded elements.
4. Budget vs actual of a completed work order: variance = actual - budget
   per element (positive = over budget, unfavourable).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.errors import NotFound, ValidationError
from domain.money import round_amount, to_decimal
from domain.planning.mrp import low_level_codes
from domain.transcodings import transcoded

ZERO = Decimal("0")
ONE = Decimal("1")
UNIT = Decimal("0.000001")  # unit costs are shown to 6 places


@dataclass(frozen=True)
class CostComponent:
    item: str
    qty_per: Decimal  # per one unit of the parent
    scrap_allowance: Decimal = ZERO  # 0.02 = 2% extra


@dataclass(frozen=True)
class CostOperation:
    work_center: str
    setup_hours: Decimal
    run_hours_per_unit: Decimal


def _component(line: Any) -> CostComponent:
    """A (item, qty_per[, scrap]) tuple, a ``CostComponent``, a planning
    ``Component`` or an engineering ``BomLine`` (``.component``)."""
    if isinstance(line, tuple):
        item, qty_per, *rest = line
        scrap = rest[0] if rest else ZERO
    else:
        item = getattr(line, "item", None) or line.component
        qty_per, scrap = line.qty_per, getattr(line, "scrap_allowance", ZERO)
    return CostComponent(item, to_decimal(qty_per, "qtyPer"),
                         to_decimal(scrap, "scrapAllowance"))


def _operation(op: Any) -> CostOperation:
    """A (work_center, setup_hours, run_hours_per_unit) tuple or any object with
    those attributes (``CostOperation``, engineering ``Operation``)."""
    if isinstance(op, tuple):
        wc, setup, run = op
    else:
        wc, setup, run = op.work_center, op.setup_hours, op.run_hours_per_unit
    return CostOperation(wc, to_decimal(setup, "setupHours"), to_decimal(run, "runHoursPerUnit"))


@dataclass(frozen=True)
class CostItem:
    """What the roll-up needs of one item. ``components`` and ``operations``
    accept tuples or the catalog's ``BomLine`` / ``Operation`` values and are
    normalised to ``CostComponent`` / ``CostOperation``."""

    code: str
    make: bool
    material_cost: Decimal = ZERO  # bought items: standard or current average cost
    components: tuple[CostComponent, ...] = ()
    operations: tuple[CostOperation, ...] = ()
    batch: Decimal = ONE  # units one setup is spread over

    def __post_init__(self) -> None:
        object.__setattr__(self, "material_cost", to_decimal(self.material_cost, "materialCost"))
        object.__setattr__(self, "components", tuple(_component(c) for c in self.components))
        object.__setattr__(self, "operations", tuple(_operation(o) for o in self.operations))
        object.__setattr__(self, "batch", to_decimal(self.batch, "batch"))


@transcoded("RolledCost")
@dataclass(frozen=True)
class RolledCost:
    """Standard unit cost of one item; the shown amounts are rounded to 6
    places, the ``exact_*`` fields keep the unrounded values."""

    item: str
    material: Decimal
    labor: Decimal
    overhead: Decimal
    total: Decimal  # = unit cost, 6 places
    level: int  # low-level code: 0 = never a component
    exact_material: Decimal = field(default=ZERO, repr=False, compare=False)
    exact_labor: Decimal = field(default=ZERO, repr=False, compare=False)
    exact_overhead: Decimal = field(default=ZERO, repr=False, compare=False)

    @property
    def unit_cost(self) -> Decimal:
        return self.total


@transcoded("Budget")
@dataclass(frozen=True)
class Budget:
    """Cost of a quantity, to 0.01; total = material + labor + overhead."""

    material: Decimal
    labor: Decimal
    overhead: Decimal
    total: Decimal


@transcoded("CostVariance")
@dataclass(frozen=True)
class CostVariance:
    """Actual - budget per element (positive = over budget, unfavourable)."""

    material: Decimal
    labor: Decimal
    overhead: Decimal
    total: Decimal
    budget: Budget
    actual: Budget


def _rates(work_centers: dict[str, Any], code: str) -> tuple[Decimal, Decimal]:
    """(labor_rate, overhead_rate) from a pair or a ``WorkCenterSpec``-like value."""
    if code not in work_centers:
        raise NotFound(f"work center {code} has no rates for the cost roll-up",
                       "WorkCenter", code)
    wc = work_centers[code]
    if isinstance(wc, tuple):
        labor, overhead = wc
    else:
        labor, overhead = wc.labor_rate, wc.overhead_rate
    return to_decimal(labor, "laborRate"), to_decimal(overhead, "overheadRate")


def _unit(value: Decimal) -> Decimal:
    return value.quantize(UNIT, rounding=ROUND_HALF_UP)


def rollup(
    items: dict[str, CostItem],
    work_centers: dict[str, Any],
    lot_size: dict[str, Decimal] | None = None,
) -> dict[str, RolledCost]:
    """Standard unit cost of every item in ``items`` (see the module rules).

    ``work_centers`` maps a code to ``(labor_rate, overhead_rate)`` or to a
    ``WorkCenterSpec``. A component or work center that is not given raises
    ``NotFound``; a BOM cycle raises ``BusinessRuleViolation("BOM_CYCLE")``.
    """
    lot_size = lot_size or {}
    for code, item in items.items():
        if not item.make:
            continue
        for comp in item.components:
            if comp.item not in items:
                raise NotFound(f"component {comp.item} of {code} has no cost item",
                               "Item", comp.item)
        batch = lot_size.get(code, item.batch)
        if batch <= 0:
            raise ValidationError(f"{code}: batch / lot size must be positive", "batch")
    # bought items' components (if any) are not part of their cost
    llc = low_level_codes({c: i if i.make else replace(i, components=())
                           for c, i in items.items()})
    exact: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    result: dict[str, RolledCost] = {}
    for code in sorted(items, key=lambda c: (-llc[c], c)):
        item = items[code]
        if item.make:
            material = sum((sum(exact[c.item]) * c.qty_per * (ONE + c.scrap_allowance)
                            for c in item.components), ZERO)
            batch = to_decimal(lot_size.get(code, item.batch), "lotSize")
            labor = overhead = ZERO
            for op in item.operations:
                labor_rate, overhead_rate = _rates(work_centers, op.work_center)
                hours = op.setup_hours / batch + op.run_hours_per_unit
                labor += hours * labor_rate
                overhead += hours * overhead_rate
        else:
            material, labor, overhead = item.material_cost, ZERO, ZERO
        exact[code] = (material, labor, overhead)
        result[code] = RolledCost(
            code, _unit(material), _unit(labor), _unit(overhead),
            _unit(material + labor + overhead), llc[code], material, labor, overhead,
        )
    return {code: result[code] for code in items}


def budget(rolled: dict[str, RolledCost], item: str, qty: Decimal) -> Budget:
    """Budgeted cost (成本预算) of ``qty`` units of ``item`` at its rolled-up
    standard cost, each element rounded to 0.01. For a work order whose own
    quantity spreads the setup, roll up with ``lot_size={item: qty}`` first."""
    if item not in rolled:
        raise NotFound(f"item {item} has no rolled-up cost", "Item", item)
    cost = rolled[item]
    qty = to_decimal(qty, "qty")
    material = round_amount(cost.exact_material * qty)
    labor = round_amount(cost.exact_labor * qty)
    overhead = round_amount(cost.exact_overhead * qty)
    return Budget(material, labor, overhead, material + labor + overhead)


def compare(budget: Budget, actual: Any) -> CostVariance:
    """Budget vs actual cost of a completed work order. ``actual`` is a
    ``Wip``-like value with ``material``, ``labor`` and ``overhead``."""
    act = Budget(
        round_amount(actual.material), round_amount(actual.labor),
        round_amount(actual.overhead), ZERO,
    )
    act = replace(act, total=act.material + act.labor + act.overhead)
    return CostVariance(
        act.material - budget.material,
        act.labor - budget.labor,
        act.overhead - budget.overhead,
        act.total - budget.total,
        budget,
        act,
    )
