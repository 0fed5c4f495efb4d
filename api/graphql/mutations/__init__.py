"""Mutations: one module per use case (its input, success payload and result union)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import strawberry

from api.graphql.mutations.add_account import add_account
from api.graphql.mutations.close_period import close_period
from api.graphql.mutations.deactivate_account import deactivate_account
from api.graphql.mutations.open_period import open_period
from api.graphql.mutations.post_journal_entry import post_journal_entry
from api.graphql.mutations.reactivate_account import reactivate_account
from api.graphql.mutations.rename_account import rename_account
from api.graphql.mutations.reopen_period import reopen_period
from api.graphql.mutations.reverse_journal_entry import reverse_journal_entry


def _mutation(resolver: Callable[..., Any]) -> Any:
    """A mutation described by its module's docstring ("name: what it does")."""
    doc = (sys.modules[resolver.__module__].__doc__ or "").strip().splitlines()[0]
    text = doc.split(": ", 1)[-1]
    return strawberry.mutation(resolver=resolver, description=text[:1].upper() + text[1:])


@strawberry.type
class Mutation:
    add_account = _mutation(add_account)
    rename_account = _mutation(rename_account)
    deactivate_account = _mutation(deactivate_account)
    reactivate_account = _mutation(reactivate_account)
    open_period = _mutation(open_period)
    close_period = _mutation(close_period)
    reopen_period = _mutation(reopen_period)
    post_journal_entry = _mutation(post_journal_entry)
    reverse_journal_entry = _mutation(reverse_journal_entry)
