"""Variants `session_fields` and `unknown_fields`: both answers of each, and the client
working under both session_fields answers (real sandbox processes over HTTP)."""

from __future__ import annotations

from typing import Any

import pytest
from intacct_client import ClientConfig, IntacctClient

AUTH = "operation/authentication"


def _client(box: Any, **overrides: Any) -> IntacctClient:
    settings = {"backoff_base": 0.01, "backoff_max": 0.05, "max_retries": 3, **overrides}
    return IntacctClient(ClientConfig.from_mapping(box.config(**settings)))


# ------------------------------------------------------------------ session_fields


@pytest.mark.parametrize("value", ["full", "minimal"])
def test_session_fields_shapes(value: str, sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(variants={"session_fields": value})
    assert box.variants()["session_fields"] == value
    gw = kit.Gateway(box.api_url)
    login = gw.post(kit.envelope("<getAPISession/>"))
    session_id = kit.text_of(login.results()[0], "data/api/sessionid")
    entity = gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(location_id="E100")))
    read = gw.post(
        kit.envelope(
            "<readByQuery><object>CLASS</object><fields>RECORDNO</fields><query></query>"
            "<pagesize>1</pagesize></readByQuery>",
            auth=kit.session_xml(session_id),
        )
    )
    bad_login = gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(password="nope")))
    bad_session = gw.post(kit.envelope("<getAPISession/>", auth=kit.session_xml("forged..")))
    full = value == "full"
    for reply in (login, entity, read):
        auth = reply.root.find(AUTH)
        expected = ["status", "userid", "companyid", "locationid", "sessiontimestamp"]
        if full:
            expected.append("sessiontimeout")
        else:
            expected.remove("locationid")
        assert kit.children(auth) == expected
    for reply in (bad_login, bad_session):
        expected = ["status", "userid", "companyid"] + (["locationid"] if full else [])
        assert kit.children(reply.root.find(AUTH)) == expected
    api = entity.results()[0].find("data/api")
    assert kit.children(api) == ["sessionid", "endpoint"] + (["locationid"] if full else [])
    if full:
        assert kit.text_of(entity.root, f"{AUTH}/locationid") == "E100"
        assert kit.text_of(api, "locationid") == "E100"


@pytest.mark.parametrize("value", ["full", "minimal"])
def test_client_works_under_both_session_fields(value: str, sandbox_factory: Any) -> None:
    box = sandbox_factory(variants={"session_fields": value})
    vendors = {row["VENDORID"] for row in box.records("VENDOR")}
    with _client(box) as client:
        page = client.query("VENDOR", ["RECORDNO", "VENDORID"], page_size=3)
        assert page.count == 3
        assert {row["VENDORID"] for row in page.records} <= vendors
        # an expired session is replaced once, whatever the session fields say
        box.fault("session_expired", count=1, function="query")
        again = client.query("VENDOR", ["RECORDNO", "VENDORID"], page_size=3)
        assert again.records == page.records
        assert client.login_count == 2
    e100 = {r["CLASSID"] for r in box.records("CLASS") if r.get("MEGAENTITYID") in (None, "E100")}
    with _client(box, entity_id="E100") as entity_client:
        classes = entity_client.query("CLASS", ["CLASSID"], page_size=100)
        assert classes.total_count == len(classes.records) > 0
        assert {row["CLASSID"] for row in classes.records} <= e100


# ------------------------------------------------------------------ unknown_fields


def _journal(title: str) -> str:
    """A journal entry whose first line names DEPARTMENTID beside DEPARTMENT (GLENTRY has
    only DEPARTMENT) and whose header names COLOUR, which GLBATCH does not have."""
    return (
        "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>05/15/2024</BATCH_DATE>"
        f"<BATCH_TITLE>{title}</BATCH_TITLE><COLOUR>blue</COLOUR><ENTRIES>"
        "<GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>12.50</TRX_AMOUNT>"
        "<LOCATION>L110</LOCATION><DEPARTMENT>D200</DEPARTMENT><DEPARTMENTID>D200</DEPARTMENTID>"
        "</GLENTRY><GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE>"
        "<TRX_AMOUNT>12.50</TRX_AMOUNT><LOCATION>L110</LOCATION></GLENTRY>"
        "</ENTRIES></GLBATCH></create>"
    )


def test_unknown_fields_are_rejected_by_default(clean_sandbox: Any, kit: Any) -> None:
    assert clean_sandbox.variants()["unknown_fields"] == "reject"
    before = len(clean_sandbox.records("GLBATCH"))
    reply = kit.Gateway(clean_sandbox.api_url).post(kit.envelope(_journal("Rejected")))
    result = reply.results()[0]
    assert kit.text_of(result, "status") == "failure"
    assert "COLOUR" in kit.text_of(result, "errormessage/error/description2")
    assert len(clean_sandbox.records("GLBATCH")) == before


def test_unknown_fields_ignored_under_the_variant(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(variants={"unknown_fields": "ignore"})
    gw = kit.Gateway(box.api_url)
    reply = gw.post(kit.envelope(_journal("Ignored")))
    result = reply.results()[0]
    assert kit.text_of(result, "status") == "success", reply.raw
    recordno = int(kit.text_of(result, "data/glbatch/RECORDNO"))
    [batch] = [b for b in box.records("GLBATCH") if b["RECORDNO"] == recordno]
    assert batch["BATCH_TITLE"] == "Ignored"
    assert "COLOUR" not in batch
    lines = sorted(
        (line for line in box.records("GLENTRY") if line["BATCHNO"] == recordno),
        key=lambda line: line["LINE_NO"],
    )
    assert [line["DEPARTMENT"] for line in lines] == ["D200", None]
    assert all("DEPARTMENTID" not in line for line in lines)
    # a misspelt field on update is dropped too: the record keeps its value
    vendor = box.records("VENDOR")[0]
    update = (
        f"<update><VENDOR><RECORDNO>{vendor['RECORDNO']}</RECORDNO>"
        "<NAMEE>Typo Ltd</NAMEE></VENDOR></update>"
    )
    assert kit.text_of(gw.post(kit.envelope(update)).results()[0], "status") == "success"
    [after] = [v for v in box.records("VENDOR") if v["RECORDNO"] == vendor["RECORDNO"]]
    assert after["NAME"] == vendor["NAME"]
    # values of known fields are still checked under ignore
    bad = _journal("Bad amount").replace(
        "<TRX_AMOUNT>12.50</TRX_AMOUNT>", "<TRX_AMOUNT>x</TRX_AMOUNT>", 1
    )
    failed = gw.post(kit.envelope(bad)).results()[0]
    assert kit.text_of(failed, "status") == "failure"
