"""Checks shared by the tests that call the use cases directly."""

import pytest


def refused(rt, exc_type, call, *args, **kwargs):
    """Run a command that must be refused; return the error, assert nothing written."""
    before = rt.app.log_position()
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    assert rt.app.log_position() == before
    return info.value
