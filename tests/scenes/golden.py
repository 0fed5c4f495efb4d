"""The company application's codec for stored events, without a store, and
the golden stored events it reads (tests/test_event_contract.py and
tests/test_event_upcasters.py)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from domain import transcodings

GOLDEN = Path(__file__).parent.parent / "events"


class _Codec(Application):
    """Only the mapper of the company application (its transcodings), in memory."""

    def register_transcodings(self, transcoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register_all(transcoder)


MAPPER = _Codec(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def decode(record: dict, topic: str | None = None):
    return MAPPER.to_domain_event(StoredEvent(
        originator_id=uuid.UUID(int=1), originator_version=record["originator_version"],
        topic=topic or record["topic"],
        state=json.dumps(record["state"], ensure_ascii=False).encode("utf-8")))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
