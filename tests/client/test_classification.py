"""Unit tests: the retryable-vs-fatal classification table (no server)."""

from __future__ import annotations

import pytest
from intacct_client import (
    IntacctAuthenticationError,
    IntacctControlError,
    IntacctError,
    IntacctRateLimitError,
    IntacctTransportError,
)
from intacct_client.classify import interpret, transient_kind
from intacct_client.errors import ErrorDetail

DECL = '<?xml version="1.0" encoding="UTF-8"?>'
CLOUDFLARE = (
    b"<!DOCTYPE html><html><head><title>api.intacct.com | 524: A timeout occurred</title>"
    b'</head><body><div id="cf-error-details">...</div></body></html>'
)


def gateway(errorno: str, description: str) -> bytes:
    return (
        f"{DECL}<response><control><status>failure</status></control><errormessage><error>"
        f"<errorno>{errorno}</errorno><description>{description}</description></error>"
        "</errormessage></response>"
    ).encode()


def control_failure(errorno: str, d2: str, corr: str = "") -> bytes:
    return (
        f"{DECL}<response><control><status>failure</status><senderid>S</senderid>"
        "<controlid>c</controlid></control><errormessage><error>"
        f"<errorno>{errorno}</errorno><description></description>"
        f"<description2>{d2}</description2><correction>{corr}</correction></error>"
        "</errormessage></response>"
    ).encode()


CASES: list[tuple[str, int, str, bytes, bool, type[IntacctError], bool]] = [
    # id, http status, content type, body, writes, expected class, retryable
    (
        "429-xml",
        429,
        "text/xml",
        gateway("GW-0010", "Rate limit exceeded"),
        False,
        IntacctRateLimitError,
        True,
    ),
    (
        "429-xml-write",
        429,
        "text/xml",
        gateway("GW-0010", "Rate limit exceeded"),
        True,
        IntacctRateLimitError,
        True,
    ),
    ("429-empty", 429, "text/plain", b"", False, IntacctRateLimitError, True),
    ("500-empty", 500, "text/plain", b"", False, IntacctTransportError, True),
    (
        "502-html",
        502,
        "text/html",
        b"<html><body>Bad gateway</body></html>",
        False,
        IntacctTransportError,
        True,
    ),
    (
        "503-xml",
        503,
        "text/xml",
        gateway("GW-0001", "Service unavailable"),
        False,
        IntacctTransportError,
        True,
    ),
    ("524-read", 524, "text/html", CLOUDFLARE, False, IntacctTransportError, True),
    ("524-write", 524, "text/html", CLOUDFLARE, True, IntacctTransportError, False),
    ("200-cloudflare-html", 200, "text/html", CLOUDFLARE, False, IntacctTransportError, True),
    (
        "200-html-no-ctype",
        200,
        "",
        b"<html><body>proxy</body></html>",
        False,
        IntacctTransportError,
        True,
    ),
    (
        "200-malformed",
        200,
        "text/xml",
        b"<response><control><status>succ",
        False,
        IntacctTransportError,
        True,
    ),
    (
        "200-truncated",
        200,
        "text/xml",
        f"{DECL}<response><control>".encode(),
        False,
        IntacctTransportError,
        True,
    ),
    ("200-empty", 200, "text/xml", b"", False, IntacctTransportError, True),
    (
        "200-doctype-refused",
        200,
        "text/xml",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><response>&a;</response>',
        False,
        IntacctTransportError,
        False,
    ),
    (
        "200-rate-text",
        200,
        "text/plain",
        b"API rate limit exceeded",
        False,
        IntacctRateLimitError,
        True,
    ),
    (
        "200-too-many-operations",
        200,
        "text/xml",
        control_failure("XL03000006", "There are too many operations running for this company"),
        False,
        IntacctRateLimitError,
        True,
    ),
    (
        "200-try-later",
        200,
        "text/xml",
        control_failure("XL03000010", "Service error", "Please Try Again Later"),
        False,
        IntacctTransportError,
        True,
    ),
    (
        "200-offline",
        200,
        "text/xml",
        control_failure("XL03000010", "The Service is Temporarily Off-line"),
        False,
        IntacctTransportError,
        True,
    ),
    (
        "200-gw-error",
        200,
        "text/xml",
        control_failure("GW-0004", "Gateway error"),
        True,
        IntacctTransportError,
        True,
    ),
    (
        "400-gw-0011",
        400,
        "text/xml",
        gateway("GW-0011", "Invalid Request"),
        False,
        IntacctAuthenticationError,
        False,
    ),
    (
        "401-jpp",
        401,
        "text/xml",
        gateway("XMLGW_JPP0002", "Sign-in information is incorrect"),
        False,
        IntacctAuthenticationError,
        False,
    ),
    (
        "404-xml",
        404,
        "text/xml",
        gateway("invalidRequest", "Not found"),
        False,
        IntacctControlError,
        False,
    ),
    (
        "200-bad-sender",
        200,
        "text/xml",
        control_failure("XL03000006", "Incorrect Intacct XML Partner ID or password."),
        False,
        IntacctControlError,
        False,
    ),
    (
        "200-demo-expired",
        200,
        "text/xml",
        control_failure("PL04000055", "This company is a demo company and has expired."),
        False,
        IntacctControlError,
        False,
    ),
    ("200-wrong-root", 200, "text/xml", b"<html2/>", False, IntacctTransportError, True),
]


@pytest.mark.parametrize(
    ("status", "ctype", "body", "writes", "expected", "retryable"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_classification_table(  # noqa: PLR0917 - one parameter per table column
    status: int,
    ctype: str,
    body: bytes,
    writes: bool,
    expected: type[IntacctError],
    retryable: bool,
) -> None:
    with pytest.raises(IntacctError) as info:
        interpret(
            http_status=status, content_type=ctype, body=body, writes=writes, session_auth=False
        )
    assert type(info.value) is expected
    assert info.value.retryable is retryable
    assert info.value.http_status == status
    assert "\n" not in str(info.value)


def test_function_level_transient_texts() -> None:
    assert transient_kind([ErrorDetail("X", "", "The Service is Temporarily Off-line")]) is (
        IntacctTransportError
    )
    assert transient_kind([ErrorDetail("GW-0010", "rate")]) is IntacctRateLimitError
    # A correction that merely says "try again" is not a transient failure.
    assert (
        transient_kind(
            [
                ErrorDetail(
                    "BL01001973",
                    "",
                    "Currently, we can't create the transaction",
                    "Check the transaction for errors or inconsistencies, then try again.",
                )
            ]
        )
        is None
    )
    assert transient_kind([ErrorDetail("BL34000061", "", "Another Class already exists")]) is None


def test_http_401_to_a_session_request_means_log_in_again() -> None:
    from intacct_client import IntacctSessionExpiredError

    body = gateway("XMLGW_JPP0002", "Sign-in information is incorrect")
    with pytest.raises(IntacctSessionExpiredError) as info:
        interpret(
            http_status=401, content_type="text/xml", body=body, writes=True, session_auth=True
        )
    assert info.value.http_status == 401
