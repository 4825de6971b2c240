"""Writes over real HTTP against a demo-seeded sandbox (raw XML envelopes, no client).

Uses the `clean_gw`/`kit` helpers of tests/sandbox/conftest.py and the control API
(`records`) to look at what was stored.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

TRICKY_NAME = 'O\'Brien & "Søn" <Zürich> Łódź'


def _function(controlid: str, inner: str) -> str:
    return f'<function controlid="{controlid}">{inner}</function>'


def _je(title: str, debit: str, credit: str, project: str = "P-0001") -> str:
    return (
        "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>05/15/2024</BATCH_DATE>"
        f"<BATCH_TITLE>{escape(title)}</BATCH_TITLE><REFERENCENO>{escape(title)}</REFERENCENO>"
        "<ENTRIES>"
        "<GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE>"
        f"<TRX_AMOUNT>{debit}</TRX_AMOUNT><DESCRIPTION>memo</DESCRIPTION>"
        f"<LOCATION>L110</LOCATION><DEPARTMENT>D200</DEPARTMENT><PROJECTID>{project}</PROJECTID>"
        "</GLENTRY>"
        "<GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE>"
        f"<TRX_AMOUNT>{credit}</TRX_AMOUNT></GLENTRY>"
        "</ENTRIES></GLBATCH></create>"
    )


def _status(kit: Any, result: Any) -> str:
    return kit.text_of(result, "status")


def test_create_several_objects_echo_and_store(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    vendor_id, class_id = kit.unique_id("V"), kit.unique_id("C")
    inner = (
        f"<create><VENDOR><VENDORID>{vendor_id}</VENDORID><NAME>{escape(TRICKY_NAME)}</NAME>"
        "<DISPLAYCONTACT><PRINTAS>Print</PRINTAS><EMAIL1>x@y.example</EMAIL1></DISPLAYCONTACT>"
        f"</VENDOR><CLASS><CLASSID>{class_id}</CLASSID><NAME>n</NAME></CLASS></create>"
    )
    reply = clean_gw.post(kit.envelope(inner))
    result = reply.results()[0]
    assert _status(kit, result) == "success", reply.raw
    assert kit.children(result) == ["status", "function", "controlid", "data"]
    data = result.find("data")
    assert data.attrib == {"listtype": "objects", "count": "2"}
    assert kit.children(data) == ["vendor", "class"]
    assert kit.children(data[0]) == ["RECORDNO", "VENDORID"]
    assert data[0].findtext("VENDORID") == vendor_id
    stored = [r for r in clean_sandbox.records("VENDOR") if r["VENDORID"] == vendor_id]
    assert len(stored) == 1
    assert str(stored[0]["RECORDNO"]) == data[0].findtext("RECORDNO")
    assert stored[0]["NAME"] == TRICKY_NAME
    assert stored[0]["DISPLAYCONTACT.EMAIL1"] == "x@y.example"


def test_tricky_names_round_trip_through_read(clean_gw: Any, kit: Any) -> None:
    vendor_id = kit.unique_id("V")
    reply = clean_gw.post(
        kit.envelope(
            f"<create><VENDOR><VENDORID>{vendor_id}</VENDORID>"
            f"<NAME>{escape(TRICKY_NAME)}</NAME></VENDOR></create>"
        )
    )
    recordno = reply.results()[0].findtext("data/vendor/RECORDNO")
    read = clean_gw.post(
        kit.envelope(
            f"<read><object>VENDOR</object><keys>{recordno}</keys><fields>*</fields></read>"
        )
    )
    assert read.results()[0].findtext("data/VENDOR/NAME") == TRICKY_NAME


def test_duplicate_chain_over_http(clean_gw: Any, kit: Any) -> None:
    reply = clean_gw.post(kit.envelope(kit.vendor_create("V00001")))
    result = reply.results()[0]
    assert _status(kit, result) == "failure"
    errors = result.findall("errormessage/error")
    assert [kit.children(e) for e in errors] == [
        ["errorno", "description", "description2", "correction"]
    ] * 2
    assert [e.findtext("errorno") for e in errors] == ["BL34000061", "BL01001973"]
    assert errors[0].findtext("description2") == (
        "Another Vendor with the given value(s) V00001  already exists"
    )
    assert errors[1].findtext("description2") == "Could not create Vendor record!"


def test_posted_glbatch_reaches_gldetail_and_audit(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    title = kit.unique_id("JE")
    reply = clean_gw.post(kit.envelope(_je(title, "42.42", "42.42")))
    result = reply.results()[0]
    assert _status(kit, result) == "success", reply.raw
    recordno = int(result.findtext("data/glbatch/RECORDNO"))
    lines = [r for r in clean_sandbox.records("GLENTRY") if r["BATCHNO"] == recordno]
    assert [(r["TR_TYPE"], r["TRX_AMOUNT"]) for r in lines] == [(1, "42.42"), (-1, "42.42")]
    detail = [
        r
        for r in clean_sandbox.records("GLDETAIL")
        if r["BATCHKEY"] == recordno and r["MODULEKEY"] == "2.GL" and r["BOOKID"] == "ACCRUAL"
    ]
    assert sum(Decimal(r["DEBITAMOUNT"]) for r in detail) == Decimal("42.42")
    assert {r["PROJECTID"] for r in detail} == {"P-0001", None}
    audit = [
        r
        for r in clean_sandbox.records("AUDITHISTORY")
        if r["OBJECTTYPE"] == "glbatch" and r["OBJECTKEY"] == str(recordno)
    ]
    assert [(a["ACCESSMODE"], a["SOURCE"], a["USERID"]) for a in audit] == [
        ("C", "api", "sandbox_user")
    ]


def test_unbalanced_and_invalid_reference_rejected(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    before = len(clean_sandbox.records("GLBATCH"))
    reply = clean_gw.post(
        kit.envelope([_je("unbalanced", "10", "9.99"), _je("badref", "1", "1", project="NOPE")])
    )
    unbalanced, badref = reply.results()
    assert _status(kit, unbalanced) == "failure"
    assert "not balanced" in unbalanced.findtext("errormessage/error/description2")
    errors = badref.findall("errormessage/error")
    assert errors[0].findtext("description2").startswith("Invalid Project 'NOPE' specified.")
    assert errors[1].findtext("description2") == "Could not create Journal Entry record!"
    assert len(clean_sandbox.records("GLBATCH")) == before


def test_update_and_delete_over_http(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    class_id = kit.unique_id("C")
    created = clean_gw.post(
        kit.envelope(f"<create><CLASS><CLASSID>{class_id}</CLASSID><NAME>a</NAME></CLASS></create>")
    )
    recordno = created.results()[0].findtext("data/class/RECORDNO")
    updated = clean_gw.post(
        kit.envelope(f"<update><CLASS><CLASSID>{class_id}</CLASSID><NAME>b</NAME></CLASS></update>")
    )
    assert updated.results()[0].findtext("data/class/RECORDNO") == recordno
    deleted = clean_gw.post(
        kit.envelope(f"<delete><object>CLASS</object><keys>{recordno}</keys></delete>")
    )
    result = deleted.results()[0]
    assert kit.children(result) == ["status", "function", "controlid"]
    assert _status(kit, result) == "success"
    assert not [r for r in clean_sandbox.records("CLASS") if r["CLASSID"] == class_id]
    modes = [
        r["ACCESSMODE"]
        for r in clean_sandbox.records("AUDITHISTORY")
        if r["OBJECTTYPE"] == "class" and r["OBJECTKEY"] == recordno
    ]
    assert modes == ["C", "M", "D"]


def test_transaction_rollback_leaves_nothing(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    class_id = kit.unique_id("C")
    before_batches = len(clean_sandbox.records("GLBATCH"))
    before_detail = len(clean_sandbox.records("GLDETAIL"))
    reply = clean_gw.post(
        kit.envelope(
            [
                f"<create><CLASS><CLASSID>{class_id}</CLASSID><NAME>a</NAME></CLASS></create>",
                _je("ok", "5", "5"),
                _je("bad", "5", "4"),
            ],
            transaction=True,
        )
    )
    assert [_status(kit, r) for r in reply.results()] == ["aborted", "aborted", "failure"]
    assert not [r for r in clean_sandbox.records("CLASS") if r["CLASSID"] == class_id]
    assert len(clean_sandbox.records("GLBATCH")) == before_batches
    assert len(clean_sandbox.records("GLDETAIL")) == before_detail


def test_uniqueid_repeat_does_not_create_twice(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    vendor_id = kit.unique_id("U")
    controlid = f"create-{vendor_id}"
    body = kit.envelope(
        _function(controlid, kit.vendor_create(vendor_id)),
        control=kit.control_xml(uniqueid="true"),
    )
    first = clean_gw.post(body).results()[0]
    second = clean_gw.post(body).results()[0]
    assert _status(kit, first) == "success"
    assert _status(kit, second) == "failure"
    assert second.findtext("errormessage/error/errorno") == "XL03000013"
    assert len([r for r in clean_sandbox.records("VENDOR") if r["VENDORID"] == vendor_id]) == 1


def test_create_invoice_key_over_http(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    invoice = (
        "<create_invoice><customerid>C00001</customerid>"
        "<datecreated><year>2024</year><month>2</month><day>29</day></datecreated>"
        "<termname>Net 30</termname><invoiceno>INV-HTTP</invoiceno>"
        "<invoiceitems><lineitem><glaccountno>4000</glaccountno><amount>12.345</amount>"
        "<memo>Ümlaut &amp; co</memo></lineitem></invoiceitems></create_invoice>"
    )
    result = clean_gw.post(kit.envelope(invoice)).results()[0]
    assert _status(kit, result) == "success"
    assert kit.children(result) == ["status", "function", "controlid", "key"]
    key = int(result.findtext("key"))
    stored = next(r for r in clean_sandbox.records("ARINVOICE") if r["RECORDNO"] == key)
    assert (stored["RECORDID"], stored["TOTALENTERED"]) == ("INV-HTTP", "12.35")
    term_object = "ARTERM" if "ARTERM" in clean_sandbox.stats()["records"] else "APTERM"
    term = next(t for t in clean_sandbox.records(term_object) if t["NAME"] == "Net 30")
    if str(term.get("DUEFROM") or "").startswith("from"):
        expected = date(2024, 2, 29) + timedelta(days=int(term["DUEDAYS"]))
        assert stored["WHENDUE"] == expected.isoformat()
    items = [r for r in clean_sandbox.records("ARINVOICEITEM") if r["RECORDKEY"] == key]
    assert [i["ENTRYDESCRIPTION"] for i in items] == ["Ümlaut & co"]


def test_readonly_user_write_denied(clean_gw: Any, kit: Any) -> None:
    reply = clean_gw.post(
        kit.envelope(
            kit.vendor_create(kit.unique_id("R")),
            auth=kit.login_xml(user_id="readonly_user", password="readonly-user-pass"),
        )
    )
    error = reply.results()[0].find("errormessage/error")
    assert error.findtext("errorno") == "PL04000005"
    assert "API operation CREATE on objects of type vendor" in error.findtext("description2")


def test_stamps_follow_the_frozen_clock_and_render_in_company_zone(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    clean_sandbox.freeze_clock("2024-07-01T12:00:00+00:00")
    vendor_id = kit.unique_id("Z")
    clean_gw.post(kit.envelope(kit.vendor_create(vendor_id)))
    stored = next(r for r in clean_sandbox.records("VENDOR") if r["VENDORID"] == vendor_id)
    assert stored["WHENCREATED"] == stored["WHENMODIFIED"] == "2024-07-01T12:00:00Z"
    query = (
        "<query><object>VENDOR</object><select><field>VENDORID</field>"
        "<field>WHENMODIFIED</field><field>CREATEDBY</field></select>"
        f"<filter><equalto><field>VENDORID</field><value>{vendor_id}</value></equalto></filter>"
        "</query>"
    )
    row = clean_gw.post(kit.envelope(query)).results()[0].find("data/VENDOR")
    # The user's preference is a fixed offset (-08:00 all year, variant user_timezone=offset).
    assert row.findtext("WHENMODIFIED") == "07/01/2024 04:00:00"
    assert row.findtext("CREATEDBY") == "1"
    audit = [
        r
        for r in clean_sandbox.records("AUDITHISTORY")
        if r["OBJECTTYPE"] == "vendor" and r["OBJECTKEY"] == str(stored["RECORDNO"])
    ]
    assert [a["ACCESSTIME"] for a in audit] == ["2024-07-01T12:00:00Z"]


def test_vendor_full_display_contact_round_trip(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    vendor_id = kit.unique_id("A")
    reply = clean_gw.post(
        kit.envelope(
            f"<create><VENDOR><VENDORID>{vendor_id}</VENDORID><NAME>Addr Co</NAME>"
            "<DISPLAYCONTACT><PRINTAS>Addr Co</PRINTAS><FIRSTNAME>Siobhán</FIRSTNAME>"
            "<LASTNAME>Ó Briain</LASTNAME><EMAIL1>s@a.example</EMAIL1><PHONE1>1</PHONE1>"
            "<MAILADDRESS><ADDRESS1>1 Main St</ADDRESS1><ADDRESS2>Unit 2</ADDRESS2>"
            "<CITY>Cork</CITY><STATE>CO</STATE><ZIP>T12</ZIP><COUNTRY>Ireland</COUNTRY>"
            "</MAILADDRESS></DISPLAYCONTACT></VENDOR></create>"
        )
    )
    assert kit.text_of(reply.results()[0], "status") == "success", reply.raw
    stored = next(r for r in clean_sandbox.records("VENDOR") if r["VENDORID"] == vendor_id)
    assert stored["DISPLAYCONTACT.FIRSTNAME"] == "Siobhán"
    assert stored["DISPLAYCONTACT.MAILADDRESS.ADDRESS1"] == "1 Main St"
    assert stored["DISPLAYCONTACT.MAILADDRESS.ZIP"] == "T12"


def test_legacy_get_list_shape_over_http(clean_gw: Any, kit: Any) -> None:
    reply = clean_gw.post(kit.envelope('<get_list object="class" maxitems="2"/>'))
    result = reply.results()[0]
    assert kit.children(result) == ["status", "function", "controlid", "listtype", "data"]
    assert result.find("listtype").attrib["start"] == "0"
    assert result.find("listtype").attrib["end"] == "1"
    assert kit.children(result.find("data")) == ["class", "class"]
    assert kit.children(result.find("data")[0])[0] == "key"


def test_failed_function_leaves_no_partial_rows(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    counts_before = clean_sandbox.stats()["records"]
    class_id = kit.unique_id("C")
    inner = (
        f"<create><CLASS><CLASSID>{class_id}</CLASSID><NAME>first</NAME></CLASS>"
        "<APBILL><VENDORID>V00001</VENDORID><WHENCREATED>05/01/2024</WHENCREATED>"
        "<WHENDUE>05/31/2024</WHENDUE><APBILLITEMS><APBILLITEM><ACCOUNTNO>6000</ACCOUNTNO>"
        "<TRX_AMOUNT>5</TRX_AMOUNT></APBILLITEM><APBILLITEM><ACCOUNTNO>6000</ACCOUNTNO>"
        "<TRX_AMOUNT>5</TRX_AMOUNT><DEPARTMENTID>NOPE</DEPARTMENTID></APBILLITEM>"
        "</APBILLITEMS></APBILL></create>"
    )
    result = clean_gw.post(kit.envelope(inner, transaction=False)).results()[0]
    assert kit.text_of(result, "status") == "failure"
    assert result.find("data").attrib == {"listtype": "objects", "count": "0"}
    description2 = result.findtext("errormessage/error/description2")
    assert description2.startswith("Invalid Department 'NOPE' specified.")
    assert clean_sandbox.stats()["records"] == counts_before
