"""factoryledger domain: aggregates, events, posting rules and use cases.

Nothing here imports from ``projections`` or ``api``.
"""
