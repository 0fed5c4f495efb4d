"""The ``factoryledger`` command line (typer).

Every command reads ``FACTORYLEDGER_DATABASE_URL`` (or ``--database``); a bad
URL or an unreachable database prints one line and exits with status 2. The
commands that only read (status, verify, replay, trial-balance, report,
dead-letters, rebuild) never create a company: a mistyped path is refused.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from domain.store import ConfigurationError, config_from_env, parse_database_url

cli = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="factoryledger: event-sourced, ledger-first ERP + MES core.",
)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", "-d", help="Database URL (default: $FACTORYLEDGER_DATABASE_URL)."),
]


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"factoryledger: error: {message}", err=True)
    raise typer.Exit(code)


# The company of this call (``--company``, FACTORYLEDGER_COMPANY; api.companies).
_chosen: dict[str, str | None] = {"company": None}


@cli.callback()
def _choose_company(
    company: Annotated[str | None, typer.Option(
        "--company", "-c", envvar="FACTORYLEDGER_COMPANY",
        help="The company (多账套) every command acts on: a code from `company list`; "
        "default: the home company of the database URL.")] = None,
) -> None:
    _chosen["company"] = company


def _home_config(database: str | None):
    return parse_database_url(database) if database else config_from_env()


def _runtime(database: str | None, **kwargs):
    from api.companies import company_config
    from api.runtime import Runtime

    try:
        config = company_config(_home_config(database), _chosen["company"])
        return Runtime(config, **kwargs)
    except ConfigurationError as exc:
        _fail(str(exc))


def _progress(label: str, total: int) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A progress bar over log positions (stderr, so stdout stays parseable)."""
    bar = typer.progressbar(length=max(total, 1), label=label, file=sys.stderr, show_pos=True)
    bar.__enter__()
    state = {"done": 0}

    def advance(position: int) -> None:
        step = min(position, total) - state["done"]
        if step > 0:
            bar.update(step)
            state["done"] += step

    return advance, lambda: bar.__exit__(None, None, None)


