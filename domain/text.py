"""What a text value may contain before it is written to the log.

A NUL byte is refused by PostgreSQL's ``text``/``jsonb`` (once in the log it
failed every projection batch), other control characters hide in reports and
exports, a lone surrogate cannot be encoded as UTF-8, and an unbounded string
is a cheap way to bloat every read model. One pure rule serves every entry:
the GraphQL boundary (``api.graphql.scalars``) and the commands that bypass
it (the CLI).
"""

from __future__ import annotations

import re

from domain.errors import ValidationError

# One default for every text input; a field that really needs more (an
# invoice remark) names its own maximum.
MAX_TEXT = 1000
LONG_TEXT = 4000

# C0 controls except tab, LF and CR; DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problem(value: str, max_length: int = MAX_TEXT) -> str | None:
    """Why ``value`` may not be stored, or None when it may."""
    if "\x00" in value:
        return "must not contain a NUL character"
    control = _CONTROL.search(value)
    if control:
        return (f"must not contain the control character U+{ord(control.group()):04X} "
                f"(tab, line feed and carriage return are allowed)")
    if _SURROGATE.search(value):
        return "must not contain a lone surrogate (not valid Unicode text)"
    if len(value) > max_length:
        return f"is too long: {len(value)} characters, at most {max_length}"
    return None


def check_text(value: str, field: str, max_length: int = MAX_TEXT) -> str:
    """``value`` unchanged, or a ``ValidationError`` naming ``field``."""
    problem = text_problem(value, max_length)
    if problem:
        raise ValidationError(f"{field or 'text'} {problem}", field)
    return value
