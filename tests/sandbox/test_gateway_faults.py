"""Fault injection through POST /_sandbox/faults: every kind, matching and consumption."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from defusedxml import ElementTree as SafeET


def _vendor_ids(box: Any) -> set[str]:
    return {str(row["VENDORID"]) for row in box.records("VENDOR")}


QUERY_VENDOR = "<query><object>VENDOR</object><select><field>VENDORID</field></select></query>"
QUERY_CUSTOMER = (
    "<query><object>CUSTOMER</object><select><field>CUSTOMERID</field></select></query>"
)


@pytest.mark.parametrize(
    ("kind", "status"),
    [("http_429", 429), ("concurrency_limit", 429)],
)
def test_rate_limit_faults_are_gateway_xml(
    clean_gw: Any, kit: Any, clean_sandbox: Any, kind: str, status: int
) -> None:
    clean_sandbox.fault(kind)
    reply = clean_gw.post(kit.envelope(QUERY_VENDOR))
    assert reply.status == status
    assert kit.children(reply.root) == ["control", "errormessage"]
    assert kit.children(reply.root.find("control")) == ["status"]
    assert kit.text_of(reply.root, "errormessage/error/errorno") == "GW-0010"
    assert "[Request ID: " in kit.text_of(reply.root, "errormessage/error/description")
    assert kit.text_of(clean_gw.post(kit.envelope(QUERY_VENDOR)).root, "control/status") == (
        "success"
    )


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error_faults_are_html_and_execute_nothing(
    clean_gw: Any, kit: Any, clean_sandbox: Any, status: int
) -> None:
    clean_sandbox.fault(f"http_{status}")
    vendor_id = kit.unique_id("H")
    response = clean_gw.post_raw(kit.envelope(kit.vendor_create(vendor_id)))
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    assert vendor_id not in _vendor_ids(clean_sandbox)


def test_524_is_cloudflare_page_after_the_work_was_done(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    clean_sandbox.fault("http_524")
    vendor_id = kit.unique_id("CF")
    response = clean_gw.post_raw(kit.envelope(kit.vendor_create(vendor_id)))
    assert response.status_code == 524
    assert response.headers["Content-Type"].startswith("text/html")
    assert "cf-error-details" in response.text
    assert vendor_id in _vendor_ids(clean_sandbox)


def test_html_error_page_with_200(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    clean_sandbox.fault("html_error_page")
    response = clean_gw.post_raw(kit.envelope(QUERY_VENDOR))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text.lstrip().startswith("<!DOCTYPE html>")


def test_malformed_xml_is_truncated(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    clean_sandbox.fault("malformed_xml")
    response = clean_gw.post_raw(kit.envelope(QUERY_VENDOR))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == kit.XML_CONTENT_TYPE
    assert response.content.startswith(b"<?xml")
    with pytest.raises(SafeET.ParseError):
        SafeET.fromstring(response.content)


def test_slow(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    clean_sandbox.fault("slow", delay_s=1.0)
    started = time.monotonic()
    reply = clean_gw.post(kit.envelope(QUERY_VENDOR))
    assert time.monotonic() - started >= 1.0
    assert kit.text_of(reply.results()[0], "status") == "success"


def test_drop_connection_executes_nothing(kit: Any, clean_sandbox: Any) -> None:
    clean_sandbox.fault("drop_connection")
    vendor_id = kit.unique_id("DC")
    with pytest.raises(requests.ConnectionError):
        kit.Gateway(clean_sandbox.api_url).post_raw(kit.envelope(kit.vendor_create(vendor_id)))
    assert vendor_id not in _vendor_ids(clean_sandbox)


def test_commit_then_drop_then_uniqueid_retry(kit: Any, clean_sandbox: Any) -> None:
    clean_sandbox.fault("commit_then_drop", function="create")
    vendor_id, controlid = kit.unique_id("CD"), kit.unique_id("ctl-")
    body = kit.envelope(
        f'<function controlid="{controlid}">{kit.vendor_create(vendor_id)}</function>',
        control=kit.control_xml(uniqueid="true"),
    )
    with pytest.raises(requests.ConnectionError):
        kit.Gateway(clean_sandbox.api_url).post_raw(body)
    assert vendor_id in _vendor_ids(clean_sandbox)
    retry = kit.Gateway(clean_sandbox.api_url).post(body).results()[0]
    assert kit.text_of(retry, "status") == "failure"
    assert kit.text_of(retry, "errormessage/error/errorno") == "XL03000013"
    assert [r["VENDORID"] for r in clean_sandbox.records("VENDOR")].count(vendor_id) == 1


def test_session_expired_once(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    session_id = clean_gw.session()
    clean_sandbox.fault("session_expired")
    body = kit.envelope(QUERY_VENDOR, auth=kit.session_xml(session_id))
    first = clean_gw.post(body)
    auth = first.root.find("operation/authentication")
    assert kit.text_of(auth, "status") == "failure"
    assert kit.text_of(auth, "userid") == ""
    assert kit.text_of(first.root, "operation/errormessage/error/description2").startswith(
        "Invalid session"
    )
    second = clean_gw.post(body)
    assert kit.text_of(second.root, "operation/authentication/status") == "success"


def test_matching_on_function_and_object_and_count(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    clean_sandbox.fault("http_503", count=2, function="query", obj="CUSTOMER")
    assert clean_gw.post_raw(kit.envelope("<getAPISession/>")).status_code == 200
    assert clean_gw.post_raw(kit.envelope(QUERY_VENDOR)).status_code == 200
    assert clean_gw.post_raw(kit.envelope(QUERY_CUSTOMER)).status_code == 503
    assert clean_gw.post_raw(kit.envelope(QUERY_CUSTOMER)).status_code == 503
    assert clean_gw.post_raw(kit.envelope(QUERY_CUSTOMER)).status_code == 200
    assert clean_sandbox.control("GET", "faults") == []


def test_object_match_on_create_children(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    clean_sandbox.fault("http_500", obj="VENDOR")
    assert clean_gw.post_raw(kit.envelope("<getAPISession/>")).status_code == 200
    response = clean_gw.post_raw(kit.envelope(kit.vendor_create(kit.unique_id("OM"))))
    assert response.status_code == 500


def test_unknown_fault_kind_is_rejected(clean_sandbox: Any) -> None:
    with pytest.raises(Exception, match="400"):
        clean_sandbox.fault("meteor_strike")
