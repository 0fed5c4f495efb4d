"""The stored log's contract: every event type has a golden stored event per
version (tests/events/<Aggregate.Event>.v<N>.json, written by
tests/events/make_golden.py from the bolt-kit month and a December of the
other commands), and every golden file still decodes with today's code into
today's shape of its class, old versions through the upcasters.

No store is needed: the files are decoded with the company application's
mapper (its transcodings), as a stored log would be.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from eventsourcing.utils import get_topic, register_topic, resolve_topic

from domain import event_topics
from tests.scenes.golden import GOLDEN, MAPPER, decode, load

HOW = ("run `.venv/bin/python tests/events/make_golden.py` and commit the file it writes "
       "(docs/architecture.md, 'Event naming and versioning rules')")
ENVELOPE = {"originator_id", "originator_version"}
META = "meta"  # the command's metadata, stamped on every event before it is saved

event_topics.install()
EVENT_CLASSES = event_topics.event_classes()
BY_QUALNAME = {cls.__qualname__: cls for cls in EVENT_CLASSES}
GOLDEN_FILES = sorted(GOLDEN.glob("*.v*.json"))


def field_names(cls: type) -> set[str]:
    """The fields an event of ``cls`` has today (its class_version)."""
    return {f.name for f in dataclasses.fields(cls)} - ENVELOPE


def golden_parts(path: Path) -> tuple[str, int]:
    qualname, _, version = path.name.removesuffix(".json").rpartition(".v")
    return qualname, int(version)


def test_the_app_writes_the_event_classes_this_contract_covers():
    # The walk of domain/ finds what the company application stores: a sample.
    from domain.inventory.stock import StockBalance
    from domain.production.work_orders import WorkOrder

    assert {StockBalance.Opened, StockBalance.Issued, WorkOrder.Reported} <= set(EVENT_CLASSES)
    assert StockBalance.Event not in EVENT_CLASSES  # bases never written are not events
    assert len(EVENT_CLASSES) == len({get_topic(c) for c in EVENT_CLASSES}) >= 90
    # Golden files are named by Aggregate.Event: two classes must not share one.
    assert len(BY_QUALNAME) == len(EVENT_CLASSES)


def missing_golden(cls: type, folder: Path = GOLDEN) -> list[str]:
    """What golden files ``cls`` lacks: its current version's, and any old one."""
    version = event_topics.class_version(cls)
    problems = []
    if not (folder / f"{cls.__qualname__}.v{version}.json").exists():
        problems.append(f"{get_topic(cls)} v{version} has no golden file "
                        f"{cls.__qualname__}.v{version}.json: {HOW}")
    for old in range(1, version):  # old versions stay: stored logs hold them
        if not (folder / f"{cls.__qualname__}.v{old}.json").exists():
            problems.append(f"{cls.__qualname__}.v{old}.json was removed; old golden files "
                            "stay (stored logs hold that version)")
    return problems


def shape_change(cls: type, record: dict) -> str:
    """Why a golden file of the current version no longer matches its class ("" if it does)."""
    current = event_topics.class_version(cls)
    stored = set(record["state"]) - {META, "class_version"}
    if stored == field_names(cls):
        return ""
    return (f"{cls.__qualname__} fields changed from {sorted(stored)} to "
            f"{sorted(field_names(cls))} without a class_version bump: bump it to {current + 1}, "
            f"add upcast_v{current}_v{current + 1}, then {HOW}")


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__qualname__)
def test_every_event_class_has_a_version_and_a_golden_file_of_it(cls):
    version = vars(cls).get("class_version")
    assert isinstance(version, int) and version >= 1, f"{cls.__qualname__}: no class_version"
    assert missing_golden(cls) == []


def test_a_new_event_type_without_a_golden_file_is_reported_with_how_to_make_it(tmp_path):
    from domain.production.work_orders import WorkOrder

    assert missing_golden(WorkOrder.Reported, tmp_path) == [
        "domain.production.work_orders:WorkOrder.Reported v2 has no golden file "
        f"WorkOrder.Reported.v2.json: {HOW}",
        "WorkOrder.Reported.v1.json was removed; old golden files stay (stored logs hold "
        "that version)"]


