"""The log's vocabulary in one place: every event class, its stable topic, its
``class_version``, and the aliases that keep old topics readable.

A stored event names its class by topic (``module:QualName``, eventsourcing's
``get_topic``). The topics of today's classes are the stable ones: the golden
files under ``tests/events/`` record them, and ``tests/test_event_contract.py``
fails when a class would be written under another topic. To move or rename a
class that has ever been stored, add ``"old.module:Old.Name": "new.module:New.Name"``
to ``ALIASES``: stored logs keep naming the old topic and still decode.

Every event class carries ``class_version`` (1 unless it says otherwise). A
change of an event's fields bumps it and adds ``upcast_vN_vN+1`` (a static
method turning the stored state of version N into version N+1), the rules in
docs/architecture.md ("Event naming and versioning rules").
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import eventsourcing.domain as es_domain
from eventsourcing.domain import Aggregate, DecoratedFuncCaller
from eventsourcing.utils import get_topic, register_topic, resolve_topic

# Old topic -> today's topic of the same class. A class that moved after a log
# was stored keeps its old topics here: the aggregate's (stored in its created
# event's ``originator_topic``) and every one of its events'.
ALIASES: dict[str, str] = {
    # Parties became a package (issue #11): domain/parties.py -> domain/parties/parties.py.
    "domain.parties:Party":
        "domain.parties.parties:Party",
    "domain.parties:Party.Registered":
        "domain.parties.parties:Party.Registered",
    "domain.parties:Party.Changed":
        "domain.parties.parties:Party.Changed",
    # domain/purchasing.py -> domain/purchasing/orders.py.
    "domain.purchasing:PurchaseOrder":
        "domain.purchasing.orders:PurchaseOrder",
    "domain.purchasing:PurchaseOrder.Created":
        "domain.purchasing.orders:PurchaseOrder.Created",
    "domain.purchasing:PurchaseOrder.StatusSet":
        "domain.purchasing.orders:PurchaseOrder.StatusSet",
    "domain.purchasing:PurchaseOrder.OrderLineAmended":
        "domain.purchasing.orders:PurchaseOrder.OrderLineAmended",
    "domain.purchasing:PurchaseOrder.GoodsReceived":
        "domain.purchasing.orders:PurchaseOrder.GoodsReceived",
    "domain.purchasing:PurchaseOrder.GoodsReturnedToSupplier":
        "domain.purchasing.orders:PurchaseOrder.GoodsReturnedToSupplier",
    # domain/sales.py -> domain/sales/orders.py.
    "domain.sales:SalesOrder":
        "domain.sales.orders:SalesOrder",
    "domain.sales:SalesOrder.Created":
        "domain.sales.orders:SalesOrder.Created",
    "domain.sales:SalesOrder.StatusSet":
        "domain.sales.orders:SalesOrder.StatusSet",
    "domain.sales:SalesOrder.StockReserved":
        "domain.sales.orders:SalesOrder.StockReserved",
    "domain.sales:SalesOrder.ReservationReleased":
        "domain.sales.orders:SalesOrder.ReservationReleased",
    "domain.sales:SalesOrder.OrderLineAmended":
        "domain.sales.orders:SalesOrder.OrderLineAmended",
    "domain.sales:SalesOrder.GoodsShipped":
        "domain.sales.orders:SalesOrder.GoodsShipped",
    "domain.sales:SalesOrder.GoodsReturnedByCustomer":
        "domain.sales.orders:SalesOrder.GoodsReturnedByCustomer",
    # domain/users.py became the package domain/users/ (aggregates in directory.py)
    "domain.users:UserDirectory": "domain.users.directory:UserDirectory",
    "domain.users:UserDirectory.Started": "domain.users.directory:UserDirectory.Started",
    "domain.users:UserDirectory.UserAdded": "domain.users.directory:UserDirectory.UserAdded",
    "domain.users:User": "domain.users.directory:User",
    "domain.users:User.Created": "domain.users.directory:User.Created",
    "domain.users:User.RolesSet": "domain.users.directory:User.RolesSet",
    "domain.users:User.TokenAdded": "domain.users.directory:User.TokenAdded",
    "domain.users:User.Disabled": "domain.users.directory:User.Disabled",
    "domain.users:User.Enabled": "domain.users.directory:User.Enabled",
    "domain.users:AccessSettings": "domain.users.directory:AccessSettings",
    "domain.users:AccessSettings.Started": "domain.users.directory:AccessSettings.Started",
    "domain.users:AccessSettings.ViewerReadAreasSet":
        "domain.users.directory:AccessSettings.ViewerReadAreasSet",
    "domain.users:ApiToken": "domain.users.directory:ApiToken",
    "domain.users:ApiToken.Issued": "domain.users.directory:ApiToken.Issued",
    "domain.users:ApiToken.Revoked": "domain.users.directory:ApiToken.Revoked",
}

# Topics retired before any company's log held them (issue #11's window, "change
# it now, while no company's log depends on today's event names"): topic -> why.
# Their classes and golden files are gone and the contract test checks both. Once
# a log holds a topic it is never retired: its class stays (with upcasters) or
# moves under an alias.
RETIRED: dict[str, str] = {
    "domain.purchasing:PurchaseOrder.LineSet": (
        "set the whole line state for receipts, returns and amendments alike; replaced "
        "by the facts PurchaseOrder.GoodsReceived, GoodsReturnedToSupplier and "
        "OrderLineAmended, which carry the order number, line, item and values"),
    "domain.sales:SalesOrder.LineSet": (
        "set the whole line state for shipments, returns, reservations and amendments "
        "alike; replaced by the facts SalesOrder.GoodsShipped, GoodsReturnedByCustomer, "
        "StockReserved, ReservationReleased and OrderLineAmended"),
    "domain.production.work_orders:WorkOrder.StatusSet": (
        "set the status whatever happened; replaced by the facts WorkOrder.Released, "
        "Held, Cancelled, ProductionStarted and Finished, which carry the order number "
        "(Closed and ShortagesFound move the status themselves)"),
    "domain.production.work_orders:WorkOrder.ShortagesSet": (
        "set the shortage list (also to empty on release); replaced by the fact "
        "WorkOrder.ShortagesFound (held with its shortages, the order number); Released "
        "clears them"),
    "domain.production.work_orders:WorkOrder.OperationSet": (
        "set an operation's whole progress for a start, a pause or a resume alike; "
        "replaced by the facts WorkOrder.OperationStarted, OperationPaused and "
        "OperationResumed, which carry the order number and the operation"),
    "domain.production.work_orders:WorkOrder.MaterialSet": (
        "set a material line's whole state and the WIP change for issues and returns "
        "alike; replaced by the facts WorkOrder.MaterialIssued and MaterialReturned, "
        "which carry the order number, line, item, quantity and value"),
}


def register_aliases(aliases: dict[str, str] | None = None) -> None:
    """Make each old topic resolve to the class today's topic names."""
    for old, new in (ALIASES if aliases is None else aliases).items():
        register_topic(old, resolve_topic(new))