OPEN_MODE_WARNING = (
    "factoryledger: WARNING: no users yet: the API is OPEN (demo mode): any local program "
    "may read and write as admin (loopback clients only). Create a user to close it: "
    "factoryledger user add NAME --role admin")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    mqtt: Annotated[str | None, typer.Option(
        "--mqtt", envvar="FACTORYLEDGER_MQTT_URL",
        help="Also consume equipment states and counts from this broker "
        "(mqtt://host[:port], docs/mqtt.md) in the server; default: none.")] = None,
    mqtt_company: Annotated[str, typer.Option(
        help="The <company> level of the MQTT topics.")] = "default",
    database: DatabaseOption = None,
    workers: Annotated[int, typer.Option(
        "--workers", min=1,
        help="API processes (PostgreSQL only): N stateless uvicorn workers plus one "
        "projector process (factoryledger project); 1: one process serves and projects.")] = 1,
    projector: Annotated[bool, typer.Option(
        "--projector/--no-projector",
        help="With --workers: start the projector process too (default), or leave it to "
        "a `factoryledger project` run elsewhere (compose.yaml's projector service).")] = True,
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql) and /healthz."""
    import uvicorn

    from api.app import MqttIngest, create_app
    from api.limits import Limits

    try:
        limits = Limits.from_env()
    except ValueError as exc:
        _fail(str(exc))
    warning = host_warning(host, limits)
    if warning:
        typer.echo(f"factoryledger: warning: {warning}", err=True)
    if workers > 1:
        _serve_workers(host, port, workers, database, mqtt, limits, projector)
        return
    ingest = None
    if mqtt:
        ingest = MqttIngest(_checked_broker(mqtt, "--mqtt"),
                            _checked_company(mqtt_company, "--mqtt-company"))
    runtime = _runtime(database, follow=True)
    typer.echo(f"factoryledger: {runtime.config.describe()}; http://{host}:{port}/graphql"
               + (f"; consuming {mqtt} as company {mqtt_company}" if mqtt else ""))
    if not runtime.app.users():
        typer.echo(OPEN_MODE_WARNING, err=True)
    try:
        # A WebSocket message is held to the same cap as a request body.
        uvicorn.run(create_app(runtime, limits=limits, mqtt=ingest), host=host, port=port,
                    log_level="info",
                    ws_max_size=limits.max_body_bytes)
    finally:
        runtime.close()


def _serve_workers(host: str, port: int, workers: int, database: str | None,
                   mqtt: str | None, limits, own_projector: bool = True) -> None:
    """``serve --workers N``: one projector process follows the log, N uvicorn
    workers answer requests without projecting (each waits for the projector's
    stored position when a client asks to read its writes)."""
    import os
    import subprocess

    import uvicorn

    from api.runtime import PROJECTOR_ENV

    if mqtt:
        _fail("--mqtt runs in a single server process; with --workers, consume with "
              "`factoryledger mqtt` beside it")
    runtime = _runtime(database)  # checks the database and migrates, once
    if runtime.config.kind != "postgres":
        runtime.close()
        _fail("--workers needs PostgreSQL (SQLite has one writer: serve it with one "
              "process, which also projects)")
    url = database or os.environ.get("FACTORYLEDGER_DATABASE_URL", "")
    described, no_users = runtime.config.describe(), not runtime.app.users()
    runtime.close()
    env = {**os.environ, "FACTORYLEDGER_DATABASE_URL": url}
    if _chosen["company"]:  # the projector follows the same company's log
        env["FACTORYLEDGER_COMPANY"] = _chosen["company"]
    projector = (subprocess.Popen([sys.executable, "-m", "api.cli", "project"], env=env)
                 if own_projector else None)
    os.environ.update({"FACTORYLEDGER_DATABASE_URL": url, PROJECTOR_ENV: "external"})
    typer.echo(f"factoryledger: {described}; http://{host}:{port}/graphql; {workers} API "
               "workers, " + (f"projector process {projector.pid}" if projector else
                              "the projector runs elsewhere (factoryledger project)"))
    if no_users:
        typer.echo(OPEN_MODE_WARNING, err=True)
    try:
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port,
                    workers=workers, log_level="info", ws_max_size=limits.max_body_bytes)
    finally:
        if projector is not None:
            projector.terminate()
            try:
                projector.wait(timeout=15)
            except subprocess.TimeoutExpired:
                projector.kill()


@cli.command()
def project(
    database: DatabaseOption = None,
    poll: Annotated[float | None, typer.Option(
        help="Seconds between reads of the log when nothing wakes the projector "
        "(default: 0.5 on SQLite; 5 on PostgreSQL, where the store's NOTIFY wakes it).")] = None,
) -> None:
    """Follow the log and keep the read models up to date, until stopped (SIGTERM,
    Ctrl-C): the projector process beside `serve --workers N`. Exactly once: each
    batch commits the read models with their tracking position, so a killed
    projector resumes where its last batch committed."""
    import signal
    import threading

    runtime = _runtime(database)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker = runtime.projector(poll)
    worker.start()
    typer.echo(f"factoryledger: projecting {runtime.config.describe()} from log position "
               f"{worker.reached}", err=True)
    last_error = None
    try:
        while not stop.wait(1.0):
            if worker.last_error != last_error:
                last_error = worker.last_error
                if last_error:
                    typer.echo(f"factoryledger: projector: {last_error}", err=True)
    finally:
        worker.stop()
        typer.echo(f"factoryledger: projector stopped at log position {worker.reached}",
                   err=True)
        runtime.close()


def host_warning(host: str, limits) -> str | None:
    """Listening beyond loopback while only loopback Host names are allowed:
    every client would get 400 until the allow-list names the server."""
    from api.limits import normal_host

    if normal_host(host) in ("localhost", "127.0.0.1", "[::1]") or not limits.loopback_only:
        return None
    return (f"listening on {host}, but only the Host names {', '.join(limits.allowed_hosts)} "
            "are answered (DNS-rebinding defence); set FACTORYLEDGER_ALLOWED_HOSTS to the "
            "names clients use, comma-separated, e.g. erp.example.com,192.168.1.20")


@cli.command()
def migrate(database: DatabaseOption = None) -> None:
    """Create or upgrade the read-model tables (Alembic) and catch them up."""
    runtime = _runtime(database)
    try:
        applied = runtime.runner.catch_up()
        typer.echo(f"read models at head; {applied} events projected; "
                   f"log position {runtime.app.log_position()}")
    finally:
        runtime.close()


@cli.command()
def rebuild(
    name: Annotated[
        str | None, typer.Argument(help="Projection to rebuild (default: all).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Replay the log into shadow tables and swap them in when complete
    (the live read models keep answering meanwhile)."""
    from projections.rebuild import RebuildBusy
    from projections.rebuild import rebuild as run_rebuild
    from projections.registry import all_projections

    names = [p.name for p in all_projections()]
    if name is not None and name not in names:
        _fail(f"no projection named {name!r}; known: {', '.join(names)}")
    runtime = _runtime(database, existing=True)
    try:
        total = runtime.app.log_position()
        advance, done = _progress("rebuilding", total)
        try:
            applied = run_rebuild(runtime.app, runtime.engine, runtime.config,
                                  [name] if name else None, progress=advance)
        except RebuildBusy as exc:
            _fail(str(exc))
        finally:
            done()
        runtime.runner.catch_up()  # what the log gained while the shadow was built
        typer.echo(f"rebuilt {name or 'all projections'}: {applied} events replayed")
        dead = runtime.runner.dead_letters(name)
        if dead:
            typer.echo(f"{len(dead)} events could not be applied and were set aside; "
                       "see: factoryledger dead-letters list", err=True)
    finally:
        runtime.close()


