"""`Authorization: Bearer <key>`: a company key sees its own company's cases only."""

from __future__ import annotations

from starlette.requests import Request

from . import errors, inferred
from .models import ApiKey


def authenticate(request: Request, state, operation: str) -> ApiKey:
    """The caller's key, or the documented 401/403/429 as a WhopError."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.unauthorized()
    key = state.keys.get(token.strip())
    if key is None:
        raise errors.unauthorized()
    needed = OPERATION_PERMISSIONS.get(operation, inferred.REQUIRED_PERMISSION)
    if needed not in key.permissions:
        error = errors.forbidden()
        error.reason = f"key lacks {needed} for {operation}"
        raise error
    wait = state.rate.check(key.key, operation)
    if wait is not None:
        raise errors.rate_limited(wait)
    return key


# Permission per operation (documented scopes, docs/providers/whop-disputes.md "Authentication");
# an operation not listed needs the case read permission.
OPERATION_PERMISSIONS = {
    "list_disputes": inferred.DISPUTE_PERMISSION_READ,
    "summary_disputes": inferred.DISPUTE_PERMISSION_READ,
    "retrieve_dispute": inferred.DISPUTE_PERMISSION_READ,
    "update_dispute": inferred.DISPUTE_PERMISSION_WRITE,
    "accept_dispute": inferred.DISPUTE_PERMISSION_WRITE,
    "submit_dispute": inferred.DISPUTE_PERMISSION_WRITE,
    "upload_dispute_evidence": inferred.DISPUTE_PERMISSION_WRITE,
    "list_dispute_alerts": inferred.ALERT_PERMISSION_READ,
    "retrieve_dispute_alert": inferred.ALERT_PERMISSION_READ,
    "create_file": inferred.FILE_PERMISSION,
    "retrieve_file": inferred.FILE_PERMISSION,
}
