"""Event -> read-model projections and the runner that applies them.

Projections never write events; they can be dropped and rebuilt from the log
at any time and must give the same tables byte for byte.
"""
