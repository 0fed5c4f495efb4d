"""What other contexts (and the handlers) load from the fixed-asset register."""

from __future__ import annotations

from domain.errors import NotFound
from domain.fixed_assets.register import REGISTER_ID, FixedAssetRegister, Holding
from domain.unit_of_work import UnitOfWork


def register_of(uow: UnitOfWork) -> FixedAssetRegister:
    """The register to change (started by the first command that needs it)."""
    return uow.get(REGISTER_ID, factory=FixedAssetRegister)


def fixed_asset(uow: UnitOfWork, code: str) -> Holding:
    """An asset as the register holds it now (to read)."""
    register = uow.peek(REGISTER_ID, NotFound("no fixed asset has been recorded yet",
                                              "FixedAsset", (code or "").strip().upper()))
    return register.asset((code or "").strip().upper())
