"""Web console passwords: argon2id (argon2-cffi's defaults, RFC 9106's second
recommendation). Only the hash goes into a command (``set_user_password``);
verifying runs here, never in the domain."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.errors import ValidationError

MIN_LENGTH = 8
_hasher = PasswordHasher()
# Verified when the user is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = _hasher.hash("not-a-password-of-anyone")


def hash_password(password: str) -> str:
    if len(password or "") < MIN_LENGTH:
        raise ValidationError(f"a password needs at least {MIN_LENGTH} characters", "password")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; False for no hash (unknown user) as for a
    wrong password, after the same work."""
    try:
        _hasher.verify(stored_hash or _DUMMY, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return stored_hash is not None
