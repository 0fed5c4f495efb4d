"""The layer contracts in .importlinter hold, and they bite: an import from the
domain into the read models, a context importing the application layer, or
the old ledger -> production cycle each break them (checked on a copy of the
packages, so the worktree is never touched). No store, no database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = ("api > projections > domain", "domain.application > domain.workflows",
             "No import cycles between sibling packages",
             "A context's use-case modules are imported by the application")


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(where), "COLUMNS": "200"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=where, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """domain/, projections/, api/ and the contract file, without caches."""
    where = tmp_path_factory.mktemp("packages")
    for package in ("domain", "projections", "api"):
        shutil.copytree(ROOT / package, where / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", where / ".importlinter")
    return where


def test_every_contract_is_kept_on_the_repository():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout
    for name in CONTRACTS:
        assert name in result.stdout


@pytest.mark.parametrize("module, line, broken", [
    # the domain reads no read model
    ("domain/ledger/closing.py", "import projections.tables",
     "domain is not allowed to import projections"),
    # no context imports the application layer
    ("domain/inventory/stock.py", "import domain.workflows.ports",
     "domain.inventory is not allowed to import domain.workflows"),
    # the cycle overhead allocation made before it moved to domain/workflows
    ("domain/ledger/closing.py", "import domain.production.work_orders",
     "- .ledger -> .production (1 import)"),
    # another context's use-case module
    ("domain/production/costing.py", "import domain.invoicing.sales_handlers",
     "Illegal imports of protected package domain.invoicing.sales_handlers"),
])
def test_a_forbidden_import_breaks_a_contract(copy, module, line, broken):
    path = copy / module
    original = path.read_text(encoding="utf-8")
    path.write_text(f"{original}\n{line}  # noqa\n", encoding="utf-8")
    try:
        result = lint_imports(copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout
    assert broken in result.stdout
