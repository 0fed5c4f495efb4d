"""One server for the office pages' browser tests (planner, storekeeper,
accountant), apart from the shared one: they run MRP, firm orders, post
vouchers and close the month, which the shop-floor tests must not see."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests.web.server import serve

_running: dict[str, str] = {}


@pytest.fixture(scope="session")
def base_url(request, tmp_path_factory) -> str:
    """Overrides tests/web/conftest.py's base_url in the modules that import it."""
    if "url" not in _running:
        stack = ExitStack()
        _running["url"] = stack.enter_context(serve(tmp_path_factory.mktemp("office-server")))
        request.session.config.add_cleanup(stack.close)
    return _running["url"]


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server for one module alone (the accountant's test closes a month):
    the demo without today's shop floor, so 2026-11 stays closed whatever the
    real date and 2026-12, which the demo opened, is the month to close."""
    with serve(tmp_path_factory.mktemp("office-own-server"), shop_floor=False) as url:
        yield url
