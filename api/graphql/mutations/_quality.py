"""What the quality mutation modules share: the inputs of plans and results,
and the read-back of lots, reports and plans a command changed."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from sqlalchemy import Connection

from api.graphql.mutations._common import found
from api.graphql.quality_types import (
    CharacteristicKindEnum,
    InspectionLot,
    InspectionPlan,
    Nonconformance,
    SamplingMethodEnum,
)
from domain.quality.findings import DefectCount, Measurement
from domain.quality.plans import Characteristic, CharacteristicKind
from domain.quality.sampling import SamplingMethod, SamplingRule
from projections import quality_queries as qq


@strawberry.input(description="A characteristic: MEASURED with lower and/or upper "
                  "specification limits, or ATTRIBUTE with the defect codes it records.")
class CharacteristicInput:
    code: str
    name: str
    kind: CharacteristicKindEnum
    nominal: Decimal | None = None
    lower: Decimal | None = strawberry.field(default=None, description="LSL.")
    upper: Decimal | None = strawberry.field(default=None, description="USL.")
    unit: str | None = None
    decimals: int = strawberry.field(default=2, description="Places values are recorded to.")
    defect_codes: list[str] | None = None

    def to_domain(self) -> Characteristic:
        return Characteristic(self.code, self.name, CharacteristicKind(self.kind.value),
                              self.nominal, self.lower, self.upper, self.unit or "",
                              self.decimals, tuple(self.defect_codes or ()))


@strawberry.input(description="How lots are sampled: GB2828 (aql, level II), FIXED "
                  "(sampleSize, accept) or FULL (100%, accept).")
class SamplingInput:
    method: SamplingMethodEnum = SamplingMethod.GB2828
    aql: Decimal | None = strawberry.field(default=None,
                                           description="0.65, 1.0, 1.5, 2.5, 4.0 or 6.5.")
    level: str = "II"
    sample_size: int = 0
    accept: int = 0

    def to_domain(self) -> SamplingRule:
        return SamplingRule(SamplingMethod(self.method.value),
                            self.aql if self.aql is not None else Decimal("1.0"),
                            self.level, self.sample_size, self.accept)


@strawberry.input(description="The values of one measured characteristic, one per sample "
                  "unit in sample order.")
class MeasurementInput:
    characteristic: str
    values: list[Decimal]

    def to_domain(self) -> Measurement:
        return Measurement(self.characteristic, tuple(self.values))


@strawberry.input(description="Nonconformities of an attribute characteristic by defect code.")
class DefectInput:
    characteristic: str
    defect_code: str
    count: int

    def to_domain(self) -> DefectCount:
        return DefectCount(self.characteristic, self.defect_code, self.count)


def lot_of(conn: Connection, number: str) -> InspectionLot:
    return InspectionLot.from_view(found(qq.lot_view(conn, number), f"inspection lot {number}"))


def ncr_of(conn: Connection, number: str) -> Nonconformance | None:
    if not number:
        return None
    views = qq.ncr_views(conn, number=number, first=1)
    return Nonconformance.from_view(found(views[0] if views else None, f"NCR {number}"))


def plan_of(conn: Connection, key: str, version: str) -> InspectionPlan:
    item, stage, operation = key.split(":")
    view = next((v for v in qq.plan_views(conn, item, stage)
                 if v.operation == operation and v.version == version), None)
    return InspectionPlan.from_view(found(view, f"inspection plan {key} {version}"))


@strawberry.type(description="An inspection lot as the command left it, and the NCR it "
                 "opened (null when nothing was rejected or the decision is held).")
class InspectionPayload:
    lot: InspectionLot
    nonconformance: Nonconformance | None
    release_document: str = strawberry.field(
        description="The transfer that moved accepted units out of quarantine (empty if none).")
    log_position: int
    replayed: bool


def inspection_fields(conn: Connection, out) -> dict:
    lot = lot_of(conn, out.value.number)
    return {"lot": lot, "nonconformance": ncr_of(conn, out.value.ncr),
            "release_document": lot.release_document, "log_position": out.position,
            "replayed": out.replayed}
