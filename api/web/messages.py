"""Extract and update the web console's message catalogs (Babel).

    python -m api.web.messages          # extract, update zh_CN and en, list what needs words
    python -m api.web.messages --check  # exit 1 if a catalog is stale or a zh_CN text missing

One catalog per page family ("domain"): ``pages/<name>.py`` and
``templates/<name>/*.html`` make the domain ``<name>``; the framework's own
modules and the top-level templates make ``base``. Each domain's strings go
to ``locale/zh_CN/LC_MESSAGES/<domain>.po`` (translations kept, new ones
empty: fill them in) and ``locale/en/...`` (the English ids themselves).
"""

from __future__ import annotations

import io
import sys
from collections import defaultdict
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).parent
LOCALE = HERE / "locale"
KEYWORDS = {**DEFAULT_KEYWORDS, "Nav": None}  # a page's navigation label
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                 "lstrip_blocks": "true"}


def sources() -> dict[str, list[tuple[str, Path]]]:
    """domain -> (method, file) to extract from."""
    found: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for path in sorted(HERE.glob("*.py")):
        found["base"].append(("python", path))
    for path in sorted((HERE / "pages").glob("*.py")):
        if path.stem != "__init__":
            found[path.stem].append(("python", path))
    for path in sorted((HERE / "templates").rglob("*.html")):
        rel = path.relative_to(HERE / "templates")
        found[rel.parts[0] if len(rel.parts) > 1 else "base"].append(("jinja2", path))
    return found


def extract(domain: str, files: list[tuple[str, Path]]) -> Catalog:
    catalog = Catalog(domain=domain, project="factoryledger", charset="utf-8")
    for method, path in files:
        fn = "jinja2.ext:babel_extract" if method == "jinja2" else "python"
        options = JINJA_OPTIONS if method == "jinja2" else {}
        for line, message, comments, context in extract_from_file(
                fn, str(path), keywords=KEYWORDS, options=options):
            catalog.add(message, None, [(str(path.relative_to(HERE)), line)],
                        auto_comments=comments, context=context)
    return catalog


def updated(domain: str, template: Catalog, language: str) -> Catalog:
    path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    if path.exists():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=language, domain=domain)
    else:
        catalog = Catalog(locale=language, domain=domain, project="factoryledger")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    for message in catalog:
        if not message.id:
            continue
        if language == "en":  # English ids are the English text
            message.string = message.id
        message.flags.discard("fuzzy")
    return catalog


def render(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, omit_header=True, sort_output=True, width=100, no_location=True)
    return buf.getvalue()


def missing(catalog: Catalog) -> list[str]:
    return [m.id for m in catalog if m.id and not m.string]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    problems: list[str] = []
    for domain, files in sorted(sources().items()):
        template = extract(domain, files)
        if not len(template):
            continue
        for language in ("zh_CN", "en"):
            catalog = updated(domain, template, language)
            text = render(catalog)
            path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
            if check:
                if not path.exists() or path.read_bytes() != text:
                    problems.append(f"{path.relative_to(HERE)} is stale: run "
                                    "python -m api.web.messages")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text)
            if language == "zh_CN":
                problems += [f"{path.relative_to(HERE)}: no translation for {m!r}"
                             for m in missing(catalog)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
