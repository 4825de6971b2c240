"""REST error answers: `ia::result` holding one `ia::error`, with an HTTP status.

Variant `rest_error_body=error` answers the bare `{"error": {...}}` that public
integration write-ups quote for a refused token instead (docs/protocol-rest.md §5).

Shape per Sage's error-handling guide (docs/protocol-rest.md §5): `code` (a short camel
case word), `message`, `errorId` (`REST-nnnn`), `additionalInfo` (`messageId`,
`placeholders`, `propertySet`) and a `supportId`; `ia::meta` counts the one failure.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from intacct_sandbox import variants


@dataclass
class RestError(Exception):
    """Raised anywhere in the REST half; becomes the error answer."""

    status: int
    code: str
    message: str
    error_id: str
    message_id: str = ""
    details: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"

    def payload(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "errorId": self.error_id,
            "additionalInfo": {
                "messageId": self.message_id or f"IA.{self.code.upper()}",
                "placeholders": {},
                "propertySet": {},
            },
            "supportId": secrets.token_hex(6),
        }
        if self.details:
            error["details"] = self.details
        if variants.active("rest_error_body") == "error":
            return {"error": error}
        return {
            "ia::result": {"ia::error": error},
            "ia::meta": {"totalCount": 1, "totalSuccess": 0, "totalError": 1},
        }


def bad_request(message: str, error_id: str = "REST-1001") -> RestError:
    return RestError(400, "invalidRequest", message, error_id)


def token_invalid() -> RestError:
    return RestError(401, "tokenInvalid", "Token is not valid", "REST-2102", "IA.TOKEN_IS_INVALID")


def forbidden(message: str) -> RestError:
    return RestError(403, "permissionDenied", message, "REST-2001")


def not_found(message: str) -> RestError:
    return RestError(404, "notFound", message, "REST-1004")


def too_many_requests(message: str) -> RestError:
    return RestError(429, "tooManyRequests", message, "REST-1029")


PERMISSION_ERRORNO = "PL04000005"


def from_function_errors(errors: list[Any], status: int = 400) -> RestError:
    """The XML half's `<error>` list (ErrorSpec) as one REST error; each kept in details.
    A permission error (PL04000005) becomes 403, as REST answers a forbidden operation."""
    first = errors[0] if errors else None
    message = "The request failed."
    if first is not None:
        # some captured errors carry their sentence in errorno (docs/protocol.md §6.2)
        message = next(
            (
                text
                for name in ("description2", "description", "errorno")
                if (text := str(getattr(first, name, "") or "").strip())
            ),
            message,
        )
    details = [
        {
            "errorNo": getattr(e, "errorno", ""),
            "description": getattr(e, "description", ""),
            "description2": getattr(e, "description2", ""),
            "correction": getattr(e, "correction", ""),
        }
        for e in errors
    ]
    if first is not None and getattr(first, "errorno", "") == PERMISSION_ERRORNO:
        return RestError(403, "permissionDenied", message, "REST-2001", details=details)
    return RestError(status, "invalidRequest", message, "REST-1001", details=details)
