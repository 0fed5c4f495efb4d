"""The projections this build runs, by name (``factoryledger rebuild NAME``)."""

from __future__ import annotations

from projections.cash import CashProjection
from projections.equipment import EquipmentProjection
from projections.fixed_assets import FixedAssetProjection
from projections.inventory import InventoryProjection
from projections.invoicing import InvoicingProjection
from projections.ledger import LedgerProjection
from projections.planning import PlanningProjection
from projections.production import ProductionProjection
from projections.purchase_invoicing import PurchaseInvoicingProjection
from projections.quality import QualityProjection
from projections.runner import Projection


def all_projections() -> list[Projection]:
    return [LedgerProjection(), InventoryProjection(), ProductionProjection(),
            PlanningProjection(), CashProjection(),
            PurchaseInvoicingProjection(), InvoicingProjection(), EquipmentProjection(),
            QualityProjection(), FixedAssetProjection()]


def skipped_topics() -> frozenset[str]:
    """Events no projection reads (idempotency receipts, document counters,
    users and tokens, settings): the runner does not even decode them.
    A projection that starts reading one of these must take it out here."""
    from eventsourcing.utils import get_topic

    from domain.catalog.engineering import CompanySettings
    from domain.clock import CompanyCalendar
    from domain.commands import CommandReceipt
    from domain.equipment.machines import EquipmentRegister
    from domain.fixed_assets.register import FixedAssetRegister
    from domain.inventory.stock import StockBalance
    from domain.invoicing.billing import Billing
    from domain.invoicing.purchase_invoices import InvoiceMatchSettings
    from domain.invoicing.sales_invoices import SalesInvoice
    from domain.quality.inspections import OperationGate
    from domain.quality.plans import InspectionPlan
    from domain.quality.records import SupplierQuality, YieldRecord
    from domain.quality.settings import QualitySettings
    from domain.quality.suppliers import ApprovedSuppliers
    from domain.seals import PeriodSeal
    from domain.sequences import DocumentSequence
    from domain.users.directory import ApiToken, User, UserDirectory

    return frozenset(get_topic(cls) for cls in (
        CommandReceipt.Recorded, DocumentSequence.Started, DocumentSequence.Taken,
        UserDirectory.Started, UserDirectory.UserAdded, User.Created, User.RolesSet,
        ApiToken.Issued, ApiToken.Revoked, CompanySettings.Started,
        CompanySettings.ProductionSet, CompanyCalendar.Configured, CompanyCalendar.Changed,
        InvoiceMatchSettings.Started, InvoiceMatchSettings.Set,
        # billing progress and blue invoices' credits: the invoicing projection
        # reads both from the invoices' own Issued events
        Billing.Started, Billing.Billed, SalesInvoice.Credited,
        FixedAssetRegister.Started,  # the register's rows start with its first card
        PeriodSeal.Sealed,  # the audit chain's seals: checked by `factoryledger audit`
        EquipmentRegister.Started, EquipmentRegister.Added,  # the equipment table lists them
        # quality: settings, and aggregates whose first event says nothing yet
        QualitySettings.Started, QualitySettings.PolicySet, InspectionPlan.Started,
        OperationGate.Started, SupplierQuality.Started, YieldRecord.Started,
        ApprovedSuppliers.Started,
        YieldRecord.RecommendationApplied,  # the item's Item.Changed carries the factor
        # quality's holds on stock: the quality read model lists what each open lot
        # and nonconformance holds (inspectionLots, nonconformances)
        StockBalance.Held, StockBalance.HoldReleased,
    ))
