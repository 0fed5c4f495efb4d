"""Scenes: plain functions that set a company up through the use cases or the
GraphQL API (the bolt-kit month's master data, PO-1 received, the factory…),
and the GraphQL documents the tests send. No test module imports a fixture
from another; the fixtures that several modules share are in tests/conftest.py
and call these functions."""
