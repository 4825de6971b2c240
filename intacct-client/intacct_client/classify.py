"""Decide what an HTTP answer means: a usable response, or which exception.

The decision table (retryable = sending the same request again may succeed):

===============================================  ===============================  =========
What came back                                   Exception                        Retryable
===============================================  ===============================  =========
timeout, dropped connection, truncated body      IntacctTransportError            yes
HTML page (Cloudflare, proxy), non-XML body      IntacctTransportError            yes
malformed / truncated XML                        IntacctTransportError            yes
HTTP 429, GW-0010, "too many operations",        IntacctRateLimitError            yes
concurrency / rate limit text
HTTP 5xx (524 "origin timeout": not for writes)  IntacctTransportError            yes
GW-xxxx other than GW-0011                       IntacctTransportError            yes
"Please Try Again Later", "Temporarily Off-line" IntacctTransportError            yes
HTTP 401 to a session-id request                 IntacctSessionExpiredError       no (re-login once)
HTTP 401, 400 GW-0011                            IntacctAuthenticationError       no
other 4xx                                        IntacctControlError              no
control status failure                           IntacctControlError              no
authentication failure, invalid session          IntacctSessionExpiredError       no (re-login once)
authentication failure                           IntacctAuthenticationError       no
===============================================  ===============================  =========

An answer to the login (``getAPISession``) must also carry its result: an
acknowledgement-only or otherwise incomplete answer is a gateway problem
(IntacctTransportError, retryable), never a verdict on the credentials; see
:func:`check_login_answer`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from intacct_client.errors import (
    ErrorDetail,
    IntacctAuthenticationError,
    IntacctControlError,
    IntacctError,
    IntacctRateLimitError,
    IntacctSessionExpiredError,
    IntacctTransportError,
)
from intacct_client.parsing import ParsedResponse, parse_response
from intacct_client.xmlread import MalformedXmlError, UnsafeXmlError, parse_xml

_RATE_TEXT = re.compile(
    r"too many operations|rate limit|too many (concurrent )?requests|concurrent requests?", re.I
)
_TRANSIENT_TEXT = re.compile(
    r"please try again later|temporarily off-?line|service (is )?(temporarily )?unavailable", re.I
)
_GATEWAY_ERRORNO = re.compile(r"^GW-\d+$", re.I)
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body)", re.I)
_SESSION_TEXT = re.compile(r"invalid session|session.*(invalid|expired)", re.I)
NO_RETRY_FOR_WRITES = frozenset({524})


def _joined_text(errors: Sequence[ErrorDetail]) -> str:
    return " ".join(f"{e.errorno} {e.description} {e.description2} {e.correction}" for e in errors)


def transient_kind(errors: Sequence[ErrorDetail]) -> type[IntacctError] | None:
    """The retryable exception class matching these errors, or None when they are fatal."""
    if not errors:
        return None
    if any(e.errorno.upper() == "GW-0010" for e in errors):
        return IntacctRateLimitError
    text = _joined_text(errors)
    if _RATE_TEXT.search(text):
        return IntacctRateLimitError
    if _TRANSIENT_TEXT.search(text):
        return IntacctTransportError
    if any(_GATEWAY_ERRORNO.match(e.errorno) and e.errorno.upper() != "GW-0011" for e in errors):
        return IntacctTransportError
    return None


def looks_like_html(content_type: str, body: bytes) -> bool:
    """Whether an answer is an HTML page (a proxy or maintenance page) rather than XML."""
    return "html" in content_type.lower() or bool(_HTML_START.match(body[:200]))


def interpret(
    *,
    http_status: int,
    content_type: str,
    body: bytes,
    writes: bool,
    session_auth: bool,
) -> ParsedResponse:
    """Return the parsed response when the request reached the functions; else raise."""
    common: dict[str, Any] = {"http_status": http_status}
    server_error = http_status >= 500
    retry_server_error = not (writes and http_status in NO_RETRY_FOR_WRITES)
    if looks_like_html(content_type, body):
        if http_status == 429:
            raise IntacctRateLimitError("HTML error page", level="transport", **common)
        raise IntacctTransportError(
            "HTML error page instead of XML",
            retryable=retry_server_error if server_error else True,
            **common,
        )
    try:
        root = parse_xml(body)
    except UnsafeXmlError as exc:
        raise IntacctTransportError(str(exc), retryable=False, **common) from None
    except MalformedXmlError as exc:
        if http_status == 429 or b"rate limit exceeded" in body[:2000].lower():
            raise IntacctRateLimitError("rate limited", level="transport", **common) from None
        what = "empty body" if not body.strip() else f"malformed or truncated XML ({exc})"
        raise IntacctTransportError(
            what, retryable=retry_server_error if server_error else True, **common
        ) from None
    if root.tag != "response":
        raise IntacctTransportError(f"unexpected XML root <{root.tag}>", **common)
    parsed = parse_response(root)
    errors = parsed.control_errors
    if http_status != 200:
        kind = transient_kind(errors)
        if http_status == 429 or kind is IntacctRateLimitError:
            raise IntacctRateLimitError(errors=errors, **common)
        if server_error:
            raise IntacctTransportError(errors=errors, retryable=retry_server_error, **common)
        if kind is not None:
            raise kind(errors=errors, **common)
        if http_status == 401 and session_auth:
            # A gateway that rejects the session id itself: log in again once.
            raise IntacctSessionExpiredError(errors=errors, level="control", **common)
        if http_status == 401 or any(e.errorno.upper() == "GW-0011" for e in errors):
            raise IntacctAuthenticationError(errors=errors, level="control", **common)
        raise IntacctControlError(errors=errors, **common)
    if parsed.control_status != "success":
        kind = transient_kind(errors)
        if kind is not None:
            raise kind(errors=errors, level="control", **common)
        if not errors and parsed.authentication is None:
            raise IntacctTransportError("response without a control status", **common)
        raise IntacctControlError(errors=errors, **common)
    auth = parsed.authentication
    if auth is None:
        if parsed.acknowledgement is not None:
            return parsed
        raise IntacctTransportError("response without an operation", **common)
    if not auth.status:
        raise IntacctTransportError("incomplete answer: authentication without a status", **common)
    if auth.status != "success":
        auth_errors = parsed.operation_errors
        kind = transient_kind(auth_errors)
        if kind is not None:
            raise kind(errors=auth_errors, level="authentication", **common)
        text = _joined_text(auth_errors)
        if session_auth and (_SESSION_TEXT.search(text) or not (auth.userid or auth.companyid)):
            raise IntacctSessionExpiredError(errors=auth_errors, **common)
        raise IntacctAuthenticationError(errors=auth_errors, **common)
    return parsed


def check_login_answer(parsed: ParsedResponse) -> None:
    """Raise IntacctTransportError (retryable) when a getAPISession answer is incomplete.

    Reached only by answers whose control and authentication blocks did not fail, so
    nothing here says the credentials are wrong: an acknowledgement without an
    operation, an operation without a result, a failure without any error, or a success
    without a session id is a broken gateway answer, and sending the login again may
    get a whole one. A failed result that carries errors is left to the caller.
    """
    result = next(iter(parsed.results), None)
    if result is None:
        if parsed.authentication is None and parsed.acknowledgement is not None:
            what = "an acknowledgement without an operation"
        else:
            what = "no result"
        raise IntacctTransportError(f"incomplete answer to getAPISession: {what}")
    if result.ok:
        record = result.data[0] if result.data else {}
        if not str(record.get("sessionid") or "").strip():
            raise IntacctTransportError(
                "incomplete answer to getAPISession: success without a session id"
            )
    elif not result.errors:
        raise IntacctTransportError(
            f"incomplete answer to getAPISession: status {result.status!r} without errors"
        )