@cli.command()
def verify(database: DatabaseOption = None) -> None:
    """Rebuild into a scratch place and compare per-table checksums with the live tables."""
    from projections.verify import verify as run_verify

    runtime = _runtime(database, existing=True)
    try:
        advance, done = _progress("replaying", runtime.app.log_position())
        try:
            report = run_verify(runtime, progress=advance)
        finally:
            done()
        for table, live in report.live.items():
            rebuilt = report.rebuilt.get(table)
            mark = "ok" if live == rebuilt else "DIFFERS"
            typer.echo(f"{mark:8} {table:24} {live.rows:>8} rows  {live.digest[:16]}")
        _audit_log(runtime)  # tamper evidence: the log against its hash chain
        if not report.ok:
            _fail(f"read models differ from a rebuild: {', '.join(report.differences)}", 1)
        typer.echo(f"verified at log position {report.position}")
    finally:
        runtime.close()


def _audit_log(runtime) -> None:
    """Check the chained log, then chain what is new (sealing closes); exit 1 on findings."""
    from projections.audit_chain import AuditChain, audit

    report = audit(runtime.app, runtime.engine)
    chained = AuditChain(runtime.app, runtime.engine).catch_up()
    _echo_findings(report.findings)
    if report.findings:
        _fail(f"the event log was altered: {len(report.findings)} finding(s), the first at "
              f"position {report.findings[0].position}", 1)
    typer.echo(f"audit chain holds: {report.checked} events up to position {report.head} "
               f"match the log; {report.seals} seal(s) hold; {chained} new event(s) chained")


def _echo_findings(findings, shown: int = 100) -> None:
    """One line per finding; a mass deletion does not flood the terminal."""
    for finding in findings[:shown]:
        typer.echo(str(finding))
    if len(findings) > shown:
        typer.echo(f"... and {len(findings) - shown} more finding(s)")


