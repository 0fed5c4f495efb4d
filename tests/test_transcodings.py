"""Value objects are stored under their bare class name, so two classes of one
name would decode as each other: the decorator refuses the second."""

from dataclasses import dataclass
from enum import Enum

import pytest

from domain.transcodings import transcoded


def test_a_second_value_type_of_a_stored_name_is_refused():
    with pytest.raises(TypeError, match="value:JournalLine"):
        @transcoded
        @dataclass(frozen=True)
        class JournalLine:  # the ledger's JournalLine already has this name
            account: str


def test_a_second_enum_of_a_stored_name_is_refused():
    with pytest.raises(TypeError, match="enum:InvoiceType"):
        @transcoded
        class InvoiceType(Enum):  # the sales invoices' enum already has this name
            SPECIAL = "special"
