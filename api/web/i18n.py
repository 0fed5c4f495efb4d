"""Languages and number and date formats of the web console.

Message catalogs are gettext ``.po`` files (Babel), one per page family, in
``api/web/locale/<lang>/LC_MESSAGES/<domain>.po``; each language's files are
compiled in memory when the server starts and merged into one catalog, so a
new page brings its own file and touches no other (docs/web.md). Message ids
are English; zh_CN is the default language, ``en`` selectable.

Formats: amounts ``1,234.56`` (two decimals, comma thousands, as on Chinese
vouchers too); dates ``2026年11月16日`` in Chinese, ``2026-11-16`` in English.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT = "zh_CN"
COOKIE = "fl_lang"

_current: ContextVar[str] = ContextVar("web_language", default=DEFAULT)


def choose(requested: str | None) -> str:
    """A supported language, else the default."""
    value = (requested or "").replace("-", "_")
    if value in LANGUAGES:
        return value
    return "en" if value.lower().startswith("en") else DEFAULT


# The page family being rendered (its module's name, its catalog's name): a
# family's own translation wins over another family's for the same English text
# ("Lot" is 批号 to the storekeeper and 检验批 to the inspector).
_family: ContextVar[str] = ContextVar("web_family", default="")


def _compile(language: str, po: Path) -> Translations:
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=po.stem)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain="messages")


@cache
def family_translations(language: str, family: str) -> Translations | None:
    """One family's ``.po`` file compiled (None when the family has none)."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{family}.po"
    return _compile(language, po) if family and po.is_file() else None


@cache
def translations(language: str) -> NullTranslations:
    """All ``.po`` files of ``language`` merged (compiled once per process)."""
    merged: NullTranslations | None = None
    for po in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        part = _compile(language, po)  # merge() folds into the first: not a cached one
        if merged is None:
            merged = part
        else:
            merged.merge(part)
    return merged or NullTranslations()


def set_family(family: str) -> None:
    _family.set(family)


def _own(key: object) -> Translations | None:
    own = family_translations(_current.get(), _family.get())
    return own if own is not None and key in own._catalog else None


def set_language(language: str) -> None:
    _current.set(choose(language))


def language() -> str:
    return _current.get()


def gettext(message: str) -> str:
    own = _own(message)
    return (own or translations(_current.get())).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    own = _own((singular, 0))
    return (own or translations(_current.get())).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    """Mark a text for the catalog where it is defined; translate where shown."""
    return message


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None


def amount(value: object, places: int = 2) -> str:
    """1234.5 -> "1,234.50"; -1234.567 -> "-1,234.57" (half up, as the ledger rounds)."""
    number = _decimal(value)
    if number is None:
        return ""
    quant = Decimal(1).scaleb(-places)
    return f"{number.quantize(quant, rounding=ROUND_HALF_UP):,.{places}f}"


def quantity(value: object) -> str:
    """A quantity as entered: thousands separated, no trailing zeros (12.500 -> 12.5)."""
    number = _decimal(value)
    if number is None:
        return ""
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: object, places: int = 1) -> str:
    """0.9234 -> "92.3%"."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{(number * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"


def chinese_date(value: date | datetime | str | None) -> str:
    """2026-11-16 -> 2026年11月16日 (the form on Chinese documents)."""
    day = _as_date(value)
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def day(value: date | datetime | str | None) -> str:
    """A date in the page's language: 2026年11月16日 or 2026-11-16."""
    found = _as_date(value)
    if found is None:
        return ""
    return chinese_date(found) if language() == "zh_CN" else found.isoformat()


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