@cli.command()
def audit(
    period: Annotated[str | None, typer.Option(
        help="Check a closed month (e.g. 2026-11) against its seal.")] = None,
    export_seal: Annotated[str | None, typer.Option(
        "--export-seal", help="Print a closed month's seal, to keep outside the database.")] = None,
    check_seal: Annotated[str | None, typer.Option(
        "--check-seal", help="Prove the log still produces a seal printed by --export-seal.")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Tamper evidence: check the event log against its hash chain and period seals."""
    from domain.errors import DomainError
    from projections import audit_chain as chain

    seal = None
    if check_seal is not None:
        try:
            seal = chain.Seal.parse(check_seal)
        except ValueError as exc:
            _fail(str(exc))
    runtime = _runtime(database)
    try:
        if seal is None:
            if period is None and export_seal is None:
                _audit_log(runtime)
                return
            # A month is judged by its seal alone; chaining first seals a fresh close.
            chain.AuditChain(runtime.app, runtime.engine).catch_up()
            try:
                seal = chain.latest_seal(runtime.app, export_seal or period)
            except DomainError as exc:
                _fail(exc.message)
            if seal is None:
                _fail(f"period {export_seal or period} has no seal: it was never closed", 1)
        findings = chain.check_seal(runtime.app, runtime.engine, seal)
        _echo_findings(findings)
        if findings:
            _fail(f"the log up to position {seal.position} is not what {seal.period} "
                  "was sealed with", 1)
        if export_seal is not None:
            typer.echo(seal.text())
        else:
            typer.echo(f"seal of {seal.period} holds: the log up to position {seal.position} "
                       f"gives digest {seal.digest}")
            if runtime.app.period(seal.period).status.value == "open":
                typer.echo(f"note: {seal.period} was reopened after this seal; what was "
                           "posted since is not sealed yet")
    finally:
        runtime.close()


@cli.command()
def replay(
    as_of: Annotated[int, typer.Option("--as-of", help="Log position to stop at.")],
    into: Annotated[str, typer.Option(help="Database URL to build the read models in.")],
    database: DatabaseOption = None,
) -> None:
    """Build the read models as they stood at a log position, into another database."""
    from projections.verify import replay_as_of

    runtime = _runtime(database, existing=True)
    try:
        target = parse_database_url(into)
        if target.url == runtime.config.url:
            _fail("--into must name another database than the live one")
        reached = replay_as_of(runtime.app, into, as_of)
        typer.echo(f"read models as of log position {reached} written to {target.describe()}")
    except (ConfigurationError, ValueError) as exc:
        _fail(str(exc))
    finally:
        runtime.close()


@cli.command()
def status(database: DatabaseOption = None) -> None:
    """Log position and how far each projection has got, as JSON."""
    runtime = _runtime(database, existing=True)
    try:
        typer.echo(json.dumps({
            "store": runtime.config.describe(),
            "log_position": runtime.app.log_position(),
            "projections": runtime.runner.positions(),
            "dead_letters": runtime.runner.dead_letter_count(),
        }, ensure_ascii=False))
    finally:
        runtime.close()


@cli.command()
def demo(database: DatabaseOption = None,
         users: Annotated[bool, typer.Option(
             "--users", help="Also create one user per role for the web console, password "
             "ROLE-demo (e.g. operator / operator-demo); this closes the open API.")] = False,
         shop_floor: Annotated[bool, typer.Option(
             "--shop-floor", help="Also release three work orders starting today, for the "
             "shop-floor terminal and the factory board.")] = False,
         ) -> None:
    """Load the demo company (idempotent: running it again writes nothing)."""
    from api.demo import load_demo, load_demo_shop_floor, load_demo_users

    runtime = _runtime(database)
    try:
        written = load_demo(runtime.app)
        if users:
            written += load_demo_users(runtime.app)
        if shop_floor:
            written += load_demo_shop_floor(runtime.app)
        runtime.runner.catch_up()
        typer.echo(f"demo data: {written} new commands applied")
    finally:
        runtime.close()


@cli.command("trial-balance")
def trial_balance(
    period: Annotated[str, typer.Option(help="Period, e.g. 2026-11.")],
    database: DatabaseOption = None,
) -> None:
    """Print the trial balance (科目余额表) of a period."""
    from domain.money import format_amount as fmt
    from projections import ledger_queries as q

    runtime = _runtime(database, existing=True)
    try:
        runtime.runner.catch_up()
        with runtime.read() as conn:
            tb = q.trial_balance(conn, period)
        typer.echo(f"{'code':10} {'name':16} {'opening':>16} {'debit':>16} {'credit':>16} "
                   f"{'closing':>16}")
        for r in tb.rows:
            typer.echo(f"{r.code:10} {r.name:16} {fmt(r.opening):>16} {fmt(r.debit):>16} "
                       f"{fmt(r.credit):>16} {fmt(r.closing):>16}")
        typer.echo(f"{'totals':27} {fmt(tb.opening_debit):>16} {fmt(tb.debit):>16} "
                   f"{fmt(tb.credit):>16} {fmt(tb.closing_debit):>16}")
        typer.echo("balanced" if tb.balanced else "NOT BALANCED")
    finally:
        runtime.close()


@cli.command("report")
def report(
    name: Annotated[str, typer.Argument(
        help="balance-sheet, income-statement, cash-flow-statement, trial-balance or "
        "vat-return.")],
    period: Annotated[str, typer.Option(help="Period, e.g. 2026-11.")],
    as_of: Annotated[int | None, typer.Option(
        "--as-of", help="Show the books as they stood at this log position.")] = None,
    xlsx: Annotated[str | None, typer.Option(help="Write an Excel file here.")] = None,
    csv_path: Annotated[str | None, typer.Option("--csv", help="Write a CSV file here.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Print or export a statement: 资产负债表, 利润表, 现金流量表 or 科目余额表."""
    from api.exports import to_csv, to_xlsx
    from domain.errors import DomainError
    from domain.ledger.closing import last_day
    from domain.ledger.periods import check_period
    from domain.money import format_amount as fmt
    from projections.reports import report as build

    runtime = _runtime(database, existing=True)
    try:
        runtime.runner.catch_up()
        try:
            period = check_period(period)
            with runtime.read() as conn:
                table = build(conn, name, period, as_of)
        except DomainError as exc:
            _fail(exc.message)
        if xlsx:
            from datetime import datetime

            created = datetime.combine(last_day(period), datetime.min.time())
            with open(xlsx, "wb") as out:
                out.write(to_xlsx(table, created))
            typer.echo(f"wrote {xlsx}")
        if csv_path:
            with open(csv_path, "wb") as out:
                out.write(to_csv(table))
            typer.echo(f"wrote {csv_path}")
        if not xlsx and not csv_path:
            typer.echo(table.title)
            typer.echo(table.subtitle)
            typer.echo("\t".join(table.headers))
            for row in table.rows:
                typer.echo("\t".join(fmt(v) if not isinstance(v, (int, str)) else str(v)
                                      for v in row))
    finally:
        runtime.close()


def _day(value: str | None, option: str):
    """An ISO date option, or None; a bad one fails with one line naming it."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} must be a date like 2026-11-30, not {value!r}")


def _command(database: str | None, run) -> None:
    """Run one application function on an existing company, as the CLI
    (trusted, actor "cli"); a refusal prints one line and exits with status 1."""
    from domain.errors import DomainError, ProjectionLag

    runtime = _runtime(database, existing=True)
    try:
        run(runtime)
    except DomainError as exc:
        code = getattr(exc, "code", type(exc).__name__)
        _fail(f"{code}: {exc.message}", 1)
    except ProjectionLag as exc:
        _fail(f"ProjectionLag: {exc.message}", 1)
    finally:
        runtime.close()


KeyOption = Annotated[str | None, typer.Option(
    "--idempotency-key", help="Run at most once under this key (a retry replays the result).")]


@cli.command("run-mrp")
def run_mrp(
    today: Annotated[str | None, typer.Option(
        help="The planning day (YYYY-MM-DD): nothing is needed or released before it; "
        "default the company's today.")] = None,
    idempotency_key: KeyOption = None,
    database: DatabaseOption = None,
) -> None:
    """Plan material requirements (MRP) and record the run, as GraphQL's runMrp does."""
    from domain.commands import CommandContext
    from domain.workflows.mrp import run_mrp as plan_and_record
    from projections import planning_queries as plq

    day = _day(today, "--today")

    def run(runtime) -> None:
        ctx = CommandContext(actor="cli", idempotency_key=idempotency_key)
        out = plan_and_record(runtime.app, runtime.inputs, day or runtime.app.today(), ctx)
        run_ = out.value
        typer.echo(f"MRP run {run_.number}: {run_.planned} planned orders, "
                   f"{run_.exceptions} exceptions (log position {out.position}"
                   f"{', replayed' if out.replayed else ''})")
        if not runtime.reach(out.position):
            return  # recorded; the read models will list its orders shortly
        with runtime.read() as conn:
            for po in plq.planned_order_list(conn, run_.number):
                qty = format(po.qty.normalize(), "f")  # 10.000000 -> 10, as GraphQL shows it
                typer.echo(f"{po.id}\t{po.kind}\t{po.item}\t{qty}\t"
                           f"{po.need_date.isoformat()}\t{po.release_date.isoformat()}")

    _command(database, run)


@cli.command("settle-overhead")
def settle_overhead(
    period: Annotated[str, typer.Option(help="Period, e.g. 2026-11.")],
    method: Annotated[str, typer.Option(
        help="cost-of-sales (all to 5401) or allocate (over open WIP, manufactured stock "
        "and the year's cost of sales).")] = "cost-of-sales",
    posting_date: Annotated[str | None, typer.Option(
        help="Default: the last day of the period.")] = None,
    idempotency_key: KeyOption = None,
    database: DatabaseOption = None,
) -> None:
    """结转制造费用: settle 4101's under/over-applied overhead, as GraphQL's settleOverhead."""
    from domain.commands import CommandContext
    from domain.ledger.period_end import OverheadMethod
    from domain.workflows.period_end import settle_overhead as settle

    try:
        chosen = OverheadMethod(method.strip().lower().replace("-", "_"))
    except ValueError:
        _fail(f"--method must be cost-of-sales or allocate, not {method!r}")
    day = _day(posting_date, "--posting-date")

    def run(runtime) -> None:
        ctx = CommandContext(actor="cli", idempotency_key=idempotency_key)
        out = settle(runtime.app, runtime.inputs, period, chosen, day, ctx)
        settled = out.value
        typer.echo(f"amount {settled.amount}")
        typer.echo(f"voucher {settled.voucher_no}")
        typer.echo(f"entry {settled.entry_id}")
        typer.echo(f"log position {out.position}{' (replayed)' if out.replayed else ''}")

    _command(database, run)


@cli.command("ingest-mqtt")
def ingest_mqtt(
    url: Annotated[str, typer.Option(help="The broker: mqtt://[user[:password]@]host[:port].")
                   ] = "mqtt://127.0.0.1:1883",
    company: Annotated[str, typer.Option(
        help="The <company> of the topics factoryledger/<company>/equipment/<code>/state "
        "and /count.")] = "default",
    client_id: Annotated[str | None, typer.Option(
        "--client-id", help="The persistent session's client id (default "
        "factoryledger-ingest-<company>); one consumer per id.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Record equipment states and counts from MQTT (docs/mqtt.md) until stopped;
    bad messages go to equipmentDeadLetters, a lost broker is reconnected."""
    import asyncio
    import logging

    from api.mqtt_ingest import at_most_every, consume

    _checked_broker(url)
    _checked_company(company)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    runtime = _runtime(database, follow=True)
    typer.echo(f"factoryledger: {runtime.config.describe()}; consuming {url} as company "
               f"{company} (Ctrl-C stops)")
    try:
        # poke the read models after messages (the worker polls only every 0.5 s)
        poke = at_most_every(0.05, runtime.worker.poke)
        asyncio.run(consume(runtime.app, url, company, client_id=client_id, on_handled=poke))
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()


def _checked_broker(url: str, option: str = "--url") -> str:
    from api.mqtt_ingest import parse_url

    try:
        parse_url(url, option)
    except ValueError as exc:
        _fail(str(exc))
    return url


def _checked_company(company: str, option: str = "--company") -> str:
    if not company or "/" in company or "+" in company or "#" in company:
        _fail(f"{option} must be a topic level without '/', '+' or '#'")
    return company


dead_letters = typer.Typer(help="Events a projection could not apply, set aside so the "
                           "read models go on (admin).")
cli.add_typer(dead_letters, name="dead-letters")


@dead_letters.command("list")
def dead_letters_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
    database: DatabaseOption = None,
) -> None:
    """Show every dead letter: projection, log position, event topic, attempts, error."""
    from dataclasses import asdict

    runtime = _runtime(database, existing=True)
    try:
        letters = runtime.runner.dead_letters()
        if as_json:
            typer.echo(json.dumps([asdict(d) for d in letters], ensure_ascii=False))
            return
        if not letters:
            typer.echo("no dead letters")
        for d in letters:
            typer.echo(f"{d.projection:20} {d.position:>10}  {d.topic}  "
                       f"attempts {d.attempts}  failed {d.failed_at}")
            typer.echo(f"    {d.error.splitlines()[0] if d.error else ''}")
    finally:
        runtime.close()


@dead_letters.command("retry")
def dead_letters_retry(
    projection: Annotated[str | None, typer.Option(help="Only this projection's.")] = None,
    position: Annotated[int | None, typer.Option(help="Only the event at this position.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Apply dead letters again (after fixing their cause): applied ones are removed,
    failing ones count an attempt and keep the new error. Exit 1 if any still fails."""
    from projections.registry import all_projections

    names = [p.name for p in all_projections()]
    if projection is not None and projection not in names:
        _fail(f"no projection named {projection!r}; known: {', '.join(names)}")
    runtime = _runtime(database, existing=True)
    try:
        results = runtime.runner.retry(projection, position)
        if not results:
            typer.echo("no dead letters to retry")
        for r in results:
            if r.applied:
                typer.echo(f"applied  {r.projection} {r.position}")
            else:
                typer.echo(f"failed   {r.projection} {r.position}: "
                           f"{(r.error or '').splitlines()[0]}")
        failed = sum(1 for r in results if not r.applied)
        if failed:
            _fail(f"{failed} of {len(results)} dead letters still fail", 1)
    finally:
        runtime.close()


users = typer.Typer(help="Users, roles and API tokens (the API is open until a user exists).")
cli.add_typer(users, name="user")

RoleOption = Annotated[
    list[str],
    typer.Option("--role", "-r", help="admin, planner, storekeeper, operator, inspector, "
                 "accountant, maintenance or viewer; repeat for several."),
]


def _users_call(database: str | None, call) -> None:
    from domain.errors import DomainError

    runtime = _runtime(database)
    try:
        call(runtime.app)
    except DomainError as exc:
        _fail(exc.message)
    finally:
        runtime.close()


@users.command("add")
def user_add(username: str, role: RoleOption, database: DatabaseOption = None) -> None:
    """Create a user and print its first API token (shown once, never stored)."""
    from domain.users.directory import new_token

    token = new_token()

    def call(app) -> None:
        app.create_user(username, role, token)
        typer.echo(token)

    _users_call(database, call)


@users.command("token")
def user_token(username: str, label: Annotated[str, typer.Option()] = "",
               database: DatabaseOption = None) -> None:
    """Issue another API token for a user and print it."""
    from domain.users.directory import new_token

    token = new_token()

    def call(app) -> None:
        out = app.issue_token(username, token, label)
        typer.echo(token)
        typer.echo(f"token id {out.value.token_id} (to revoke: factoryledger user revoke "
                   f"--id {out.value.token_id})", err=True)

    _users_call(database, call)


@users.command("password")
def user_password(
    username: str,
    password: Annotated[str, typer.Option(
        prompt=True, hide_input=True, confirmation_prompt=True,
        help="The new password (asked for when not given; at least 8 characters).")],
    database: DatabaseOption = None,
) -> None:
    """Set the password a user signs in to the web console with (stored as an
    argon2 hash, never in plain)."""
    from api.web.passwords import hash_password
    from domain.errors import DomainError

    try:
        digest = hash_password(password)
    except DomainError as exc:
        _fail(exc.message)
    _users_call(database, lambda app: app.set_user_password(username, digest))
    typer.echo(f"password set for {username}")


@users.command("roles")
def user_roles(username: str, role: RoleOption, database: DatabaseOption = None) -> None:
    """Replace a user's roles."""
    _users_call(database, lambda app: app.set_user_roles(username, role))


@users.command("revoke")
def user_revoke(
    token: Annotated[str | None, typer.Argument(help="The token itself.")] = None,
    token_id: Annotated[str | None, typer.Option(
        "--id", help="The token's public id (user list shows it).")] = None,
    database: DatabaseOption = None,
) -> None:
    """Revoke an API token, given the token or its id."""
    if (token is None) == (token_id is None):
        _fail("give the token or --id ID (one of them)")
    if token_id is not None:
        _users_call(database, lambda app: app.revoke_token_id(token_id))
    else:
        _users_call(database, lambda app: app.revoke_token(token))


@users.command("disable")
def user_disable(username: str, database: DatabaseOption = None) -> None:
    """Disable a user: all its tokens stop working at once."""
    _users_call(database, lambda app: app.disable_user(username))


@users.command("enable")
def user_enable(username: str, database: DatabaseOption = None) -> None:
    """Enable a disabled user again (its unrevoked tokens work again)."""
    _users_call(database, lambda app: app.enable_user(username))


@users.command("list")
def user_list(database: DatabaseOption = None) -> None:
    """List users, their roles and state, and their tokens (public id, label, state)."""
    def call(app) -> None:
        for user in app.users():
            state = "" if user.active else "  DISABLED"
            typer.echo(f"{user.username:24} {','.join(user.roles)}{state}")
            for tok in app.user_tokens(user.username):
                mark = "revoked" if tok.revoked else "active"
                typer.echo(f"  token {tok.token_id}  {mark:8} {tok.label}")

    _users_call(database, call)


@cli.command()
def backup(
    output: Annotated[str, typer.Option("--output", "-o", help="The backup file to write "
                                        "(gzip JSON lines; '-' for stdout).")],
    database: DatabaseOption = None,
) -> None:
    """Back up the company's event log (everything else is rebuilt from it)."""
    from api.backup import write_backup

    runtime = _runtime(database, existing=True, migrate_first=False)
    try:
        if output == "-":
            summary = write_backup(runtime.app, sys.stdout.buffer, _chosen["company"] or "default")
        else:
            with open(output, "wb") as out:
                summary = write_backup(runtime.app, out, _chosen["company"] or "default")
        typer.echo(f"backed up {summary.events} events up to log position "
                   f"{summary.log_position} from {runtime.config.describe()}; "
                   f"sha256 {summary.sha256}", err=output == "-")
    finally:
        runtime.close()


@cli.command()
def restore(
    input_path: Annotated[str, typer.Option("--input", "-i", help="A file written by backup.")],
    database: DatabaseOption = None,
) -> None:
    """Restore an event log into an empty store, rebuild the read models from it,
    and verify them and the audit chain (exit 1 if anything differs)."""
    from api.backup import BackupError, restore_backup
    from api.companies import company_config
    from api.runtime import check_database
    from projections.verify import verify as run_verify

    try:
        config = company_config(_home_config(database), _chosen["company"])
        check_database(config)
        with open(input_path, "rb") as source:
            header, count = restore_backup(config, source)
    except (ConfigurationError, BackupError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot read {input_path}: {exc.strerror}")
    typer.echo(f"restored {count} events (company {header.get('company')}, backed up "
               f"{header.get('created_at')}) into {config.describe()}")
    runtime = _runtime(database, existing=True)
    try:
        applied = runtime.runner.catch_up()
        typer.echo(f"read models rebuilt: {applied} events projected")
        report = run_verify(runtime)
        if not report.ok:
            _fail(f"read models differ from a rebuild: {', '.join(report.differences)}", 1)
        _audit_log(runtime)
        typer.echo(f"verified at log position {report.position}")
    finally:
        runtime.close()


companies = typer.Typer(help="Companies (多账套): each its own event log and read models; "
                        "the home company is the database URL's (code default).")
cli.add_typer(companies, name="company")


@companies.command("add")
def company_add(
    code: Annotated[str, typer.Argument(help="2-31 characters: a-z first, then a-z 0-9 _.")],
    name: Annotated[str, typer.Option(help="The company's name (default: the code).")] = "",
    store: Annotated[str | None, typer.Option(
        "--store", help="Its own database URL (default: companies/<code>.db beside a SQLite "
        "home, schema company_<code> in a PostgreSQL home).")] = None,
    database: DatabaseOption = None,
) -> None:
    """Register a company and create its store (chart of accounts, read models)."""
    from api.companies import add_company
    from api.runtime import Runtime

    try:
        home = Runtime(_home_config(database))
    except ConfigurationError as exc:
        _fail(str(exc))
    try:
        company = add_company(home, code, name, store)
        typer.echo(f"company {company.code} ({company.name}): {company.where()}")
    except ConfigurationError as exc:
        _fail(str(exc))
    finally:
        home.close()


@companies.command("list")
def company_list(database: DatabaseOption = None) -> None:
    """The companies: code, name and where each one's store is (the home first)."""
    from api.companies import DEFAULT, list_companies
    from api.runtime import Runtime

    try:
        home = Runtime(_home_config(database), existing=True)
    except ConfigurationError as exc:
        _fail(str(exc))
    try:
        typer.echo(f"{DEFAULT:16} {'(home)':24} {home.config.describe()}")
        for company in list_companies(home.engine):
            typer.echo(f"{company.code:16} {company.name:24} {company.where()}")
    finally:
        home.close()


def main() -> None:
    try:
        cli()
    except ConfigurationError as exc:  # raised outside a command's own handling
        typer.echo(f"factoryledger: error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
