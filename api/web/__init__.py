"""The web console (issue #16, docs/web.md): server-rendered pages (Jinja2,
htmx), served by ``factoryledger serve`` beside GraphQL. Every asset is in
``static/``: no page loads anything from another server.

``routes()`` gives the app its routes: every module of ``api/web/pages`` is
imported, and each registers its pages with ``@page`` (``framework.py``)."""

from __future__ import annotations

import importlib
import pkgutil

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from api.web import pages as _pages
from api.web.framework import HERE, PAGES, endpoint


def load_pages() -> None:
    for module in pkgutil.iter_modules(_pages.__path__):
        importlib.import_module(f"{_pages.__name__}.{module.name}")


def routes() -> list[BaseRoute]:
    load_pages()
    found: list[BaseRoute] = [Route(p.path, endpoint(p), methods=list(p.methods))
                              for p in PAGES]
    found.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    return found
