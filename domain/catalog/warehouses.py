"""Warehouses (仓库) and their locations (库位).

Every warehouse has a quarantine location (待检区) ``QC``: stock there is on
hand and valued, but not available to reserve, issue or plan with.
"""

from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from domain.catalog.items import check_item_code
from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError

QUARANTINE = "QC"
DEFAULT_LOCATION = "MAIN"


def warehouse_id(code: str) -> uuid.UUID:
    return derived_id("warehouse", code)


class Warehouse(Aggregate):
    @event("Created")
    def __init__(self, code: str, name: str, locations: tuple[str, ...]):
        self.code = code
        self.name = name
        self.locations = list(locations)
        self.active = True

    @classmethod
    def create_id(cls, code: str, **_: object) -> uuid.UUID:
        return warehouse_id(code)

    @staticmethod
    def plan(code: str, name: str, locations: list[str] | None) -> tuple[str, str, tuple[str, ...]]:
        """Validate a new warehouse: its code, name and locations (pure)."""
        code = check_item_code(code)
        name = (name or "").strip()
        if not name:
            raise ValidationError("warehouse name is required", "name")
        locs = [check_item_code(loc, "locations") for loc in (locations or [DEFAULT_LOCATION])]
        if len(set(locs)) != len(locs):
            raise ValidationError("location codes must be unique", "locations")
        if QUARANTINE not in locs:
            locs.append(QUARANTINE)
        return code, name, tuple(locs)

    @property
    def default_location(self) -> str:
        return next(loc for loc in self.locations if loc != QUARANTINE)

    def check_location(self, location: str | None, field: str) -> str:
        loc = (location or "").strip().upper() or self.default_location
        if loc not in self.locations:
            raise ValidationError(
                f"{field}: location {loc} is not in warehouse {self.code}", field
            )
        return loc

    def add_location(self, location: str) -> None:
        loc = check_item_code(location, "location")
        if loc in self.locations:
            raise BusinessRuleViolation("LOCATION_EXISTS", f"location {loc} already exists")
        self._location_added(loc)

    @event("LocationAdded")
    def _location_added(self, location: str) -> None:
        self.locations.append(location)
