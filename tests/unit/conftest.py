"""Unit tests of pure rules: no store, no migrations, no clock; each module
marks itself ``unit`` so ``make test-unit`` (pytest -m unit) runs them alone."""