def test_a_shape_change_without_a_version_bump_is_reported():
    from domain.inventory.stock import StockBalance

    record = load(GOLDEN / "StockBalance.Received.v1.json")
    assert shape_change(StockBalance.Received, record) == ""
    renamed = dict(record, state={**record["state"]})
    renamed["state"]["place"] = renamed["state"].pop("location")  # as if the field was renamed
    assert shape_change(StockBalance.Received, renamed) == (
        "StockBalance.Received fields changed from ['lot', 'movement', 'place', "
        "'posting_date', 'qty', 'timestamp', 'value'] to ['location', 'lot', 'movement', "
        "'posting_date', 'qty', 'timestamp', 'value'] without a class_version bump: bump it "
        f"to 2, add upcast_v1_v2, then {HOW}")


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_each_golden_file_decodes_into_todays_shape_of_its_class(path):
    qualname, version = golden_parts(path)
    assert qualname in BY_QUALNAME, (
        f"{path.name}: no event class {qualname} any more; a stored event type stays "
        "(domain/event_topics.py RETIRED lists the only ones removed)")
    cls = BY_QUALNAME[qualname]
    record = load(path)
    assert record["class_version"] == version
    assert record["state"].get("class_version", 1) == version
    # The topic of the file resolves to the class (directly, or by an alias
    # after the class moved: domain/event_topics.py ALIASES).
    assert resolve_topic(record["topic"]) is cls
    if version == event_topics.class_version(cls):
        assert shape_change(cls, record) == ""
    event = decode(record)  # old versions go through the upcasters
    assert type(event) is cls
    assert set(vars(event)) - ENVELOPE - {META} == field_names(cls)
    if META in record["state"]:
        assert event.meta == record["state"][META]


@pytest.mark.parametrize("topic", sorted(event_topics.RETIRED))
def test_a_retired_topic_has_no_class_and_no_golden_file(topic):
    """The explicit list of topics removed before any company's log held them:
    nothing writes them and no golden file expects them to decode."""
    assert event_topics.RETIRED[topic].strip()  # each says why
    assert topic not in {get_topic(cls) for cls in EVENT_CLASSES}
    with pytest.raises(Exception, match=topic.rpartition(".")[2]):
        resolve_topic(topic)
    assert [p.name for p in GOLDEN_FILES if load(p)["topic"] == topic] == []
    assert not list(GOLDEN.glob(f"{topic.partition(':')[2]}.v*.json"))


def test_retired_topics_are_only_the_order_line_and_work_order_states():
    assert sorted(event_topics.RETIRED) == [
        "domain.production.work_orders:WorkOrder.MaterialSet",
        "domain.production.work_orders:WorkOrder.OperationSet",
        "domain.production.work_orders:WorkOrder.ShortagesSet",
        "domain.production.work_orders:WorkOrder.StatusSet",
        "domain.purchasing:PurchaseOrder.LineSet", "domain.sales:SalesOrder.LineSet"]


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__qualname__)
def test_todays_event_encodes_back_to_its_golden_file(cls):
    """What today's code writes for the golden event is what the file holds:
    a value object that changed its stored name or fields shows up here."""
    path = GOLDEN / f"{cls.__qualname__}.v{event_topics.class_version(cls)}.json"
    if not path.exists():
        pytest.skip("reported by test_every_event_class_has_a_version_and_a_golden_file_of_it")
    record = load(path)
    stored = MAPPER.to_stored_event(decode(record))
    assert stored.topic == get_topic(cls)  # the file's may be an alias (a moved class)
    assert resolve_topic(record["topic"]) is cls
    assert json.loads(stored.state) == record["state"]


def test_a_stored_topic_of_a_moved_class_decodes_through_its_alias():
    """A class that moved module keeps its stored events readable: the old topic
    is an alias of today's (simulated with a topic no module defines)."""
    from domain.inventory.stock import StockBalance

    record = load(GOLDEN / "StockBalance.Received.v1.json")
    old_topic = "domain.stock_before_the_move:StockBalance.Received"
    with pytest.raises(Exception, match="stock_before_the_move"):
        decode(record, old_topic)
    event_topics.register_aliases({old_topic: get_topic(StockBalance.Received)})
    event = decode(record, old_topic)
    assert type(event) is StockBalance.Received
    assert (event.qty, event.movement.kind) == (
        json_decimal(record["state"]["qty"]), record["state"]["movement"]["_data_"]["kind"])
    # An alias that would point a topic at another class is refused.
    with pytest.raises(Exception, match="already registered"):
        register_topic(old_topic, StockBalance.Issued)


def json_decimal(value: dict):
    from decimal import Decimal

    assert value["_type_"] == "decimal_str"
    return Decimal(value["_data_"])


def test_a_version_bump_without_its_upcaster_cannot_decode_the_old_files(monkeypatch):
    from domain.production.work_orders import WorkOrder

    monkeypatch.setattr(WorkOrder.Reported, "class_version", 3)
    with pytest.raises(AttributeError, match="upcast_v2_v3"):
        decode(load(GOLDEN / "WorkOrder.Reported.v2.json"))
