"""Reading the text of a page's form or query string into what a command takes:
the parsers the page families share."""

from __future__ import annotations

from datetime import date

from domain.errors import ValidationError


def form_day(value: str | None, field: str) -> date | None:
    """A date like 2026-11-16, or None when left empty."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{field} must be a date like 2026-11-16", field) from None


def form_code(value: str | None) -> str:
    """A code (item, warehouse, order number) as the register keys it."""
    return (value or "").strip().upper()
