"""A real factoryledger server for the browser tests and bench/web.py: the
demo month with its users (ROLE / ROLE-demo) and today's shop floor, served
by ``factoryledger serve`` (uvicorn) in a child process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright's own download is not reachable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database_url: str, shop_floor: bool = True) -> None:
    """Migrate and load the demo, its users and (``shop_floor``) today's work
    orders, which reopen the current month when it is the demo's closed one."""
    from api.demo import load_demo, load_demo_shop_floor, load_demo_users
    from api.runtime import Runtime
    from domain.commands import CommandContext
    from domain.store import parse_database_url

    BROWSER_TESTS = CommandContext(actor="browser-tests")  # noqa: N806

    runtime = Runtime(parse_database_url(database_url))
    try:
        load_demo(runtime.app)
        load_demo_users(runtime.app)
        if not shop_floor:
            runtime.runner.catch_up()
            return
        load_demo_shop_floor(runtime.app)
        # One more order of the bolt blank for the board's test alone (WO-000006),
        # so that no test depends on another's reports.
        today = runtime.app.today()
        made = runtime.app.create_work_order("SA-BLANK", "200", today, today, ctx=BROWSER_TESTS)
        runtime.app.release_work_order(made.value.number, ctx=BROWSER_TESTS)
        from tests.web.scene_office import prepare_inspection, prepare_maintenance
        prepare_inspection(runtime.app, BROWSER_TESTS)  # the inspector's lot of cartons
        prepare_maintenance(runtime.app, BROWSER_TESTS)  # a machine of the maintenance test
        runtime.runner.catch_up()
    finally:
        runtime.close()


@contextmanager
def serve(workdir: Path, log_name: str = "server.log", shop_floor: bool = True) -> Iterator[str]:
    """Yield the base URL of a prepared server; stop it afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{workdir / 'factoryledger.db'}"
    # In a child process too: the server's real clock decides "today", not a
    # clock the test session may have pinned.
    subprocess.run([sys.executable, "-c", "import sys; from tests.web.server import prepare; "
                    "prepare(sys.argv[1], sys.argv[2] == 'yes')", url,
                    "yes" if shop_floor else "no"], check=True, cwd=ROOT)
    port = free_port()
    env = {**os.environ, "FACTORYLEDGER_DATABASE_URL": url,
           "FACTORYLEDGER_SECRET_KEY": "browser-tests-only"}
    log = (workdir / log_name).open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "serve",
         "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: see {workdir / log_name}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
