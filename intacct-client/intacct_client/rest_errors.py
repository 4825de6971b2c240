"""REST error answers as the client's exceptions.

An error answer carries ``code``, ``message``, ``errorId`` and, for a refused write, the
XML gateway's errors under ``details`` (docs/protocol-rest.md §5). Intacct's guide shows
them under ``{"ia::result": {"ia::error": ...}}``; a public capture shows a bare
``{"error": {...}}``; both are read. The token endpoint answers OAuth 2.0's own
``{"error": "...", "error_description": "..."}`` (RFC 6749 §5.2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from intacct_client.errors import (
    ErrorDetail,
    IntacctError,
    IntacctFunctionError,
    IntacctObjectNotFoundError,
    IntacctPermissionError,
    IntacctSessionExpiredError,
    IntacctUnqueryableFieldsError,
)

# The sandbox's wording for fields an object does not have; Intacct's is not published.
_UNKNOWN_FIELDS = re.compile(r"unknown fields? for \S+?:\s*(.+?)\.?\s*$", re.I)
_UNKNOWN_OBJECT = re.compile(r"object '[^']*' is not a known object", re.I)


def error_body(payload: Any) -> Mapping[str, Any]:
    """The error object of an answer, from either envelope (empty when there is none)."""
    if not isinstance(payload, Mapping):
        return {}
    result = payload.get("ia::result")
    if isinstance(result, Mapping) and isinstance(result.get("ia::error"), Mapping):
        error: Mapping[str, Any] = result["ia::error"]
        return error
    bare = payload.get("error")
    if isinstance(bare, Mapping):
        return bare
    return {}


def error_details(payload: Any) -> tuple[ErrorDetail, ...]:
    """The answer's error first, then each XML error it carries under ``details``."""
    error = error_body(payload)
    if not error:
        return ()
    first = ErrorDetail(
        errorno=str(error.get("errorId") or error.get("code") or ""),
        description=str(error.get("code") or ""),
        description2=str(error.get("message") or ""),
    )
    details = [
        ErrorDetail(
            errorno=str(item.get("errorNo") or ""),
            description=str(item.get("description") or ""),
            description2=str(item.get("description2") or ""),
            correction=str(item.get("correction") or ""),
        )
        for item in error.get("details") or []
        if isinstance(item, Mapping)
    ]
    return (first, *details)


def unknown_fields(message: str) -> list[str]:
    """The field names of an "Unknown fields for <object>: a, b." message, else []."""
    found = _UNKNOWN_FIELDS.search(message)
    if found is None:
        return []
    return [name.strip() for name in found.group(1).split(",") if name.strip()]


def rest_error(status: int, payload: Any, operation: str) -> IntacctError:
    """The exception for a 4xx answer that retrying cannot cure (401 included).

    401 is an invalid or expired token (the client renews it and replays); 403 a
    permission refusal; 404 and an unknown object a missing object; a 400 naming
    unknown fields `IntacctUnqueryableFieldsError`; any other 4xx `IntacctFunctionError`.
    """
    errors = error_details(payload)
    message = errors[0].description2 if errors else ""
    kwargs: dict[str, Any] = {
        "errors": errors,
        "http_status": status,
        "function": operation,
    }
    if not errors:
        kwargs["errors"] = (ErrorDetail(errorno=f"HTTP {status}", description2="no error body"),)
    if status == 401:
        return IntacctSessionExpiredError("access token refused", **kwargs)
    if status == 403:
        return IntacctPermissionError(**kwargs)
    if status == 404 or _UNKNOWN_OBJECT.search(message):
        return IntacctObjectNotFoundError(**kwargs)
    fields = unknown_fields(message)
    if fields:
        return IntacctUnqueryableFieldsError(fields=fields, **kwargs)
    return IntacctFunctionError(**kwargs)
