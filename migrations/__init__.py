"""Alembic migrations for the read-model tables (package so it ships with the code)."""
