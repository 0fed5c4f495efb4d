"""MQTT ingestion of equipment states and counts (docs/mqtt.md).

``consume`` subscribes (QoS 1) to ``factoryledger/<company>/equipment/+/state``
and ``…/count`` with a persistent session (a fixed client id, clean session
off) and acknowledges each message only after it was recorded or set aside,
in the order received: a message the broker delivered but the consumer did
not finish is delivered again after a reconnect or a restart, and the broker
keeps what arrives meanwhile. Each message runs one command as the trusted
actor ``mqtt`` with the message id as its idempotency key, so a redelivered
or duplicated message records once. A message that cannot be recorded (bad
topic or JSON, unknown equipment, a time out of order beyond the company's
late window, negative counts, an id reused with other content) is recorded
as a rejected message (the ``equipmentDeadLetters`` read model) with its
reason; nothing stops the consumer. When the broker goes away the consumer
reconnects every ``reconnect_seconds`` and resumes.

aiomqtt does not expose paho-mqtt's manual acknowledgement; ``_paho`` reaches
the paho client it wraps (``Client._client``) for ``manual_ack_set``/``ack``.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import aiomqtt

from domain.commands import CommandContext
from domain.equipment.ingestion import (
    BadMessage,
    CountMessage,
    message_id_of,
    parse,
    printable,
    topics,
)
from domain.errors import Conflict, DomainError

log = logging.getLogger("factoryledger.mqtt")

ACTOR = "mqtt"
DEFAULT_URL = "mqtt://127.0.0.1:1883"
RECORDED, DUPLICATE, DEAD_LETTERED = "recorded", "duplicate", "dead_lettered"


@dataclass(frozen=True)
class Broker:
    host: str
    port: int = 1883
    username: str | None = None
    password: str | None = None


def parse_url(url: str, option: str = "--url") -> Broker:
    """``mqtt://[user[:password]@]host[:port]``; ``option`` names it in errors."""
    parts = urlsplit(url or DEFAULT_URL)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise ValueError(f"{option} must look like mqtt://127.0.0.1:1883, not {url!r}")
    try:
        port = parts.port or 1883
    except ValueError:
        raise ValueError(f"{option} has a bad port: {url!r}") from None
    return Broker(parts.hostname, port, unquote(parts.username) if parts.username else None,
                  unquote(parts.password) if parts.password else None)


@dataclass
class Stats:
    received: int = 0
    recorded: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    connections: int = 0
    last_error: str = ""
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Handled:
    kind: str  # recorded | duplicate | dead_lettered
    message_id: str
    position: int
    reason: str = ""


def _reject(app: Any, topic: str, payload: bytes, reason: str, code: str,
            message_id: str) -> Handled:
    out = app.reject_equipment_message(topic, printable(payload), reason, code, message_id,
                                       ctx=CommandContext(actor=ACTOR))
    return Handled(DEAD_LETTERED, message_id, out.position, reason)


def handle(app: Any, topic: str, payload: bytes, company: str = "default") -> Handled:
    """Record one message, or set it aside with why (never raises for a bad one)."""
    try:
        message = parse(topic, payload, company)
    except BadMessage as exc:
        return _reject(app, topic, payload, exc.message, exc.code, message_id_of(payload))
    ctx = CommandContext(actor=ACTOR, idempotency_key=f"mqtt:{message.id}")
    try:
        if isinstance(message, CountMessage):
            out = app.record_equipment_count(message.equipment, message.at, message.total,
                                             message.good, message.id, ctx=ctx)
        else:
            out = app.record_equipment_state(message.equipment, message.at, message.state,
                                             message.reason, message.id, ctx=ctx)
    except Conflict as exc:
        return _reject(app, topic, payload, exc.message, "DUPLICATE_ID", message.id)
    except DomainError as exc:
        code = getattr(exc, "code", "") or type(exc).__name__
        return _reject(app, topic, payload, exc.message, code, message.id)
    return Handled(DUPLICATE if out.replayed else RECORDED, message.id, out.position)


def _paho(client: aiomqtt.Client) -> Any:
    return client._client  # noqa: SLF001 - manual acks (see the module docstring)


async def consume(
    app: Any,
    url: str = DEFAULT_URL,
    company: str = "default",
    *,
    client_id: str | None = None,
    reconnect_seconds: float = 1.0,
    on_handled: Callable[[Handled], None] | None = None,
    on_connected: Callable[[], None] | None = None,
    stats: Stats | None = None,
) -> None:
    """Consume until cancelled (see the module docstring)."""
    broker = parse_url(url)
    stats = stats if stats is not None else Stats()
    identifier = client_id or f"factoryledger-ingest-{company}"
    while True:
        try:
            client = aiomqtt.Client(broker.host, broker.port, username=broker.username,
                                    password=broker.password, identifier=identifier,
                                    clean_session=False, keepalive=10, timeout=10)
            _paho(client).manual_ack_set(True)
            async with client:
                for topic in topics(company):
                    await client.subscribe(topic, qos=1)
                stats.connections += 1
                log.info("subscribed to %s as %s", ", ".join(topics(company)), identifier)
                if on_connected is not None:
                    on_connected()
                async for message in client.messages:
                    await _one(app, client, message, company, stats, on_handled)
        except aiomqtt.MqttError as exc:
            stats.last_error = str(exc)
            log.warning("MQTT connection lost (%s); reconnecting in %.1f s", exc,
                        reconnect_seconds)
            await asyncio.sleep(reconnect_seconds)


async def _one(app: Any, client: aiomqtt.Client, message: aiomqtt.Message, company: str,
               stats: Stats, on_handled: Callable[[Handled], None] | None) -> None:
    stats.received += 1
    payload = message.payload if isinstance(message.payload, bytes) else \
        str(message.payload or "").encode()
    topic = str(message.topic)
    try:
        done = await asyncio.to_thread(handle, app, topic, payload, company)
    except Exception as exc:  # noqa: BLE001 - a bug, or the store away
        stats.last_error = f"{type(exc).__name__}: {exc}"
        log.exception("message %s could not be recorded", message.mid)
        try:  # set it aside; if even that fails the store is away: keep it at the broker
            done = await asyncio.to_thread(
                _reject, app, topic, payload, f"not recorded: {stats.last_error}"[:1000],
                "INTERNAL", message_id_of(payload))
        except Exception as again:
            raise aiomqtt.MqttError(f"recording failed: {again}") from again
    if message.qos > 0:
        _paho(client).ack(message.mid, message.qos)
    if done.kind == RECORDED:
        stats.recorded += 1
    elif done.kind == DUPLICATE:
        stats.duplicates += 1
    else:
        stats.dead_lettered += 1
    if on_handled is not None:
        on_handled(done)


async def forget_session(url: str, client_id: str) -> None:
    """End a consumer's persistent session at the broker (tests, benchmarks)."""
    broker = parse_url(url)
    async with aiomqtt.Client(broker.host, broker.port, username=broker.username,
                              password=broker.password, identifier=client_id,
                              clean_session=True):
        pass


def at_most_every(seconds: float, action: Callable[[], None]) -> Callable[[Any], None]:
    """``action`` when called, but not again within ``seconds`` (poking the read
    models after every message would make them commit per message)."""
    last = [0.0]

    def call(_: Any = None) -> None:
        now = time.monotonic()
        if now - last[0] >= seconds:
            last[0] = now
            action()

    return call


def new_client_id(prefix: str = "factoryledger") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"
