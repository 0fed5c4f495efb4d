"""The GraphQL layer: a Strawberry schema over the use cases and read models.

Resolvers translate input into one use-case call, wait for the read models
to show the write, and answer from the read models. Business rules live in
``domain/``; expected failures come back as typed errors in each mutation's
result union (see ``errors.py``).
"""
