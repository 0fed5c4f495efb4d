"""Users, roles and API tokens (bearer tokens): the aggregates.

A token is never stored: the client holds it, the store keeps its SHA-256,
and the token aggregate's id is derived from that hash, so authenticating is
one lookup; the token's public id is that aggregate id (shown by ``user list``,
enough to revoke it, useless to sign in). Until the first user exists the API
runs open (every loopback caller is an admin: the demo); once a user exists,
every request needs a valid token of an enabled user. Disabling a user stops
all its tokens at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

from eventsourcing.domain import Aggregate, event

from domain.access import VIEWER_DEFAULT
from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError

_USERNAME = re.compile(r"^[a-z][a-z0-9_.\-]{1,63}$")
_ARGON2 = re.compile(
    r"^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$")
DIRECTORY_ID = derived_id("users", "directory")
ACCESS_SETTINGS_ID = derived_id("settings", "access")


def new_token() -> str:
    return "flt_" + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def user_id(username: str) -> uuid.UUID:
    return derived_id("user", username)


def token_id(digest: str) -> uuid.UUID:
    return derived_id("token", digest)


def check_password_hash(password_hash: str) -> str:
    """An argon2 PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): what a
    caller hashed, never a plain password that slipped through."""
    value = (password_hash or "").strip()
    if not _ARGON2.match(value):
        raise ValidationError("password_hash must be an argon2 hash ($argon2id$...): hash "
                              "the password before the command", "password_hash")
    return value


def check_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _USERNAME.match(name):
        raise ValidationError("username: 2-64 characters, a-z first, then a-z 0-9 _ . -",
                              "username")
    return name


class UserDirectory(Aggregate):
    """The list of usernames; its existence switches the API from open to closed."""

    @event("Started")
    def __init__(self):
        self.usernames: list[str] = []

    @classmethod
    def create_id(cls) -> uuid.UUID:
        return DIRECTORY_ID

    @event("UserAdded")
    def add(self, username: str) -> None:
        self.usernames.append(username)


class User(Aggregate):
    @event("Created")
    def __init__(self, username: str, roles: tuple[str, ...]):
        self.username = username
        self.roles = tuple(roles)
        self.active = True
        self.tokens: list[tuple[str, str]] = []  # (public id, label)

    @classmethod
    def create_id(cls, username: str, **_: object) -> uuid.UUID:
        return user_id(username)

    @event("RolesSet")
    def set_roles(self, roles: tuple[str, ...]) -> None:
        self.roles = tuple(roles)

    @event("PasswordSet")
    def set_password(self, password_hash: str) -> None:
        """The web console's sign-in (docs/web.md): an argon2 hash made by the
        caller; the plain password never reaches a command or an event."""
        self.password_hash = password_hash

    @event("TokenAdded")
    def add_token(self, token_id: str, label: str) -> None:
        self.tokens = [*getattr(self, "tokens", []), (token_id, label)]

    def set_active(self, active: bool) -> None:
        if self.active == active:
            state = "enabled" if active else "disabled"
            raise BusinessRuleViolation(f"USER_ALREADY_{state.upper()}",
                                        f"user {self.username} is already {state}")
        if active:
            self._enabled()
        else:
            self._disabled()

    @event("Disabled")
    def _disabled(self) -> None:
        self.active = False

    @event("Enabled")
    def _enabled(self) -> None:
        self.active = True


class AccessSettings(Aggregate):
    """Company-wide access settings: what a viewer may read."""

    @event("Started")
    def __init__(self):
        self.viewer_areas: tuple[str, ...] = tuple(sorted(a.value for a in VIEWER_DEFAULT))

    @classmethod
    def create_id(cls) -> uuid.UUID:
        return ACCESS_SETTINGS_ID

    @event("ViewerReadAreasSet")
    def set_viewer_areas(self, areas: tuple[str, ...]) -> None:
        self.viewer_areas = tuple(areas)


class ApiToken(Aggregate):
    @event("Issued")
    def __init__(self, digest: str, username: str, label: str):
        self.digest = digest
        self.username = username
        self.label = label
        self.revoked = False

    @classmethod
    def create_id(cls, digest: str, **_: object) -> uuid.UUID:
        return token_id(digest)

    def revoke(self) -> None:
        if self.revoked:
            raise BusinessRuleViolation("TOKEN_REVOKED", "the token is already revoked")
        self._revoked()

    @event("Revoked")
    def _revoked(self) -> None:
        self.revoked = True


@dataclass(frozen=True)
class Principal:
    """Who a request acts as."""

    actor: str
    roles: frozenset[str] | None  # None: open mode (no users yet), allowed everything
    # The read areas of ``roles`` (None: everything), and the company's viewer areas
    # (to name who may read what in a refusal).
    areas: frozenset[str] | None = None
    viewer_areas: frozenset[str] = frozenset()

    @property
    def open_mode(self) -> bool:
        return self.roles is None
