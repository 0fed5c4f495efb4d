"""The Starlette app: GraphQL at /graphql (GraphiQL in the browser; subscriptions
over WebSocket, graphql-transport-ws, on the same path) and /healthz.

``create_app(runtime)`` serves a runtime the caller owns (the CLI, tests);
``create_app()`` opens one from FACTORYLEDGER_DATABASE_URL when the app starts,
following the log (unless FACTORYLEDGER_PROJECTOR=external: a uvicorn worker
of ``serve --workers N``, where ``factoryledger project`` follows it), and
closes it when the app stops.

Every request passes the abuse limits first (``api.limits``: the Host
allow-list, then the body size cap; the GraphQL limits run in the schema),
from ``limits`` or, by default, the FACTORYLEDGER_* environment.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from api.companies import Companies, company_runtime
from api.downloads import invoice_html_download, invoice_xml_download, report_download
from api.graphql.context import Context
from api.graphql.schema import schema
from api.limits import BodySizeLimit, HostAllowList, Limits
from api.runtime import Runtime, external_projector_from_env
from api.web import routes as web_routes
from api.web.graphiql import graphiql_html

log = logging.getLogger(__name__)


class FactoryLedgerGraphQL(GraphQL):
    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL from this server's own files (api/web/graphiql.py), no CDN."""
        return graphiql_html()

    async def get_context(self, request: Any, response: Any = None) -> Context:
        # The company: X-Company or /c/<code>/graphql (api.companies); opening
        # it and authenticating read the store: keep both off the event loop.
        runtime = await to_thread.run_sync(company_runtime, request)
        return await to_thread.run_sync(Context.from_request, runtime, request, response)

    async def execute_single(self, request, request_adapter, sub_response, context, root_value,
                             request_data):
        """Strawberry's own, less subscriptions: queries and mutations come over
        HTTP, subscriptions stream over the WebSocket only. Strawberry allows a
        subscription in a plain POST (for a multipart transport this server does
        not offer) and ran it as a query, answering a masked error; now a 400."""
        allowed = {OperationType.QUERY}
        if request_adapter.method == "POST":
            allowed.add(OperationType.MUTATION)
        try:
            return await self.schema.execute(
                request_data.query, root_value=root_value,
                variable_values=request_data.variables, context_value=context,
                operation_name=request_data.operation_name, allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason()) from exc
        except InvalidOperationTypeError as exc:
            reason = exc.as_http_error_reason(request_adapter.method)
            if exc.operation_type == OperationType.SUBSCRIPTION:
                reason += "; subscribe over the WebSocket at /graphql (graphql-transport-ws)"
            raise HTTPException(400, reason) from exc
        except MissingQueryError as exc:
            raise HTTPException(400, "No GraphQL query found in the request") from exc

    async def on_ws_connect(self, context: Context) -> Any:
        """graphql-transport-ws connection_init may carry the bearer token."""
        await to_thread.run_sync(context.sign_in_with, context.connection_params)
        return await super().on_ws_connect(context)


def create_app(runtime: Runtime | None = None, *, graphiql: bool = True,
               limits: Limits | None = None, mqtt: MqttIngest | None = None) -> Starlette:
    """The ASGI app. ``mqtt``: also consume equipment states and counts from a
    broker in this process (``serve --mqtt URL``, docs/mqtt.md) for as long as
    the app runs."""
    limits = limits or Limits.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = None
        if runtime is None:
            # Under ``serve --workers N`` another process projects; else this one.
            external = external_projector_from_env()
            own = await to_thread.run_sync(lambda: Runtime(
                follow=not external, external_projector=external, migrate_first=not external))
            app.state.runtime = own
        consumer = _start_consumer(runtime or own, mqtt) if mqtt is not None else None
        try:
            yield
        finally:
            if consumer is not None:
                consumer.cancel()
                with suppress(asyncio.CancelledError):
                    await consumer
            await to_thread.run_sync(app.state.companies.close)
            if own is not None:
                await to_thread.run_sync(own.close)

    graphql = FactoryLedgerGraphQL(schema, graphql_ide="graphiql" if graphiql else None)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            # one company of several (api.companies); X-Company works on /graphql too
            Route("/c/{company}/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/c/{company}/graphql", graphql),
            Route("/c/{company}/reports/{name}.{format}", report_download, methods=["GET"]),
            Route("/c/{company}/invoices/{number}.xml", invoice_xml_download, methods=["GET"]),
            Route("/c/{company}/invoices/{number}.html", invoice_html_download,
                  methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/reports/{name}.{format}", report_download, methods=["GET"]),
            Route("/invoices/{number}.xml", invoice_xml_download, methods=["GET"]),
            Route("/invoices/{number}.html", invoice_html_download, methods=["GET"]),
            *web_routes(),  # the web console (api/web, docs/web.md)
        ],
        lifespan=lifespan,
        # Host first: a rebinding page gets nothing, not even a body read.
        middleware=[Middleware(HostAllowList, allowed_hosts=limits.allowed_hosts),
                    Middleware(BodySizeLimit, max_body_bytes=limits.max_body_bytes)],
    )
    app.state.runtime = runtime
    app.state.companies = Companies(lambda: app.state.runtime)
    app.state.limits = limits  # the GraphQL limits read them per operation
    return app


async def healthz(request: Request) -> JSONResponse:
    """Status and lag, nothing else (anyone may ask; details are the admin
    query ``systemStatus``): ok, degraded (the worker keeps failing), failed
    (an event was set aside as a dead letter), rebuilding; 503 unavailable
    when the database cannot be reached."""
    runtime: Runtime | None = request.app.state.runtime
    if runtime is None:
        return JSONResponse({"status": "starting", "lag": None}, status_code=503)
    try:
        health = await to_thread.run_sync(runtime.health)
    except Exception as exc:  # the store or the read models are unreachable
        log.warning("healthz: database unreachable: %s: %s", type(exc).__name__, exc)
        return JSONResponse({"status": "unavailable", "lag": None}, status_code=503)
    return JSONResponse({"status": health.status, "lag": health.lag})


@dataclass(frozen=True)
class MqttIngest:
    """Where ``serve`` consumes equipment messages from (docs/mqtt.md)."""

    url: str
    company: str = "default"
    client_id: str | None = None


def _start_consumer(runtime: Runtime, mqtt: MqttIngest) -> asyncio.Task:
    """The MQTT consumer as a task of the server's event loop; each message is
    recorded in a worker thread (``api/mqtt_ingest.py``), so requests go on."""
    from api.mqtt_ingest import at_most_every, consume

    poke = at_most_every(0.05, runtime.worker.poke) if runtime.worker else None
    return asyncio.create_task(consume(runtime.app, mqtt.url, mqtt.company,
                                       client_id=mqtt.client_id, on_handled=poke))
