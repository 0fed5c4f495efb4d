"""The application layer: work that crosses bounded contexts.

A context package (ledger, inventory, production, planning, catalog, ...)
holds its aggregates, events, pure rules and the use cases that stay inside
it; it never imports from here. A workflow here may call any context: period
end reads work orders and stock (overhead allocation over WIP and inventory),
the monthly plan split reads routings and creates work orders, MRP is planned
over a snapshot of the read models.

What a workflow must read from the read models first it asks of a read port
(``ports.py``), a small Protocol the caller gives it; ``projections/`` holds
the implementation, which waits until the read models reached the log
position the command read (or refuses with ``ProjectionLag``). GraphQL and
the CLI call the same function each (``run_mrp``, ``settle_overhead``), so a
resolver only translates.

``import-linter`` (``.importlinter``) enforces: domain imports no projections
or api, no context imports ``domain.workflows`` or ``domain.application``,
and there are no cycles between domain packages.
"""
