"""A planner's worked week (docs/examples/planner-week.md) through GraphQL, on
SQLite and PostgreSQL: every table of the document, cell by cell, against
what the API answers (tests/scenes/planner_week.py plays the story)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.scenes.planner_week import monday, tuesday
from tests.scenes.planning_api import PLANNED_ORDERS

DOC = Path(__file__).resolve().parent.parent / "docs" / "examples" / "planner-week.md"


def tables() -> dict[str, list[list[str]]]:
    """Each ``<!-- table: name -->`` of the document: its rows (cells), header and
    separator left out."""
    out: dict[str, list[list[str]]] = {}
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        mark = re.fullmatch(r"<!-- table: ([\w-]+) -->", line.strip())
        if not mark:
            continue
        rows = []
        for row in lines[i + 3:]:
            if not row.startswith("|"):
                break
            rows.append([cell.strip() for cell in row.strip().strip("|").split("|")])
        out[mark.group(1)] = rows
    return out


def test_the_planner_week_figures_are_the_documents(factory, monkeypatch):
    doc = tables()
    assert set(doc) == {"split", "planned", "receipts", "schedule", "saved-monday", "moved",
                        "rescheduled", "late", "saved-tuesday"}
    gql = factory
    seen = monday(gql, monkeypatch)
    assert seen["split"] == doc["split"]
    assert seen["planned"] == doc["planned"]
    assert seen["exceptions"] == []
    assert seen["receipts"] == doc["receipts"]
    assert seen["schedule"] == doc["schedule"]
    assert seen["saved"] == doc["saved-monday"]
    serving = {top: [p["item"] for p in gql.gql(PLANNED_ORDERS, {"top": top})["plannedOrders"]]
               for top in ("SO-000001", "SO-000002")}
    assert serving == {"SO-000001": ["FG-KIT", "SA-BLANK"],
                       "SO-000002": ["FG-KIT", "RM-BOX", "RM-ZINC", "SA-BLANK", "RM-STEEL"]}
    seen = tuesday(gql, monkeypatch)
    # the preview (reschedule) and the recorded repair agree with the document
    assert seen["preview"] == [["SCH-000001"], *doc["moved"]]
    assert seen["moved"] == doc["moved"]
    assert seen["rescheduled"] == doc["rescheduled"]
    assert seen["late"] == doc["late"]
    assert seen["saved"] == doc["saved-tuesday"]
