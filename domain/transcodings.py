"""JSON transcodings for the values our events carry.

eventsourcing 9.5.6 registers UUID, Decimal and datetime; ``date``, enums and
our frozen value objects need their own. Money is never a float: Decimal is
stored as its exact text.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

_value_types: list[type] = []
_enum_types: list[type[Enum]] = []
# Stored names are bare class names ("enum:InvoiceType"), so two classes of one
# name in different modules would silently decode as each other: refuse that.
_names: dict[str, type] = {}


def transcoded(cls: type) -> type:
    """Class decorator: store this frozen dataclass or enum in events by name."""
    kind = "enum" if issubclass(cls, Enum) else "value"
    known = _names.setdefault(f"{kind}:{cls.__name__}", cls)
    if known is not cls and known.__qualname__ + known.__module__ != (
            cls.__qualname__ + cls.__module__):
        raise TypeError(f"{cls.__module__}.{cls.__name__} would be stored as {kind}:"
                        f"{cls.__name__}, already the name of {known.__module__}."
                        f"{known.__name__}; rename one")
    if issubclass(cls, Enum):
        _enum_types.append(cls)
    else:
        assert dataclasses.is_dataclass(cls), cls
        _value_types.append(cls)
    return cls


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class AwareDatetimeAsISO(Transcoding):
    """Timestamps are stored in UTC; a naive datetime is a programming error."""

    type = datetime
    name = "datetime_iso"

    def encode(self, obj: datetime) -> str:
        if obj.tzinfo is None:
            raise TypeError(f"naive datetime {obj!r} cannot be stored; use UTC")
        return obj.astimezone(UTC).isoformat()

    def decode(self, data: str) -> datetime:
        return datetime.fromisoformat(data)


class EnumAsValue(Transcoding):
    def __init__(self, cls: type[Enum]) -> None:
        self.type = cls
        self.name = f"enum:{cls.__name__}"

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self.type(data)


class DataclassAsDict(Transcoding):
    def __init__(self, cls: type) -> None:
        self.type = cls
        self.name = f"value:{cls.__name__}"
        self._fields = [f.name for f in dataclasses.fields(cls)]

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self._fields}

    def decode(self, data: dict[str, Any]) -> Any:
        # JSON has no tuples: lists come back as lists; value objects keep tuples.
        return self.type(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def register_all(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(AwareDatetimeAsISO())
    for enum_cls in _enum_types:
        transcoder.register(EnumAsValue(enum_cls))
    for value_cls in _value_types:
        transcoder.register(DataclassAsDict(value_cls))
