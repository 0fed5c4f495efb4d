"""Where the event store lives: one setting, ``FACTORYLEDGER_DATABASE_URL``.

``sqlite:///path/to/file.db`` (default ``sqlite:///var/factoryledger.db``) or
``postgresql://user[:password]@host[:port]/dbname[?schema=name]``. This module
maps the URL onto the eventsourcing library's persistence settings and onto the
SQLAlchemy URL the read models use, in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_DATABASE_URL = "sqlite:///var/factoryledger.db"
ENV_VAR = "FACTORYLEDGER_DATABASE_URL"


class ConfigurationError(Exception):
    """The configuration cannot work; the message is one line for the operator."""


@dataclass(frozen=True)
class StoreConfig:
    kind: str  # "sqlite", "postgres" or "memory" (tests: no read models, no file)
    url: str
    sqlite_path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = ""

    @property
    def sqlalchemy_url(self) -> str:
        if self.kind == "memory":
            raise ConfigurationError("an in-memory store has no read models")
        if self.kind == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgresql+psycopg://{auth}@{self.host}:{self.port}/{self.dbname}"

    @classmethod
    def memory(cls) -> StoreConfig:
        """An event store in this process's memory (eventsourcing's POPO
        persistence): for use-case tests that need no read model. No URL
        names it, so no command line or server can be pointed at one."""
        return cls(kind="memory", url="memory:")

    def eventsourcing_env(self) -> dict[str, str]:
        """The library's settings (PERSISTENCE_MODULE and friends)."""
        if self.kind == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.sqlite_path,
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def describe(self) -> str:
        if self.kind == "memory":
            return "an in-memory store"
        if self.kind == "sqlite":
            return f"SQLite file {self.sqlite_path}"
        where = f"{self.host}:{self.port}/{self.dbname}"
        return f"PostgreSQL {where}" + (f" schema {self.schema}" if self.schema else "")


def parse_database_url(url: str) -> StoreConfig:
    """Parse and check a database URL; raise ConfigurationError with one clear line."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        if parts.netloc:
            raise ConfigurationError(
                f"bad database URL {url!r}: write sqlite:///relative/path.db "
                "or sqlite:////absolute/path.db (three or four slashes)"
            )
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path or path.endswith("/"):
            raise ConfigurationError(f"bad database URL {url!r}: no database file named")
        if path == ":memory:":
            raise ConfigurationError(
                "an in-memory SQLite store cannot be shared by the event store and "
                "the read models; name a file"
            )
        return StoreConfig(kind="sqlite", url=url, sqlite_path=path)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        try:
            port = parts.port or 5432
        except ValueError:
            raise ConfigurationError(
                f"bad database URL {url!r}: the port is not a number"
            ) from None
        dbname = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not dbname or "/" in dbname:
            raise ConfigurationError(
                f"bad database URL {url!r}: expected postgresql://user@host[:port]/dbname"
            )
        query = parse_qs(parts.query)
        schema = query.get("schema", [""])[0]
        if schema and not schema.replace("_", "").isalnum():
            raise ConfigurationError(f"bad database URL {url!r}: schema must be alphanumeric")
        return StoreConfig(
            kind="postgres",
            url=url,
            host=parts.hostname,
            port=port,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=dbname,
            schema=schema,
        )
    raise ConfigurationError(
        f"bad database URL {url!r}: use sqlite:///path.db or postgresql://user@host/dbname"
    )


def config_from_env(environ: dict[str, str] | None = None) -> StoreConfig:
    environ = os.environ if environ is None else environ
    return parse_database_url(environ.get(ENV_VAR) or DEFAULT_DATABASE_URL)


def ensure_sqlite_directory(config: StoreConfig) -> None:
    if config.kind == "sqlite":
        Path(config.sqlite_path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
