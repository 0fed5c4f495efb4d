"""The fixed-asset half year of docs/fixed-assets.md as plain functions: three
assets bought in July 2026 (one per method), depreciated August to December,
the forklift sold on 20 December."""

from __future__ import annotations

from datetime import date

from domain.fixed_assets.cards import AssetSpec
from domain.fixed_assets.depreciation import DepreciationMethod
from domain.fixed_assets.handlers import UnitsInput
from domain.fixed_assets.register import AssetUse
from domain.ledger.entries import LineInput
from domain.parties import PartyRole, PartySpec
from tests.scenes.supply_chain import USCC_SUPPLIER

MONTHS = ("2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12")
LATHE = AssetSpec("FA-001", "数控车床 CNC lathe", 120, DepreciationMethod.STRAIGHT_LINE,
                  AssetUse.PRODUCTION, "0.05", "机器设备")
FORKLIFT = AssetSpec("FA-002", "叉车 forklift", 96, DepreciationMethod.UNITS_OF_PRODUCTION,
                     AssetUse.PRODUCTION, "0.05", "运输设备", total_units="10000", unit="小时")
CAR = AssetSpec("FA-003", "公务车 company car", 60, DepreciationMethod.DOUBLE_DECLINING,
                AssetUse.ADMINISTRATION, "0.04", "运输设备")
# The forklift's hours, August to November (December's go with its sale).
HOURS = {"2026-08": "120", "2026-09": "80", "2026-10": "0", "2026-11": "150"}


def open_half_year(app) -> None:
    for month in MONTHS:
        app.open_period(month)
    fund(app)


def fund(app) -> None:
    """The machine supplier and the owner's 500,000.00 in the bank (1 July)."""
    app.register_party(PartySpec("SUP-MACH", "宁波机床有限公司", (PartyRole.SUPPLIER,),
                                 USCC_SUPPLIER))
    app.post_journal_entry(date(2026, 7, 1), "投资者投入资本", [
        LineInput("1002", debit="500000.00"), LineInput("3001", credit="500000.00")])


def buy_assets(app) -> None:
    app.acquire_fixed_asset(LATHE, date(2026, 7, 15), "120000.00", "15600.00",
                            supplier="SUP-MACH", invoice_number="26332000000000070001")
    app.acquire_fixed_asset(FORKLIFT, date(2026, 7, 18), "50000.00", "6500.00",
                            bank_account="1002")
    app.acquire_fixed_asset(CAR, date(2026, 7, 20), "60000.00", "7800.00",
                            bank_account="1002")


def depreciate(app, period: str):
    hours = HOURS.get(period)
    return app.run_depreciation(period, units=[UnitsInput("FA-002", hours)] if hours else [])


def half_year(app) -> None:
    """Everything docs/fixed-assets.md books after ``open_half_year``, in its order."""
    buy_assets(app)
    for month in MONTHS[1:-1]:
        depreciate(app, month)
    app.dispose_fixed_asset("FA-002", date(2026, 12, 20), proceeds="45000.00",
                            proceeds_vat="5850.00", costs="300.00", bank_account="1002",
                            units="100", reason="出售 sold")
    depreciate(app, "2026-12")
