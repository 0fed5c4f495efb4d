"""Users, roles and API tokens (bearer tokens).

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

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from domain.access import VIEWER_DEFAULT, check_read_areas, check_roles, readable_areas
from domain.commands import CommandContext, derived_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.text import check_text

_USERNAME = re.compile(r"^[a-z][a-z0-9_.\-]{1,63}$")
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
class UserResult:
    username: str


@dataclass(frozen=True)
class TokenResult:
    username: str
    token_id: str


@dataclass(frozen=True)
class ViewerAreasResult:
    areas: tuple[str, ...]


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    label: str
    revoked: bool


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


class UsersUseCases:
    """Mixed into the company Application."""

    def create_user(self, username: str, roles: list[str], token: str,
                    ctx: CommandContext = CommandContext()):
        """Create a user with roles and a first token (generated by the caller,
        so no token ever enters the event store)."""
        name, wanted = check_username(username), tuple(sorted(check_roles(roles)))
        digest = token_hash(token)

        def decide():
            try:
                directory = self.repository.get(DIRECTORY_ID)
            except AggregateNotFoundError:
                directory = UserDirectory()
            if name in directory.usernames:
                raise BusinessRuleViolation("USER_EXISTS", f"user {name} already exists")
            directory.add(name)
            user, token = User(name, wanted), ApiToken(digest, name, "first")
            user.add_token(str(token.id), token.label)
            return UserResult(name), [directory, user, token]

        return self._execute("create_user", (name, wanted, digest), ctx, decide, UserResult)

    def set_user_roles(self, username: str, roles: list[str],
                       ctx: CommandContext = CommandContext()):
        name, wanted = check_username(username), tuple(sorted(check_roles(roles)))

        def decide():
            user = self._user(name)
            user.set_roles(wanted)
            return UserResult(name), [user]

        return self._execute("set_user_roles", (name, wanted), ctx, decide, UserResult)

    def issue_token(self, username: str, token: str, label: str = "",
                    ctx: CommandContext = CommandContext()):
        name, digest = check_username(username), token_hash(token)
        label = check_text((label or "")[:60], "label")  # the CLI does not pass GraphQL

        def decide():
            user = self._user(name)
            token = ApiToken(digest, name, label)
            user.add_token(str(token.id), token.label)
            return TokenResult(name, str(token.id)), [user, token]

        return self._execute("issue_token", (name, digest), ctx, decide, TokenResult)

    def revoke_token(self, token: str, ctx: CommandContext = CommandContext()):
        """Revoke a token given its plaintext."""
        return self.revoke_token_id(str(token_id(token_hash(token))), ctx)

    def revoke_token_id(self, public_id: str, ctx: CommandContext = CommandContext()):
        """Revoke a token by its public id (``user list`` shows it)."""
        try:
            tid = uuid.UUID((public_id or "").strip())
        except ValueError:
            raise ValidationError(f"token id {public_id!r} is not a token id (a UUID)",
                                  "id") from None

        def decide():
            try:
                tok = self.repository.get(tid)
            except AggregateNotFoundError:
                tok = None
            if not isinstance(tok, ApiToken):
                raise NotFound(f"no token with id {tid}", "ApiToken", str(tid))
            tok.revoke()
            return UserResult(tok.username), [tok]

        return self._execute("revoke_token", str(tid), ctx, decide, UserResult)

    def disable_user(self, username: str, ctx: CommandContext = CommandContext()):
        """Disable a user: every one of its tokens stops working at once."""
        return self._set_user_active("disable_user", username, False, ctx)

    def enable_user(self, username: str, ctx: CommandContext = CommandContext()):
        return self._set_user_active("enable_user", username, True, ctx)

    def _set_user_active(self, command: str, username: str, active: bool,
                         ctx: CommandContext):
        name = check_username(username)

        def decide():
            user = self._user(name)
            user.set_active(active)
            return UserResult(name), [user]

        return self._execute(command, name, ctx, decide, UserResult)

    def set_viewer_read_areas(self, areas: list[str], ctx: CommandContext = CommandContext()):
        """What a viewer may read (a company setting; admin only)."""
        wanted = tuple(sorted(check_read_areas(areas)))

        def decide():
            settings = self._access_settings() or AccessSettings()
            settings.set_viewer_areas(wanted)
            return ViewerAreasResult(wanted), [settings]

        return self._execute("set_viewer_read_areas", wanted, ctx, decide, ViewerAreasResult)

    def viewer_read_areas(self) -> frozenset[str]:
        settings = self._access_settings(deepcopy=False)
        return frozenset(settings.viewer_areas if settings else
                         (a.value for a in VIEWER_DEFAULT))

    def _access_settings(self, deepcopy: bool = True) -> AccessSettings | None:
        try:
            return self.repository.get(ACCESS_SETTINGS_ID, deepcopy_from_cache=deepcopy)
        except AggregateNotFoundError:
            return None

    def user_tokens(self, username: str) -> list[TokenInfo]:
        """A user's tokens (public id, label, revoked), oldest first."""
        user = self._user(check_username(username))
        infos = []
        for tid, label in getattr(user, "tokens", []):
            tok = self.repository.get(uuid.UUID(tid), deepcopy_from_cache=False)
            infos.append(TokenInfo(tid, label, tok.revoked))
        return infos

    def _user(self, name: str) -> User:
        try:
            return self.repository.get(user_id(name))
        except AggregateNotFoundError:
            raise NotFound(f"user {name} does not exist", "User", name) from None

    def users(self) -> list[User]:
        try:
            directory = self.repository.get(DIRECTORY_ID, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return []
        return [self._user(n) for n in directory.usernames]

    def authenticate(self, token: str | None, fallback_actor: str = "anonymous") -> Principal:
        """Open mode until a user exists (``fallback_actor``, e.g. X-Actor, names the
        caller); then only a valid, unrevoked token of an enabled user counts, and
        the fallback is never used.

        An unknown token gets no roles: it can neither read nor write."""
        try:
            self.repository.get(DIRECTORY_ID, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return Principal(fallback_actor, None)
        viewer_areas = self.viewer_read_areas()
        if token:
            try:
                tok = self.repository.get(token_id(token_hash(token)),
                                          deepcopy_from_cache=False)
            except AggregateNotFoundError:
                tok = None
            if tok is not None and not tok.revoked:
                user = self.repository.get(user_id(tok.username), deepcopy_from_cache=False)
                if user.active:
                    roles = frozenset(user.roles)
                    return Principal(user.username, roles, readable_areas(roles, viewer_areas),
                                     viewer_areas)
        return Principal("anonymous", frozenset(), frozenset(), viewer_areas)
