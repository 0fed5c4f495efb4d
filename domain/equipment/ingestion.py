"""Equipment messages (the MQTT contract, docs/mqtt.md) and the record of the
ones that could not be recorded (the dead letters).

Topics: ``factoryledger/<company>/equipment/<code>/state`` with
``{"id", "at", "state", "reason"}`` (``reason`` only for DOWN) and
``factoryledger/<company>/equipment/<code>/count`` with
``{"id", "at", "total", "good"}``. ``parse`` turns a topic and its payload
into a ``StateMessage`` or ``CountMessage``, or raises ``BadMessage`` with a
stable code and the reason; it is pure (no store, no clock).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.equipment.oee import MachineState
from domain.errors import ValidationError
from domain.text import text_problem

TOPIC_ROOT = "factoryledger"
MAX_PAYLOAD = 4000  # characters of a rejected payload kept
MAX_ID = 100


class BadMessage(ValidationError):
    """A message that cannot be recorded as it is; ``code`` is stable."""

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(message, field)
        self.code = code


@dataclass(frozen=True)
class StateMessage:
    equipment: str
    id: str
    at: datetime
    state: MachineState
    reason: str = ""


@dataclass(frozen=True)
class CountMessage:
    equipment: str
    id: str
    at: datetime
    total: Decimal
    good: Decimal


def topics(company: str) -> tuple[str, str]:
    """The two subscriptions of a company's consumer."""
    return (f"{TOPIC_ROOT}/{company}/equipment/+/state",
            f"{TOPIC_ROOT}/{company}/equipment/+/count")


def parse_topic(topic: str, company: str) -> tuple[str, str]:
    """(equipment code, "state" | "count")."""
    parts = topic.split("/")
    if (len(parts) != 5 or parts[0] != TOPIC_ROOT or parts[1] != company
            or parts[2] != "equipment" or parts[4] not in ("state", "count") or not parts[3]):
        raise BadMessage("BAD_TOPIC", f"topic {topic!r} is not "
                         f"{TOPIC_ROOT}/{company}/equipment/<code>/state or /count", "topic")
    return parts[3], parts[4]


def _text(payload: dict, key: str, required: bool = True) -> str:
    value = payload.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadMessage("BAD_FIELD", f"{key} must be a non-empty string", key)
    problem = text_problem(value, MAX_ID if key == "id" else 100)
    if problem:
        raise BadMessage("BAD_FIELD", f"{key} {problem}", key)
    return value.strip()


def _at(payload: dict) -> datetime:
    text = _text(payload, "at")
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise BadMessage("BAD_FIELD", f"at {text!r} is not an ISO 8601 time", "at") from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise BadMessage("BAD_FIELD", f"at {text!r} has no UTC offset", "at")
    return at


def _units(payload: dict, key: str) -> Decimal:
    value = payload.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadMessage("BAD_FIELD", f"{key} must be a number", key)
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise BadMessage("BAD_FIELD", f"{key} {value!r} is not a number", key) from None
    if not number.is_finite():
        raise BadMessage("BAD_FIELD", f"{key} {value!r} is not a finite number", key)
    if number < 0:
        raise BadMessage("NEGATIVE_COUNT", f"{key} {value} is negative", key)
    return number


def parse(topic: str, payload: bytes, company: str = "default") -> StateMessage | CountMessage:
    code, kind = parse_topic(topic, company)
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadMessage("BAD_JSON", f"payload is not JSON: {exc}"[:300]) from None
    if not isinstance(data, dict):
        raise BadMessage("BAD_JSON", "payload is not a JSON object")
    message_id, at = _text(data, "id"), _at(data)
    if kind == "count":
        total, good = _units(data, "total"), _units(data, "good")
        return CountMessage(code, message_id, at, total, good)
    state_text = _text(data, "state")
    try:
        state = MachineState(state_text)
    except ValueError:
        allowed = ", ".join(s.value for s in MachineState)
        raise BadMessage("BAD_FIELD", f"state {state_text!r} is not one of {allowed}",
                         "state") from None
    reason = _text(data, "reason", required=False)
    return StateMessage(code, message_id, at, state, reason)


def message_id_of(payload: bytes) -> str:
    """The ``id`` of a payload, if it has a usable one (for the dead letter)."""
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    value = data.get("id") if isinstance(data, dict) else None
    return value[:MAX_ID] if isinstance(value, str) and not text_problem(value, MAX_ID) else ""


def _keep(c: str) -> bool:
    n = ord(c)
    return c in "\n\t" or (n >= 0x20 and not 0x7F <= n <= 0x9F and not 0xD800 <= n <= 0xDFFF)


def printable(payload: bytes | str, limit: int = MAX_PAYLOAD) -> str:
    """A payload as storable text: invalid UTF-8 and control characters escaped."""
    text = payload.decode("utf-8", "backslashreplace") if isinstance(payload, bytes) else payload
    return "".join(c if _keep(c) else f"\\u{ord(c):04x}" for c in text)[:limit]


def check_rejection(topic: str, payload: str, reason: str, code: str,
                    message_id: str) -> tuple[str, str, str, str, str]:
    return (printable(topic or "", 300), printable(payload or ""),
            printable(reason or "", 1000) or "rejected", printable(code or "", 40),
            printable(message_id or "", MAX_ID))


def rejection_id(topic: str, payload: str, message_id: str) -> uuid.UUID:
    digest = hashlib.sha256(json.dumps([topic, payload, message_id],
                                       ensure_ascii=False).encode()).hexdigest()
    return derived_id("rejected-equipment-message", digest)


class RejectedMessage(Aggregate):
    """One message the consumer could not record, and why (never applied)."""

    @event("Recorded")
    def __init__(self, topic: str, payload: str, reason: str, code: str, message_id: str,
                 received_at: datetime):
        self.topic = topic
        self.payload = payload
        self.reason = reason
        self.code = code
        self.message_id = message_id
        self.received_at = received_at

    @classmethod
    def create_id(cls, topic: str, payload: str, reason: str, code: str, message_id: str,
                  **_: object) -> uuid.UUID:
        return rejection_id(topic, payload, message_id)