def _import_domain() -> None:
    import domain

    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(info.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def aggregate_classes() -> list[type[Aggregate]]:
    """Every aggregate class the company application stores, by topic."""
    _import_domain()
    found = {get_topic(c): c for c in _subclasses(Aggregate)
             if c.__module__.startswith("domain.")}
    return [found[t] for t in sorted(found)]


def event_classes() -> list[type]:
    """Every event class an aggregate can write: its "created" event and each
    ``@event`` method's class (not the unused bases Event/Created)."""
    events: dict[str, type] = {}
    for agg in aggregate_classes():
        # eventsourcing 9.5.6 keeps the "created" class it chose per aggregate here.
        created = es_domain._created_event_classes.get(agg, [])  # noqa: SLF001
        for value in vars(agg).values():
            if isinstance(value, type) and (
                value in created or issubclass(value, DecoratedFuncCaller)
            ) and value.__qualname__.startswith(agg.__qualname__ + "."):
                events[get_topic(value)] = value
    return [events[t] for t in sorted(events)]


def class_version(cls: type) -> int:
    return int(getattr(cls, "class_version", 1))


_installed = False


def install() -> None:
    """Register the aliases and give every event class an explicit
    ``class_version`` (1 when it never changed). The company application calls
    this when it is built, after every domain module is importable."""
    global _installed
    if _installed:
        return
    register_aliases()
    for cls in event_classes():
        if "class_version" not in vars(cls):
            cls.class_version = 1  # type: ignore[attr-defined]
    _installed = True
