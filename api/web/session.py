"""The web console's session: one signed cookie (itsdangerous), holding the
signed-in user's name, a CSRF token and the time it was signed.

HttpOnly and SameSite=Lax always; Secure when the request came over TLS
(directly or, behind a proxy, ``X-Forwarded-Proto: https``). The signing key
is FACTORYLEDGER_SECRET_KEY; without it a random key per process (sessions
end when the server restarts, and every worker needs the same key).

The user's roles are not in the cookie: each request reads them afresh
(``session_principal``), so a disabled user or changed roles count at once."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

log = logging.getLogger(__name__)

COOKIE = "fl_session"
MAX_AGE = 12 * 3600  # one shift and a half; then sign in again
_key: str | None = None


def secret_key() -> str:
    global _key
    if _key is None:
        _key = os.environ.get("FACTORYLEDGER_SECRET_KEY") or ""
        if not _key:
            log.warning("FACTORYLEDGER_SECRET_KEY is not set: web sessions are signed with a "
                        "random key and end when this server restarts")
            _key = secrets.token_urlsafe(32)
    return _key


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(), salt="factoryledger-web-session")


@dataclass
class Session:
    username: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    changed: bool = False

    @classmethod
    def load(cls, request: Request) -> Session:
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = _serializer().loads(raw, max_age=MAX_AGE)
                return cls(data.get("u"), data["c"])
            except (BadSignature, KeyError, TypeError, AttributeError):
                pass
        return cls(changed=True)  # a new session: its CSRF token must reach the browser

    def sign_in(self, username: str) -> None:
        """A new CSRF token with every sign-in (no fixation of an old one)."""
        self.username, self.csrf, self.changed = username, secrets.token_urlsafe(24), True

    def sign_out(self) -> None:
        self.username, self.csrf, self.changed = None, secrets.token_urlsafe(24), True

    def save(self, request: Request, response: Response) -> None:
        if not self.changed:
            return
        value = _serializer().dumps({"u": self.username, "c": self.csrf})
        response.set_cookie(COOKIE, value, max_age=MAX_AGE, path="/", httponly=True,
                            samesite="lax", secure=is_tls(request))


def is_tls(request: Request) -> bool:
    forwarded = (request.headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def csrf_ok(session: Session, sent: str | None) -> bool:
    return bool(sent) and secrets.compare_digest(session.csrf, sent or "")
