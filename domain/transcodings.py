"""JSON transcodings for the values our events carry.

eventsourcing 9.5.6 registers UUID, Decimal and datetime; ``date``, enums and
our frozen value objects need their own. Money is never a float: Decimal is
stored as its exact text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

_value_types: list[tuple[str, type, int]] = []
_enum_types: list[tuple[str, type[Enum]]] = []
_custom_types: list[tuple[str, type, Callable[[Any], Any], Callable[[Any], Any]]] = []
# Every stored name ("value:Movement", "enum:InvoiceType") is given explicitly
# where the class is declared, so renaming or moving a class never changes
# what a stored log says; two classes of one stored name are refused.
_names: dict[str, type] = {}


class StoredValueError(ValueError):
    """A stored value object does not fit today's class (an unknown or a missing
    field): said plainly, naming the stored name and the fields, instead of a
    TypeError from ``cls(**data)`` deep in decoding."""


def transcoded(name: str, version: int = 1) -> Callable[[type], type]:
    """Class decorator: store this frozen dataclass or enum in events as
    ``value:<name>`` / ``enum:<name>``. The name is part of the stored log:
    keep it when the class is renamed or moved.

    ``version``: a value object whose fields change like an event's (renamed,
    removed, a new one without default) bumps it and defines static
    ``upcast_vN_vN+1(data)`` methods on the class, turning its stored fields of
    version N into N+1. Versions above 1 are stored beside the fields as ``_v``."""
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(f"@transcoded needs the stored name, like @transcoded(\"Movement\"); "
                        f"got {name!r}")

    def register(cls: type) -> type:
        kind = "enum" if issubclass(cls, Enum) else "value"
        stored = f"{kind}:{name}"
        known = _names.setdefault(stored, cls)
        if known is not cls and known.__qualname__ + known.__module__ != (
                cls.__qualname__ + cls.__module__):
            raise TypeError(f"{cls.__module__}.{cls.__name__} would be stored as {stored}, "
                            f"already the name of {known.__module__}.{known.__name__}; "
                            "give it another name")
        if issubclass(cls, Enum):
            assert version == 1, "enums are stored by value: add members, never change them"
            _enum_types.append((stored, cls))
        else:
            assert dataclasses.is_dataclass(cls), cls
            for old in range(1, version):
                if not callable(getattr(cls, f"upcast_v{old}_v{old + 1}", None)):
                    raise TypeError(f"{cls.__qualname__} version {version} needs a static "
                                    f"upcast_v{old}_v{old + 1}(data)")
            _value_types.append((stored, cls, version))
        return cls

    return register


def stored_as(name: str, encode: Callable[[Any], Any],
              decode: Callable[[Any], Any]) -> Callable[[type], type]:
    """Class decorator for a value that is not a dataclass (derived state a
    snapshot holds, like a stock balance's recent issues): stored as
    ``value:<name>`` through ``encode``/``decode`` (JSON-able data, whose
    own values are transcoded as usual)."""

    def register(cls: type) -> type:
        stored = f"value:{name}"
        known = _names.setdefault(stored, cls)
        if known is not cls and known.__qualname__ + known.__module__ != (
                cls.__qualname__ + cls.__module__):
            raise TypeError(f"{cls.__qualname__} would be stored as {stored}, already the "
                            f"name of {known.__qualname__}; give it another name")
        _custom_types.append((stored, cls, encode, decode))
        return cls

    return register


def stored_names() -> dict[str, type]:
    """Every stored value/enum name and its class (for the event contract test)."""
    return dict(_names)


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
    def __init__(self, name: str, cls: type[Enum]) -> None:
        self.type = cls
        self.name = name

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self.type(data)


class DataclassAsDict(Transcoding):
    def __init__(self, name: str, cls: type, version: int = 1) -> None:
        self.type = cls
        self.name = name
        self.version = version
        fields = dataclasses.fields(cls)
        self._fields = [f.name for f in fields]
        self._required = {f.name for f in fields if f.default is dataclasses.MISSING
                          and f.default_factory is dataclasses.MISSING}

    def encode(self, obj: Any) -> dict[str, Any]:
        data = {name: getattr(obj, name) for name in self._fields}
        if self.version > 1:
            data["_v"] = self.version
        return data

    def decode(self, data: dict[str, Any]) -> Any:
        data = dict(data)
        stored = data.pop("_v", 1)
        while stored < self.version:
            getattr(self.type, f"upcast_v{stored}_v{stored + 1}")(data)
            stored += 1
        unknown = sorted(set(data) - set(self._fields))
        missing = sorted(self._required - set(data))
        if unknown or missing:
            # A field added with a default decodes old values; anything else is
            # a shape change that needs a version bump and an upcaster
            # (docs/architecture.md, "Event naming and versioning rules").
            raise StoredValueError(
                f"stored {self.name} does not fit {self.type.__module__}."
                f"{self.type.__qualname__}: unknown fields {unknown}, missing fields "
                f"{missing}; known fields {self._fields}")
        # JSON has no tuples: lists come back as lists; value objects keep tuples.
        return self.type(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


class CustomAsData(Transcoding):
    def __init__(self, name: str, cls: type, encode: Callable[[Any], Any],
                 decode: Callable[[Any], Any]) -> None:
        self.type = cls
        self.name = name
        self._encode = encode
        self._decode = decode

    def encode(self, obj: Any) -> Any:
        return self._encode(obj)

    def decode(self, data: Any) -> Any:
        return self._decode(data)


def register_all(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(AwareDatetimeAsISO())
    for name, enum_cls in _enum_types:
        transcoder.register(EnumAsValue(name, enum_cls))
    for name, value_cls, version in _value_types:
        transcoder.register(DataclassAsDict(name, value_cls, version))
    for name, cls, encode, decode in _custom_types:
        transcoder.register(CustomAsData(name, cls, encode, decode))
