"""The inspector's browser test's data, loaded with the server's (server.py):
an incoming plan for cartons (RM-BOX, every unit inspected, attribute LOOK
with defects CRUSH and DIRT) and 100 cartons received today on a new order
(PO from SUP-STEEL at 1.00): they wait in quarantine in an inspection lot."""

from __future__ import annotations

from domain.application import FactoryLedger
from domain.commands import CommandContext
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
    app.receive_purchase_order(po, today, [MoveLineInput(1, "100")], ctx=ctx)
