"""Users, roles and API tokens: the aggregates (``directory.py``) and their
command handlers and readers (``handlers.py``), among them ``authenticate``."""
