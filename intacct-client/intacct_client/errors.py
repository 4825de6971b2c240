"""Exception hierarchy: every Intacct failure keeps all its error details.

``level`` says where the failure happened (``transport``, ``control``,
``authentication`` or ``function``); ``retryable`` says whether sending the same
request again may succeed. Messages never contain request bodies or secrets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from intacct_client.redaction import redact

WRAPPER_ERRORNO = "BL01001973"
ROLLBACK_ERRORNO = "XL03000009"
_WRAPPER_TEXT = re.compile(r"^\s*(could not (create|update|delete)|currently, we can.?t)", re.I)
_ROLLBACK_TEXT = "entire transaction in this operation has been rolled back"


@dataclass(frozen=True)
class ErrorDetail:
    """One ``<error>`` element of an ``<errormessage>``."""

    errorno: str = ""
    description: str = ""
    description2: str = ""
    correction: str = ""

    @property
    def text(self) -> str:
        """The most informative message: description2, else description, else errorno."""
        return self.description2 or self.description or self.errorno

    def is_wrapper(self) -> bool:
        """True for generic errors that only wrap a more specific one."""
        if self.errorno == ROLLBACK_ERRORNO or _ROLLBACK_TEXT in self.description2.lower():
            return True
        return self.errorno == WRAPPER_ERRORNO and bool(
            _WRAPPER_TEXT.match(self.description2 or self.description)
        )


def first_specific(errors: Sequence[ErrorDetail]) -> ErrorDetail | None:
    """The first error that is not a BL01001973/XL03000009 wrapper (else the first one)."""
    for error in errors:
        if not error.is_wrapper():
            return error
    return errors[0] if errors else None


class IntacctError(Exception):
    """Base class of every error raised by the client."""

    default_level = "transport"
    default_retryable = False

    def __init__(
        self,
        message: str = "",
        *,
        errors: Sequence[ErrorDetail] = (),
        level: str | None = None,
        retryable: bool | None = None,
        http_status: int | None = None,
        function: str | None = None,
        controlid: str | None = None,
    ) -> None:
        self.errors: tuple[ErrorDetail, ...] = tuple(errors)
        self.level: str = level or self.default_level
        self.retryable: bool = self.default_retryable if retryable is None else retryable
        self.http_status = http_status
        self.function = function
        self.controlid = controlid
        self.reason = message
        self.retry_after: float | None = None  # seconds, from a Retry-After header
        super().__init__(redact(self._one_line()))

    @property
    def first_error(self) -> ErrorDetail | None:
        """The error that names the cause, skipping Intacct's generic wrapper errors."""
        return first_specific(self.errors)

    def _one_line(self) -> str:
        parts = [f"{self.level} error"]
        if self.function:
            parts[0] += f" in {self.function}"
            if self.controlid:
                parts[0] += f" (controlid {self.controlid})"
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        first = self.first_error
        if first is not None:
            text = first.text
            if first.errorno and first.errorno != text:
                text = f"{first.errorno} {text}"
            if first.correction:
                text += f" (correction: {first.correction})"
            parts.append(text)
        if self.reason:
            parts.append(self.reason)
        return ": ".join(" ".join(p.split()) for p in parts if p)


class IntacctTransportError(IntacctError):
    """Timeouts, dropped connections, HTML pages, malformed XML, 5xx: usually retryable."""

    default_level = "transport"
    default_retryable = True


class IntacctRateLimitError(IntacctError):
    """HTTP 429 / GW-0010 / concurrency limit / "too many operations": retryable."""

    default_level = "control"
    default_retryable = True


class IntacctControlError(IntacctError):
    """Control-level failure (bad sender, XML schema error): fatal."""

    default_level = "control"


class IntacctAuthenticationError(IntacctError):
    """Authentication-level failure (bad user or company, sender not authorised): fatal."""

    default_level = "authentication"


class IntacctSessionExpiredError(IntacctAuthenticationError):
    """The session id is invalid or expired (the client re-logs in once, then raises)."""


class IntacctConfigurationError(IntacctError):
    """A setting the chosen transport needs is missing: fatal, nothing was sent."""

    default_level = "configuration"


class IntacctFunctionError(IntacctError):
    """A function-level failure raised by helpers such as ``query()`` or ``lookup()``."""

    default_level = "function"


class IntacctPermissionError(IntacctFunctionError):
    """PL04000005: the user has no permission on the object."""


class IntacctUnqueryableFieldsError(IntacctFunctionError):
    """``The following fields cannot be queried: [...]``; ``fields`` lists them."""

    def __init__(self, message: str = "", *, fields: Sequence[str] = (), **kwargs: object) -> None:
        self.fields: tuple[str, ...] = tuple(fields)
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class IntacctObjectNotFoundError(IntacctFunctionError):
    """``Object definition X not found`` (or ``Object type X not found``)."""


__all__ = [
    "ErrorDetail",
    "IntacctAuthenticationError",
    "IntacctConfigurationError",
    "IntacctControlError",
    "IntacctError",
    "IntacctFunctionError",
    "IntacctObjectNotFoundError",
    "IntacctPermissionError",
    "IntacctRateLimitError",
    "IntacctSessionExpiredError",
    "IntacctTransportError",
    "IntacctUnqueryableFieldsError",
    "first_specific",
]
