"""The office pages' browser tests' data, loaded with the server's (server.py).

Inspection: an incoming plan for cartons (RM-BOX, every unit inspected, attribute LOOK
with defects CRUSH and DIRT) and 100 cartons received today on a new order
(PO from SUP-STEEL at 1.00): they wait in quarantine in an inspection lot,
IL-000001; 50 more on another order, IL-000002 (the admin's override).
Maintenance: an air compressor CMP-01 at WC-PLATE, running since midnight
(a machine of its own: the board's and the terminal's tests keep theirs)."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.application import FactoryLedger
from domain.commands import CommandContext
from domain.equipment.machines import EquipmentSpec
from domain.equipment.oee import MachineState
from domain.orders import MoveLineInput, OrderLineInput
from domain.quality.plans import Characteristic, CharacteristicKind, PlanVersion, Stage
from domain.quality.sampling import SamplingMethod, SamplingRule


def prepare_inspection(app: FactoryLedger, ctx: CommandContext) -> None:
    today = app.today()
    look = Characteristic("LOOK", "外观 appearance", CharacteristicKind.ATTRIBUTE,
                          defect_codes=("CRUSH", "DIRT"))
    app.save_inspection_plan("RM-BOX", Stage.INCOMING,
                             PlanVersion("V1", today, None, (look,),
                                         SamplingRule(SamplingMethod.FULL, accept=0)),
                             ctx=ctx)
    po = app.create_purchase_order("SUP-STEEL", today,
                                   [OrderLineInput("RM-BOX", "100", "1.00", today)],
                                   ctx=ctx).value.number
    app.confirm_purchase_order(po, ctx=ctx)
    app.receive_purchase_order(po, today, [MoveLineInput(1, "100")], ctx=ctx)  # IL-000001
    po = app.create_purchase_order("SUP-STEEL", today,
                                   [OrderLineInput("RM-BOX", "50", "1.00", today)],
                                   ctx=ctx).value.number
    app.confirm_purchase_order(po, ctx=ctx)
    app.receive_purchase_order(po, today, [MoveLineInput(1, "50")], ctx=ctx)  # IL-000002


def prepare_maintenance(app: FactoryLedger, ctx: CommandContext) -> None:
    midnight = datetime.combine(app.today(), time(0), ZoneInfo(app.date_settings().time_zone))
    app.register_equipment(EquipmentSpec("CMP-01", "空压机 air compressor", "WC-PLATE",
                                         ideal_cycle_hours=Decimal("0.1")), ctx=ctx)
    app.record_equipment_state("CMP-01", midnight, MachineState.RUNNING, "", ctx=ctx)
