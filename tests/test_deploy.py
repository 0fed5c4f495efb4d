"""Deployability (issue #12): the Dockerfile installs the runtime alone as a
non-root user, compose.yaml wires PostgreSQL, the API (2 workers), the
projector and the MQTT broker (checked by ``docker compose config`` where a
Docker Compose is installed), and ``make run`` installs no dev tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")  # PyYAML comes with uvicorn[standard]

ROOT = Path(__file__).resolve().parent.parent
DEV_ONLY = ("pytest", "hypothesis", "ortools", "ruff", "httpx", "import-linter")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_the_runtime_dependencies_hold_no_dev_tool():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"]).lower()
    assert not [name for name in DEV_ONLY if name in runtime]
    # CP-SAT scheduling is optional at run time (domain/planning/scheduling/cp_sat.py)
    assert any("ortools" in d for d in project["optional-dependencies"]["planning-solver"])


def test_the_image_installs_the_runtime_only_and_runs_as_a_user():
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    steps = [line for line in lines if line and not line.startswith("#")]
    final = steps[max(i for i, s in enumerate(steps) if s.startswith("FROM")):]
    users = [s.split()[1] for s in final if s.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    installs = " ".join(s for s in final if "pip install" in s)
    assert '"factoryledger${EXTRAS}"' in installs  # extras only when asked for
    assert 'ARG EXTRAS=""' in final
    assert 'ENTRYPOINT ["factoryledger"]' in final
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "tests", "var"} <= set(ignored)


def test_compose_runs_postgres_the_api_on_two_workers_the_projector_and_the_broker():
    services = _compose()["services"]
    assert {"postgres", "mosquitto", "migrate", "api", "projector", "ingest"} <= set(services)
    api = services["api"]
    assert api["command"][:1] == ["serve"]
    assert api["command"][api["command"].index("--workers") + 1] == "2"
    assert api["ports"] == ["127.0.0.1:8000:8000"]  # the reverse proxy is in front
    assert services["projector"]["command"] == ["project"]
    for name in ("api", "projector", "ingest"):  # after the migrations, every time
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"}
    url = services["migrate"]["environment"]["FACTORYLEDGER_DATABASE_URL"]
    assert url.startswith("postgresql://factoryledger:${POSTGRES_PASSWORD:?")
    assert url.endswith("@postgres:5432/factoryledger")
    assert "mqtt://mosquitto:1883" in services["ingest"]["command"]


def test_compose_names_commands_the_cli_has():
    import typer.main

    from api.cli import cli

    group = typer.main.get_command(cli)
    services = _compose()["services"]
    for name in ("migrate", "api", "ingest"):
        command = group.get_command(None, services[name]["command"][0])
        assert command is not None, services[name]["command"]
        options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        given = {a for a in services[name]["command"][1:] if a.startswith("--")}
        missing = given - options
        assert not missing, missing
    if group.get_command(None, "project") is None:
        pytest.skip("`factoryledger project` comes with the projector work (issue #12)")


def _docker_compose() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


def test_docker_compose_accepts_the_file():
    compose = _docker_compose()
    if compose is None:
        pytest.skip("no Docker Compose here (CI need not run Docker)")
    env = {**os.environ, "POSTGRES_PASSWORD": "0123abcd"}
    env.pop("FACTORYLEDGER_ALLOWED_HOSTS", None)
    done = subprocess.run([*compose, "-f", "compose.yaml", "config"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)["services"]
    assert resolved["api"]["environment"]["FACTORYLEDGER_DATABASE_URL"] == (
        "postgresql://factoryledger:0123abcd@postgres:5432/factoryledger")
    # without a database password it refuses to start anything
    env.pop("POSTGRES_PASSWORD")
    refused = subprocess.run([*compose, "-f", "compose.yaml", "config"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "POSTGRES_PASSWORD" in refused.stderr


def _dry_run(target: str) -> str:
    return subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_run_installs_the_runtime_and_make_test_the_dev_extras():
    run = _dry_run("run")
    assert "pip install --quiet --disable-pip-version-check -e .;" in run
    assert ".[dev]" not in run
    assert '-e ".[dev]"' in _dry_run("test")
