"""The eventsourcing PostgreSQL factory, with the URL's libpq parameters.

The library connects with host, port, user, password and dbname only: the
query parameters of FACTORYLEDGER_DATABASE_URL (``sslmode``, ``sslrootcert``,
...) would be dropped silently, and the event store would connect otherwise
than the read models. ``POSTGRES_CONNECT_PARAMS`` (JSON, set by
``domain.store.StoreConfig.eventsourcing_env``) adds them to the pool's
connection arguments before the pool opens (it opens on first use).
"""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.postgres import PostgresFactory

CONNECT_PARAMS = "POSTGRES_CONNECT_PARAMS"


class FactoryLedgerPostgresFactory(PostgresFactory):
    def __init__(self, env: Any) -> None:
        super().__init__(env)
        extra = json.loads(self.env.get(CONNECT_PARAMS) or "{}")
        self.datastore.pool.kwargs.update(extra)
