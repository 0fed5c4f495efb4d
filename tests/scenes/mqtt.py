"""MQTT scenes: the shared broker (127.0.0.1:1883, .ci/run starts it), a
private broker the tests may restart, publishing, and a consumer run until it
has handled what a test expects. Each test uses its own <company> and client
id, so tests running at once on one broker never see each other's messages;
the consumer's persistent session is ended afterwards."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiomqtt
import pytest

from api.mqtt_ingest import Handled, Stats, consume, forget_session, new_client_id, parse_url

BROKER_URL = os.environ.get("FACTORYLEDGER_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def reachable(url: str, timeout: float = 1.0) -> bool:
    broker = parse_url(url)
    try:
        with socket.create_connection((broker.host, broker.port), timeout=timeout):
            return True
    except OSError:
        return False


def require_broker(url: str = BROKER_URL) -> str:
    """Skip (or, under CI=true, fail) when the broker is unreachable."""
    if not reachable(url):
        message = f"no MQTT broker at {url} (start mosquitto; .ci/run does)"
        if IN_CI:
            pytest.fail(message + " (CI=true: MQTT tests must run)")
        pytest.skip(message)
    return url


def state(company: str, code: str, message_id: str, at: str, state_: str,
          reason: str | None = None) -> tuple[str, bytes]:
    body = {"id": message_id, "at": at, "state": state_}
    if reason is not None:
        body["reason"] = reason
    return (f"factoryledger/{company}/equipment/{code}/state",
            json.dumps(body, ensure_ascii=False).encode())


def count(company: str, code: str, message_id: str, at: str, total, good) -> tuple[str, bytes]:
    return (f"factoryledger/{company}/equipment/{code}/count",
            json.dumps({"id": message_id, "at": at, "total": total, "good": good}).encode())


async def publish(url: str, messages: list[tuple[str, bytes]]) -> None:
    broker = parse_url(url)
    async with aiomqtt.Client(broker.host, broker.port, identifier=new_client_id("pub")) as c:
        for topic, payload in messages:
            await c.publish(topic, payload, qos=1)


@asynccontextmanager
async def consumer(app, url: str, company: str, on_handled: Callable[[Handled], None],
                   client_id: str | None = None):
    """A running consumer (connected and subscribed before the body runs)."""
    client_id = client_id or new_client_id("ingest")
    connected = asyncio.Event()
    stats = Stats()
    task = asyncio.create_task(consume(app, url, company, client_id=client_id,
                                       reconnect_seconds=0.2, on_handled=on_handled,
                                       on_connected=connected.set, stats=stats))
    try:
        await asyncio.wait_for(connected.wait(), 15)
        yield stats
    finally:
        task.cancel()
        try:
            await task
        except (asyncio.CancelledError, aiomqtt.MqttError):
            pass
        try:
            await forget_session(url, client_id)
        except aiomqtt.MqttError:
            pass


def ingest(app, company: str, messages: list[tuple[str, bytes]], expected: int | None = None,
           url: str = BROKER_URL, timeout: float = 60) -> list[Handled]:
    """Publish ``messages`` and consume until ``expected`` (default all) are handled."""
    want = len(messages) if expected is None else expected
    handled: list[Handled] = []

    async def main() -> None:
        done = asyncio.Event()

        def on(h: Handled) -> None:
            handled.append(h)
            if len(handled) >= want:
                done.set()

        async with consumer(app, url, company, on):
            await publish(url, messages)
            await asyncio.wait_for(done.wait(), timeout)
            await asyncio.sleep(0.2)  # anything unexpected would arrive now

    asyncio.run(main())
    return handled


class PrivateBroker:
    """A mosquitto of the test's own on a free port, with persistence in a
    temporary folder: it may be stopped and started again (a restart)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.conf = folder / "mosquitto.conf"
        self.conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {folder}/\nuser root\nlog_dest file {folder}/log.txt\n"
            "max_queued_messages 100000\n")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if not Path(MOSQUITTO).exists():
            message = f"{MOSQUITTO} is not installed"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        self.process = subprocess.Popen([MOSQUITTO, "-c", str(self.conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not reachable(self.url, 0.2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"mosquitto did not start: {self.log()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: mosquitto saves its persistence file
            self.process.wait(10)
        self.process = None

    def log(self) -> str:
        path = self.folder / "log.txt"
        return path.read_text()[-2000:] if path.exists() else ""


async def until(check: Callable[[], bool], timeout: float = 30, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(step)


Run = Callable[[], Awaitable[None]]
