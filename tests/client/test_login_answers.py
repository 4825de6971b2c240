"""What an answer to the login (getAPISession) means: a session, bad credentials, or a
broken gateway answer, never confused.

The bodies follow the shapes of the responses in Intacct's PHP SDK tests
(intacct/intacct-sdk-php: test/Intacct/Xml/OnlineResponseTest.php for the online
answers with a missing operation, authentication or result block and the sign-in
failure; test/Intacct/Xml/OfflineResponseTest.php for the acknowledgement-only answer),
written here from scratch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from intacct_client import (
    IntacctAuthenticationError,
    IntacctClient,
    IntacctControlError,
    IntacctError,
    IntacctTransportError,
)
from intacct_client.classify import check_login_answer, interpret

DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
CONTROL_OK = (
    "<control><status>success</status><senderid>partner</senderid>"
    "<controlid>login-1</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
    "</control>"
)
AUTH_OK = (
    "<authentication><status>success</status><userid>apiuser</userid>"
    "<companyid>acme</companyid><sessiontimestamp>2024-05-01T10:00:00-07:00"
    "</sessiontimestamp></authentication>"
)


def response(inner: str, *, ack: str = "") -> bytes:
    return f"{DECL}<response>{ack}{CONTROL_OK}{inner}</response>".encode()


def session_result(api: str, status: str = "success", errors: str = "") -> str:
    return (
        f"<result><status>{status}</status><function>getAPISession</function>"
        f"<controlid>getAPISession</controlid><data><api>{api}</api></data>{errors}</result>"
    )


GOOD_API = "<sessionid>opaque-session-1..</sessionid><endpoint>https://x.example/ia/xml/xmlgw.phtml</endpoint>"


def read_login_answer(body: bytes, status: int = 200, content_type: str = "text/xml") -> Any:
    """Classify as the client does for its login request, then check it is whole."""
    parsed = interpret(
        http_status=status, content_type=content_type, body=body, writes=False, session_auth=False
    )
    check_login_answer(parsed)
    return parsed


# ----------------------------------------------------------------------------- broken
BROKEN: dict[str, tuple[bytes, str]] = {
    "acknowledgement only (offline shape)": (
        response("", ack="<acknowledgement><status>success</status></acknowledgement>"),
        "acknowledgement without an operation",
    ),
    "acknowledgement without a status": (
        response("", ack="<acknowledgement/>"),
        "without an operation",
    ),
    "no operation block": (response(""), "without an operation"),
    "empty operation block": (response("<operation/>"), "without an operation"),
    "authentication without a status": (
        response("<operation><authentication><userid>u</userid></authentication></operation>"),
        "authentication without a status",
    ),
    "no result block": (response(f"<operation>{AUTH_OK}</operation>"), "no result"),
    "success without a session id": (
        response(f"<operation>{AUTH_OK}{session_result('<endpoint>e</endpoint>')}</operation>"),
        "success without a session id",
    ),
    "failure without any error": (
        response(f"<operation>{AUTH_OK}{session_result('', status='failure')}</operation>"),
        "without errors",
    ),
    "truncated document": (
        response(f"<operation>{AUTH_OK}{session_result(GOOD_API)}</operation>")[:300],
        "malformed or truncated XML",
    ),
    "empty body": (b"", "empty body"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_login_answer_is_a_retryable_gateway_error(case: str) -> None:
    body, reason = BROKEN[case]
    with pytest.raises(IntacctError) as caught:
        read_login_answer(body)
    error = caught.value
    assert type(error) is IntacctTransportError, (case, type(error), str(error))
    assert error.retryable
    assert reason in str(error), str(error)
    assert not isinstance(error, IntacctAuthenticationError)


def test_an_html_page_instead_of_the_login_answer_is_a_gateway_error() -> None:
    page = b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body>x</body></html>"
    with pytest.raises(IntacctTransportError) as caught:
        read_login_answer(page, content_type="text/html")
    assert caught.value.retryable


# ----------------------------------------------------------------------------- real verdicts
def test_sign_in_failure_is_an_authentication_error() -> None:
    body = response(
        "<operation><authentication><status>failure</status><userid>apiuser</userid>"
        "<companyid>acme</companyid></authentication><errormessage><error>"
        "<errorno>XL03000006</errorno><description></description>"
        "<description2>Sign-in information is incorrect</description2><correction></correction>"
        "</error></errormessage></operation>"
    )
    with pytest.raises(IntacctAuthenticationError) as caught:
        read_login_answer(body)
    assert not caught.value.retryable
    assert "Sign-in information is incorrect" in str(caught.value)


def test_http_401_sign_in_failure_is_an_authentication_error() -> None:
    body = (
        f"{DECL}<response><control><status>failure</status></control><errormessage><error>"
        "<errorno>XMLGW_JPP0002</errorno><description>Sign-in information is incorrect. "
        "Please check your request.</description></error></errormessage></response>"
    ).encode()
    with pytest.raises(IntacctAuthenticationError):
        read_login_answer(body, status=401)


def test_bad_sender_is_a_control_error() -> None:
    body = (
        f"{DECL}<response><control><status>failure</status><senderid>partner</senderid>"
        "<controlid>login-1</controlid></control><errormessage><error>"
        "<errorno>XL03000006</errorno><description></description>"
        "<description2>Incorrect Intacct XML Partner ID or password.</description2>"
        "<correction></correction></error></errormessage></response>"
    ).encode()
    with pytest.raises(IntacctControlError):
        read_login_answer(body)


def test_a_whole_answer_passes_with_or_without_timeout_and_location() -> None:
    plain = read_login_answer(
        response(f"<operation>{AUTH_OK}{session_result(GOOD_API)}</operation>")
    )
    assert plain.results[0].data[0]["sessionid"] == "opaque-session-1.."
    assert plain.authentication.sessiontimeout == ""
    auth = AUTH_OK.replace(
        "</sessiontimestamp>",
        "</sessiontimestamp><sessiontimeout>2024-05-01T11:00:00-07:00</sessiontimeout>",
    ).replace(
        "<companyid>acme</companyid>", "<companyid>acme</companyid><locationid>E1</locationid>"
    )
    api = GOOD_API + "<locationid>E1</locationid>"
    full = read_login_answer(response(f"<operation>{auth}{session_result(api)}</operation>"))
    assert full.authentication.locationid == "E1"
    assert full.results[0].data[0]["locationid"] == "E1"


def test_a_refused_get_api_session_with_errors_is_left_to_the_caller() -> None:
    errors = (
        "<errormessage><error><errorno>XL03000006</errorno><description></description>"
        "<description2>Invalid location ID: NOPE</description2><correction></correction>"
        "</error></errormessage>"
    )
    body = response(f"<operation>{AUTH_OK}{session_result('', 'failure', errors)}</operation>")
    parsed = read_login_answer(body)
    assert parsed.results[0].status == "failure"


# ----------------------------------------------------------------------------- captures
CAPTURES = Path(__file__).resolve().parents[1] / "conformance" / "fixtures"


@pytest.mark.parametrize(
    "name",
    [
        "get_api_session_full",
        "get_api_session_minimal",
        "get_api_session_no_timeout",
        "get_api_session_entity",
        "get_api_session_entity_switch",
    ],
)
def test_captured_login_answers_with_a_session_pass(name: str) -> None:
    parsed = read_login_answer((CAPTURES / f"{name}.xml").read_bytes())
    assert str(parsed.results[0].data[0]["sessionid"]).strip()


@pytest.mark.parametrize(
    ("name", "status", "expected"),
    [
        ("offline_acknowledgement", 200, IntacctTransportError),
        ("incomplete_no_result", 200, IntacctTransportError),
        ("incomplete_auth_without_status", 200, IntacctTransportError),
        ("incomplete_truncated", 200, IntacctTransportError),
        ("auth_failure", 200, IntacctAuthenticationError),
        ("gateway_401", 401, IntacctAuthenticationError),
    ],
)
def test_captured_login_answers_that_fail(name: str, status: int, expected: type) -> None:
    with pytest.raises(IntacctError) as caught:
        read_login_answer((CAPTURES / f"{name}.xml").read_bytes(), status=status)
    assert type(caught.value) is expected, (name, type(caught.value), str(caught.value))


def test_captured_get_api_session_failure_is_left_to_the_caller() -> None:
    parsed = read_login_answer((CAPTURES / "get_api_session_failure.xml").read_bytes())
    assert parsed.results[0].status == "failure"
    assert parsed.results[0].errors


# ----------------------------------------------------------------------------- sandbox
@pytest.mark.parametrize("kind", ["acknowledgement_only", "malformed_xml", "html_error_page"])
def test_a_broken_login_answer_is_retried_then_the_session_works(
    clean_sandbox: Any, make_client: Callable[..., IntacctClient], kind: str
) -> None:
    clean_sandbox.fault(kind, count=1, function="getAPISession")
    client = make_client(clean_sandbox)
    page = client.query("GLACCOUNT", ["RECORDNO"], page_size=2)
    assert page.count == 2
    assert client.login_count == 1
    assert client.retry_count == 1
    assert client.call_counts["getAPISession"] == 2
    assert clean_sandbox.control("GET", "faults") == []


@pytest.mark.parametrize("kind", ["acknowledgement_only", "html_error_page"])
def test_a_gateway_that_keeps_breaking_the_login_is_not_called_bad_credentials(
    clean_sandbox: Any, make_client: Callable[..., IntacctClient], kind: str
) -> None:
    clean_sandbox.fault(kind, count=10, function="getAPISession")
    client = make_client(clean_sandbox, max_retries=2)
    with pytest.raises(IntacctError) as caught:
        client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    error = caught.value
    assert type(error) is IntacctTransportError, (type(error), str(error))
    assert client.call_counts["getAPISession"] == 3  # the whole retry budget
    assert client.login_count == 0
    if kind == "acknowledgement_only":
        assert "incomplete answer to getAPISession" in str(error)
    (left,) = clean_sandbox.control("GET", "faults")
    assert left["remaining"] == 7
