"""Value objects are stored under an explicit name given where they are
declared (``@transcoded("Movement")`` -> ``value:Movement``): two classes of
one stored name would decode as each other, so the decorator refuses the
second; a stored value that no longer fits its class is a clear error."""

import json
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

import pytest
from eventsourcing.persistence import DecimalAsStr, JSONTranscoder

from domain.inventory.stock import Movement
from domain.production.costing import Wip
from domain.transcodings import StoredValueError, register_all, transcoded


def test_a_second_value_type_of_a_stored_name_is_refused():
    with pytest.raises(TypeError, match="value:JournalLine"):
        @transcoded("JournalLine")
        @dataclass(frozen=True)
        class JournalLine:  # the ledger's JournalLine already has this name
            account: str


def test_a_second_enum_of_a_stored_name_is_refused():
    with pytest.raises(TypeError, match="enum:InvoiceType"):
        @transcoded("InvoiceType")
        class InvoiceType(Enum):  # the sales invoices' enum already has this name
            SPECIAL = "special"


def test_the_stored_name_must_be_given():
    with pytest.raises(TypeError, match='@transcoded\\("Movement"\\)'):
        @transcoded  # type: ignore[arg-type]
        @dataclass(frozen=True)
        class Unnamed:
            a: str


def test_the_stored_name_not_the_class_name_is_written():
    @transcoded("RenamedLater")
    @dataclass(frozen=True)
    class NameToday:
        a: str

    transcoder = JSONTranscoder()
    register_all(transcoder)
    stored = json.loads(transcoder.encode({"v": NameToday("x")}))
    assert stored == {"v": {"_type_": "value:RenamedLater", "_data_": {"a": "x"}}}
    assert transcoder.decode(json.dumps(stored).encode()) == {"v": NameToday("x")}


def _decode(data: dict) -> object:
    transcoder = JSONTranscoder()
    transcoder.register(DecimalAsStr())
    register_all(transcoder)
    return transcoder.decode(json.dumps({"v": data}).encode())["v"]


def test_an_unknown_stored_field_is_a_clear_error_naming_it():
    data = {"_type_": "value:Movement",
            "_data_": {"kind": "receipt", "document": "GR-1", "line": 1, "entry_id": "",
                       "bin": "A-01"}}
    with pytest.raises(StoredValueError, match=r"stored value:Movement does not fit "
                       r"domain\.inventory\.stock\.Movement: unknown fields \['bin'\], "
                       r"missing fields \[\]"):
        _decode(data)


def test_a_missing_required_field_is_a_clear_error_and_a_defaulted_one_decodes():
    with pytest.raises(StoredValueError, match=r"missing fields \['document', 'kind'\]"):
        _decode({"_type_": "value:Movement", "_data_": {"line": 1}})
    # Fields with defaults may be absent: an old value decodes with the default.
    assert _decode({"_type_": "value:Wip", "_data_": {"material": {
        "_type_": "decimal_str", "_data_": "1.50"}}}) == Wip(material=Decimal("1.50"))
    assert _decode({"_type_": "value:Movement", "_data_": {
        "kind": "receipt", "document": "GR-1"}}) == Movement("receipt", "GR-1", 0, "")


def test_a_value_object_version_upcasts_its_stored_fields():
    @transcoded("PriceBreakUpcastDemo", version=2)
    @dataclass(frozen=True)
    class PriceBreak:
        min_qty: Decimal
        unit_price: Decimal  # v1 called it "price"

        @staticmethod
        def upcast_v1_v2(data: dict) -> None:
            data["unit_price"] = data.pop("price")

    transcoder = JSONTranscoder()
    transcoder.register(DecimalAsStr())
    register_all(transcoder)
    v2 = PriceBreak(Decimal("100"), Decimal("4.80"))
    stored = json.loads(transcoder.encode({"v": v2}))
    assert stored["v"]["_data_"]["_v"] == 2
    assert transcoder.decode(json.dumps(stored).encode()) == {"v": v2}
    v1 = {"v": {"_type_": "value:PriceBreakUpcastDemo", "_data_": {
        "min_qty": {"_type_": "decimal_str", "_data_": "100"},
        "price": {"_type_": "decimal_str", "_data_": "4.80"}}}}
    assert transcoder.decode(json.dumps(v1).encode()) == {"v": v2}


def test_a_value_object_version_without_its_upcaster_is_refused():
    with pytest.raises(TypeError, match=r"needs a static upcast_v1_v2\(data\)"):
        @transcoded("NoUpcasterDemo", version=2)
        @dataclass(frozen=True)
        class NoUpcaster:
            a: str
