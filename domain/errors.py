"""The small exception tree every use case raises.

The API maps each class to a typed GraphQL error, so expected failures are part
of the schema and never surface as a stack trace.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of all expected business failures."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Input is malformed; ``field`` is the path of the offending input field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    """A referenced thing does not exist."""

    def __init__(self, message: str, kind: str = "", key: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.key = key


class Conflict(DomainError):
    """The command lost a race, or an idempotency key was reused with other input.

    It always carries a message: the API shows it as the error's text."""

    def __init__(self, message: str = "") -> None:
        super().__init__((message or "").strip() or "the records this command changes were "
                         "changed by another command meanwhile; read them again and retry")


class BusinessRuleViolation(DomainError):
    """A well-formed command that the business rules refuse; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class PermissionDenied(DomainError):
    """The caller's role may not run this command."""


class ProjectionLag(Exception):
    """The read models have not reached the log position a command read.

    Not a ``DomainError``: the request is fine and nothing was written; asked
    again a moment later it succeeds. The API reports it as the
    ``ProjectionLag`` error, the CLI as a one-line failure."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
