"""The office pages over HTTP (TestClient, open mode: a loopback admin): bad
input gets the use case's or the form's clear message and writes nothing
(tests/web has the browser tests of the same pages)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def client(runtime):
    from starlette.testclient import TestClient

    from api.app import create_app

    web = TestClient(create_app(runtime), base_url="http://127.0.0.1",
                     client=("127.0.0.1", 50000))
    page = web.get("/inspector")
    assert page.status_code == 200
    token = re.search(r'data-csrf="([^"]+)"', page.text)
    web.headers["X-CSRF-Token"] = token.group(1) if token else ""
    web.headers["HX-Request"] = "true"
    return web


@pytest.mark.parametrize(("path", "form", "message"), [
    ("/inspector/lots/IL-000009/record",
     {"inspectedOn": "2026-11-16", "d:LOOK:BURR": "2.5"}, "LOOK/BURR: a whole number"),
    ("/inspector/lots/IL-000009/record", {"inspectedOn": "16.11.2026"}, "inspectedOn: a date"),
    ("/inspector/lots/IL-000009/record", {"inspectedOn": "2026-11-16"}, "IL-000009"),
    ("/inspector/lots/IL-000009/override",
     {"postingDate": "2026-11-16", "acceptedQty": "90", "reason": "sorted"}, "IL-000009"),
    ("/inspector/ncrs/NCR-000009/dispose",
     {"kind": "BURN", "qty": "1", "postingDate": "2026-11-16"}, "kind: one of"),
    ("/maintenance/state", {"equipment": "CMP-01", "state": "BROKEN"}, "state: one of"),
    ("/maintenance/state", {"equipment": "CMP-09", "state": "DOWN", "reason": "故障"},
     "CMP-09"),
    ("/admin/users", {"username": "li", "roles": "inspector", "password": "short"},
     "8 characters"),
])
def test_bad_input_is_refused_with_its_reason_and_writes_nothing(client, runtime, path, form,
                                                                  message):
    before = runtime.app.log_position()
    answer = client.post(path, data=form)
    assert answer.status_code == 400
    assert message in answer.text and answer.headers["HX-Retarget"] == "#flash"
    assert runtime.app.log_position() == before
    assert runtime.app.users() == []  # still no users: nothing was created


def test_an_unknown_document_or_work_order_is_named(client):
    answer = client.get("/print/documents/GR-000009")
    assert answer.status_code == 400 and "GR-000009" in answer.text
    answer = client.get("/print/work-orders/WO-000009")
    assert answer.status_code == 400 and "WO-000009" in answer.text
