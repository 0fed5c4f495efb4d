"""MRP's supplier for a planned purchase (rule 5 of domain/planning/mrp.py):
the item's first approved supplier not flagged for incoming quality, the
preferred one with a suppliers_flagged message when every one is
flagged, none when the item has no approved supplier; and the run's
fingerprint, unchanged for snapshots without approved suppliers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.planning.mrp import plan, preferred_supplier
from domain.planning.runs import snapshot_fingerprint
from tests.scenes.mrp import d, item, messages, snapshot, so

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("approved, flagged, chosen, all_flagged", [
    ((), frozenset(), "", False),
    (("SUP-A",), frozenset(), "SUP-A", False),
    (("SUP-A", "SUP-B", "SUP-C"), frozenset(), "SUP-A", False),
    (("SUP-A", "SUP-B", "SUP-C"), frozenset({"SUP-A"}), "SUP-B", False),
    (("SUP-A", "SUP-B", "SUP-C"), frozenset({"SUP-A", "SUP-B"}), "SUP-C", False),
    (("SUP-A", "SUP-B", "SUP-C"), frozenset({"SUP-B"}), "SUP-A", False),
    (("SUP-A", "SUP-B"), frozenset({"SUP-A", "SUP-B"}), "SUP-A", True),
    (("SUP-A",), frozenset({"SUP-A", "SUP-X"}), "SUP-A", True),
])
def test_the_first_approved_supplier_not_flagged_is_proposed(approved, flagged, chosen,
                                                             all_flagged):
    assert preferred_supplier(approved, flagged) == (chosen, all_flagged)


def _run(suppliers, flagged=frozenset()):
    items = [item("FG", ("RM", "2")), item("RM")]
    base = snapshot(items, [so("SO-1/1", "FG", "10", d(9))])
    return plan(replace(base, suppliers=suppliers, flagged_suppliers=flagged), "PL")


def test_a_planned_purchase_carries_its_supplier_and_a_planned_make_none():
    result = _run({"RM": ("SUP-A", "SUP-B"), "FG": ("SUP-A",)}, frozenset({"SUP-A"}))
    assert [(p.item, p.kind, p.qty, p.supplier) for p in result.planned] == [
        ("FG", "make", 10, ""), ("RM", "buy", 20, "SUP-B")]
    assert result.exceptions == ()
    assert [p.supplier for p in _run({}).planned] == ["", ""]


def test_when_every_approved_supplier_is_flagged_the_preferred_one_comes_with_a_message():
    result = _run({"RM": ("SUP-A", "SUP-B")}, frozenset({"SUP-A", "SUP-B"}))
    assert [(p.id, p.supplier) for p in result.planned if p.kind == "buy"] == [
        ("PL/00002", "SUP-A")]
    assert messages(result) == [(
        "suppliers_flagged", "PL/00002",
        "PL/00002 (RM): every approved supplier is flagged for incoming quality "
        "(SUP-A, SUP-B); SUP-A, the preferred one, is proposed")]
    assert result.exceptions[0].date == d(9)


def test_the_fingerprint_changes_only_when_suppliers_enter_the_plan():
    base = snapshot([item("RM")], [so("SO-1/1", "RM", "1", d(9))])
    # A snapshot without approved suppliers has the fingerprint runs before them had
    # (computed by the code before suppliers existed).
    assert snapshot_fingerprint(base) == \
        "35ed09dc948d3fce72bf667d31a5cd2f79141a9fc4df84aa5af77b481b16f887"
    listed = replace(base, suppliers={"RM": ("SUP-A", "SUP-B")})
    flagged = replace(listed, flagged_suppliers=frozenset({"SUP-A"}))
    assert len({snapshot_fingerprint(s) for s in (base, listed, flagged)}) == 3
