"""The inspector's form as the use case's inputs (api/web/pages/inspector.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api.web.pages.inspector import results_of
from domain.errors import ValidationError
from domain.quality.findings import DefectCount, Measurement


def test_the_form_gives_measurements_and_defect_counts():
    measurements, defects = results_of({
        "csrf_token": "x", "hours": "1.5", "m:DIA": "10.01, 9.98\n10.00，10.02",
        "m:LEN": "  ", "d:LOOK:BURR": "2", "d:LOOK:RUST": "0", "d:LOOK:DENT": ""})
    assert measurements == (Measurement("DIA", (Decimal("10.01"), Decimal("9.98"),
                                                Decimal("10.00"), Decimal("10.02"))),)
    assert defects == (DefectCount("LOOK", "BURR", 2),)


@pytest.mark.parametrize("form", [{"m:DIA": "10.0 ten"}, {"d:LOOK:BURR": "2.5"}])
def test_bad_figures_are_refused_with_the_field(form):
    with pytest.raises(ValidationError):
        results_of(form)
