"""Domain errors. Each carries a catalog key and parameters so the page can show it
in the user's language; services never format user-facing text themselves."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    default_key = "error.generic"
    # True for a refusal that is itself a fact to keep (a failed sign-in is counted and
    # audited): UnitOfWork.run commits before passing the error on.
    keep_changes = False

    def __init__(self, message_key: str | None = None, **params: Any) -> None:
        self.message_key = message_key or self.default_key
        self.params = params
        super().__init__(f"{self.message_key} {params}" if params else self.message_key)


class PermissionDenied(DomainError):
    default_key = "error.permission_denied"


class NotFound(DomainError):
    default_key = "error.not_found"


class ValidationFailed(DomainError):
    """Bad input: a missing or malformed field. `field` names it when there is one."""

    default_key = "error.invalid"


class Conflict(DomainError):
    """Duplicate name, stale edit (someone else saved first), or a repeated action."""

    default_key = "error.conflict"


class InvalidTransition(DomainError):
    default_key = "error.invalid_transition"


class AuthenticationFailed(DomainError):
    default_key = "auth.bad_credentials"
    keep_changes = True  # the failure is counted and audited


class SignInThrottled(DomainError):
    """Too many failed sign-ins for this username or from this client: wait `seconds`.
    Said the same way whether or not the username exists."""

    default_key = "auth.throttled"


class Busy(DomainError):
    """Too much work at once (e.g. password hashing); nothing was done, try again."""

    default_key = "error.busy"


class SignInBusy(Busy):
    """No hashing turn for a sign-in: its advance count is taken back and that is kept."""

    keep_changes = True


class PhotoRejected(DomainError):
    default_key = "photo.rejected"
