"""Unit tests: every response shape of docs/protocol.md §3, parsed and classified (no server)."""

from __future__ import annotations

import pytest
from intacct_client import (
    IntacctAuthenticationError,
    IntacctControlError,
    IntacctObjectNotFoundError,
    IntacctPermissionError,
    IntacctRateLimitError,
    IntacctSessionExpiredError,
    IntacctUnqueryableFieldsError,
)
from intacct_client.classify import interpret
from intacct_client.parsing import ParsedResponse

DECL = '<?xml version="1.0" encoding="UTF-8"?>'
CONTROL_OK = (
    "<control><status>success</status><senderid>S</senderid><controlid>r1</controlid>"
    "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>"
)
AUTH_OK = (
    "<authentication><status>success</status><userid>U</userid><companyid>C</companyid>"
    "<locationid></locationid><sessiontimestamp>2024-03-10T01:00:00-08:00</sessiontimestamp>"
    "<sessiontimeout>2024-03-11T01:00:00-08:00</sessiontimeout></authentication>"
)


def ok_response(*results: str) -> bytes:
    body = "".join(results)
    return f"{DECL}<response>{CONTROL_OK}<operation>{AUTH_OK}{body}</operation></response>".encode()


def result(function: str, controlid: str, inner: str, status: str = "success") -> str:
    return (
        f"<result><status>{status}</status><function>{function}</function>"
        f"<controlid>{controlid}</controlid>{inner}</result>"
    )


def error(errorno: str, d: str = "", d2: str = "", corr: str = "") -> str:
    return (
        f"<error><errorno>{errorno}</errorno><description>{d}</description>"
        f"<description2>{d2}</description2><correction>{corr}</correction></error>"
    )


def parse(
    body: bytes,
    status: int = 200,
    *,
    writes: bool = False,
    session_auth: bool = True,
    content_type: str = 'text/xml; encoding="UTF-8"',
) -> ParsedResponse:
    return interpret(
        http_status=status,
        content_type=content_type,
        body=body,
        writes=writes,
        session_auth=session_auth,
    )


def test_success_with_readbyquery_list_attributes() -> None:
    body = ok_response(
        result(
            "readByQuery",
            "f1",
            '<data listtype="project" count="2" totalcount="35" numremaining="33" '
            'resultId="7765623336W-ne68"><project><RECORDNO>989</RECORDNO>'
            "<PROJECTID>A17</PROJECTID><NAME>Jane&#039;s &amp; Co</NAME><PARENTKEY/></project>"
            "<project><RECORDNO>990</RECORDNO><PROJECTID>A18</PROJECTID><NAME></NAME>"
            "<PARENTKEY></PARENTKEY></project></data>",
        )
    )
    parsed = parse(body)
    assert parsed.authentication is not None
    assert parsed.authentication.sessiontimeout == "2024-03-11T01:00:00-08:00"
    (res,) = parsed.results
    assert res.ok
    assert res.function == "readByQuery"
    assert res.controlid == "f1"
    assert res.list_attributes == {
        "listtype": "project",
        "count": "2",
        "totalcount": "35",
        "numremaining": "33",
        "resultId": "7765623336W-ne68",
    }
    assert res.int_attribute("numremaining") == 33
    assert res.data == [
        {"RECORDNO": "989", "PROJECTID": "A17", "NAME": "Jane's & Co", "PARENTKEY": None},
        {"RECORDNO": "990", "PROJECTID": "A18", "NAME": None, "PARENTKEY": None},
    ]


def test_query_page_attributes_and_empty_data() -> None:
    body = ok_response(
        result(
            "query",
            "q1",
            '<data listtype="VENDOR" totalcount="18" offset="0" count="1" numremaining="17">'
            "<VENDOR><RECORDNO>1010</RECORDNO><PAYTOCONTACT.CONTACTNAME>Ackman, Alice"
            "</PAYTOCONTACT.CONTACTNAME><TOTALDUE>3797.5</TOTALDUE></VENDOR></data>",
        ),
        result(
            "query",
            "q2",
            '<data listtype="SODOCUMENTPARAMS" totalcount="0" offset="0" count="0" '
            'numremaining="0"/>',
        ),
    )
    first, second = parse(body).results
    assert first.data == [
        {"RECORDNO": "1010", "PAYTOCONTACT.CONTACTNAME": "Ackman, Alice", "TOTALDUE": "3797.5"}
    ]
    assert first.list_attributes["offset"] == "0"
    assert second.data == []
    assert second.int_attribute("totalcount") == 0


def test_create_echo_key_legacy_listtype_and_delete_without_data() -> None:
    body = ok_response(
        result(
            "create",
            "c1",
            '<data listtype="objects" count="2"><vendor><RECORDNO>760</RECORDNO>'
            "<VENDORID>FOOBAR</VENDORID></vendor><location><RECORDNO>5</RECORDNO>"
            "<LOCATIONID>L1</LOCATIONID></location></data>",
        ),
        result("create_class", "c2", "<key>C1234</key>"),
        result(
            "get_list",
            "c3",
            '<listtype start="0" end="1" total="2">class</listtype><data><class><key>1</key>'
            "<name>A</name></class><class><key>2</key><name>B</name></class></data>",
        ),
        result("delete", "c4", ""),
    )
    create, legacy, get_list, delete = parse(body, writes=True).results
    assert create.data == [
        {"RECORDNO": "760", "VENDORID": "FOOBAR"},
        {"RECORDNO": "5", "LOCATIONID": "L1"},
    ]
    assert legacy.key == "C1234"
    assert legacy.data == []
    assert get_list.list_attributes == {"listtype": "class", "start": "0", "end": "1", "total": "2"}
    assert [r["name"] for r in get_list.data] == ["A", "B"]
    assert delete.ok
    assert delete.data == []
    assert delete.key is None


def test_nested_lines_in_read_output() -> None:
    body = ok_response(
        result(
            "read",
            "r1",
            '<data listtype="SODOCUMENT" count="1"><SODOCUMENT><RECORDNO>1</RECORDNO>'
            "<SODOCUMENTENTRIES><sodocumententry><LINE_NO>0</LINE_NO></sodocumententry>"
            "<sodocumententry><LINE_NO>1</LINE_NO></sodocumententry></SODOCUMENTENTRIES>"
            "<ONE><line><X>1</X></line></ONE></SODOCUMENT></data>",
        )
    )
    (res,) = parse(body).results
    record = res.data[0]
    assert record["RECORDNO"] == "1"
    assert record["SODOCUMENTENTRIES"]["sodocumententry"] == [{"LINE_NO": "0"}, {"LINE_NO": "1"}]
    assert record["ONE"] == {"line": {"X": "1"}}


def test_getapisession_data_api() -> None:
    body = ok_response(
        result(
            "getAPISession",
            "g",
            "<data><api><sessionid>4dfZ..</sessionid>"
            "<endpoint>https://na12.intacct.com/ia/xml/xmlgw.phtml</endpoint>"
            "<locationid>E1</locationid></api></data>",
        )
    )
    (res,) = parse(body, session_auth=False).results
    assert res.list_attributes == {}
    assert res.data == [
        {
            "sessionid": "4dfZ..",
            "endpoint": "https://na12.intacct.com/ia/xml/xmlgw.phtml",
            "locationid": "E1",
        }
    ]


def test_lookup_inspect_and_user_formatting_shapes() -> None:
    body = ok_response(
        result(
            "lookup",
            "l",
            '<data listtype="All" count="1"><Type Name="GLBATCH" DocumentType=""><Fields>'
            "<Field><ID>RECORDNO</ID><LABEL>Record number</LABEL><DESCRIPTION>x</DESCRIPTION>"
            "<REQUIRED>false</REQUIRED><READONLY>true</READONLY><DATATYPE>INTEGER</DATATYPE>"
            "<ISCUSTOM>false</ISCUSTOM></Field><Field><ID>STATE</ID><LABEL>State</LABEL>"
            "<DESCRIPTION></DESCRIPTION><REQUIRED>true</REQUIRED><READONLY>false</READONLY>"
            "<DATATYPE>TEXT</DATATYPE><VALIDVALUES><VALIDVALUE>Draft</VALIDVALUE>"
            "<VALIDVALUE>Posted</VALIDVALUE></VALIDVALUES><ISCUSTOM>false</ISCUSTOM></Field>"
            "</Fields><Relationships><Relationship><OBJECTPATH>JOURNAL</OBJECTPATH>"
            "<OBJECTNAME>GLJOURNAL</OBJECTNAME><LABEL></LABEL>"
            "<RELATIONSHIPTYPE>MANY2ONE</RELATIONSHIPTYPE><RELATEDBY>JOURNAL</RELATEDBY>"
            "</Relationship></Relationships></Type></data>",
        ),
        result(
            "inspect",
            "i",
            '<data listtype="All" count="1"><type typename="APBILL">AP Bill</type>'
            '<type typename="VENDOR">Vendor</type></data>',
        ),
        result(
            "readUserFormatting",
            "u",
            '<data listtype="userformatting" count="1"><userformatting>'
            "<recordno>7</recordno><locale>en_US</locale><dateformat>.ymd</dateformat>"
            "<gmtoffset>+09:30</gmtoffset><clock>12</clock></userformatting></data>",
        ),
    )
    lookup, inspect, formatting = parse(body).results
    fields = lookup.data[0]["Fields"]["Field"]
    assert [f["ID"] for f in fields] == ["RECORDNO", "STATE"]
    assert fields[1]["VALIDVALUES"]["VALIDVALUE"] == ["Draft", "Posted"]
    assert lookup.element is not None
    assert lookup.element.find("Type").get("Name") == "GLBATCH"  # type: ignore[union-attr]
    assert inspect.element is not None
    assert [t.get("typename") for t in inspect.element.iter("type")] == ["APBILL", "VENDOR"]
    assert formatting.data[0]["gmtoffset"] == "+09:30"
    assert formatting.data[0]["dateformat"] == ".ymd"


def test_function_failure_with_multiple_errors_reports_first_specific() -> None:
    body = ok_response(
        result(
            "create",
            "dup",
            '<data listtype="objects" count="0"/><errormessage>'
            + error(
                "BL01001973",
                "Duplicate account number",
                "The account number &#039;5000.11&#039; already exists [Support ID: Es%7E]",
                "Enter unique account number",
            )
            + error("BL01001973", "", "Could not create GL Account record.")
            + "</errormessage>",
            status="failure",
        ),
        result(
            "create",
            "ref",
            "<errormessage>"
            + error("BL01001973", "", "Invalid Project '10064' specified. [Support ID: x]")
            + error("BL01001973", "", "Could not create cctransaction record!")
            + error(
                "BL01001973",
                "",
                "Currently, we can't create the transaction",
                "Check the transaction for errors or inconsistencies, then try again.",
            )
            + "</errormessage>",
            status="failure",
        ),
        result(
            "create",
            "okay",
            '<data listtype="objects" count="1"><class><RECORDNO>5'
            "</RECORDNO><CLASSID>UT01</CLASSID></class></data>",
        ),
    )
    dup, ref, okay = parse(body, writes=True).results
    assert not dup.ok
    assert len(dup.errors) == 2
    assert dup.errors[0].correction == "Enter unique account number"
    assert dup.first_error is not None
    assert dup.first_error.description2.startswith("The account number '5000.11'")
    assert ref.first_error is not None
    assert ref.first_error.description2.startswith("Invalid Project")
    assert okay.ok
    assert okay.data == [{"RECORDNO": "5", "CLASSID": "UT01"}]
    with pytest.raises(Exception, match=r"5000\.11") as info:
        dup.raise_for_status()
    assert "correction: Enter unique account number" in str(info.value)
    assert "Could not create" not in str(info.value)


def test_transaction_failure_and_aborted_results() -> None:
    rollback = error(
        "XL03000009",
        "",
        "The entire transaction in this operation has been rolled back due to an error.",
    )
    body = ok_response(
        result("create", "a", f"<errormessage>{rollback}</errormessage>", status="aborted"),
        result(
            "create",
            "b",
            "<errormessage>"
            + error(
                "BL34000061",
                "",
                "Another Class with the given value(s) UT01  already exists",
                "Use a unique value instead.",
            )
            + rollback
            + "</errormessage>",
            status="failure",
        ),
    )
    aborted, failed = parse(body, writes=True).results
    assert aborted.status == "aborted"
    assert aborted.first_error is not None
    assert aborted.first_error.errorno == "XL03000009"  # nothing more specific
    assert failed.status == "failure"
    assert failed.first_error is not None
    assert failed.first_error.errorno == "BL34000061"


def test_function_error_subclasses() -> None:
    body = ok_response(
        result(
            "query",
            "p",
            "<errormessage>"
            + error(
                "PL04000005",
                "",
                "You do not have permission for API operation READ_BY_QUERY on "
                "objects of type arinvoice [Support ID: x]",
            )
            + "</errormessage>",
            status="failure",
        ),
        result(
            "query",
            "u",
            "<errormessage>"
            + error(
                "XL03000006",
                "",
                "The following fields cannot be queried: [\n        apbill: "
                "[PAYTOCONTACTNAME, RETURNTOCONTACTNAME] ] [Support ID: abc]",
            )
            + "</errormessage>",
            status="failure",
        ),
        result(
            "query",
            "n",
            "<errormessage>"
            + error(
                "XL03000009",
                "There was an error processing the function",
                "Object definition SODOCUMENTPARAMS not found",
            )
            + "</errormessage>",
            status="failure",
        ),
        result(
            "readByQuery",
            "q",
            "<errormessage>"
            + error("Query Failed", "", "Object definition VENDOR9 not found")
            + "</errormessage>",
            status="failure",
        ),
    )
    perm, unq, missing, missing_legacy = parse(body).results
    with pytest.raises(IntacctPermissionError):
        perm.raise_for_status()
    with pytest.raises(IntacctUnqueryableFieldsError) as info:
        unq.raise_for_status()
    assert info.value.fields == ("PAYTOCONTACTNAME", "RETURNTOCONTACTNAME")
    with pytest.raises(IntacctObjectNotFoundError):
        missing.raise_for_status()
    with pytest.raises(IntacctObjectNotFoundError) as info2:
        missing_legacy.raise_for_status()
    assert info2.value.level == "function"
    assert info2.value.function == "readByQuery"


def test_control_failure_bad_sender() -> None:
    body = (
        f"{DECL}<response><control><status>failure</status><senderid>S</senderid>"
        "<controlid>1559435393</controlid><uniqueid>false</uniqueid><dtdversion>3.0"
        "</dtdversion></control><errormessage>"
        + error("XL03000006", "", "Incorrect Intacct XML Partner ID or password.")
        + "</errormessage></response>"
    ).encode()
    with pytest.raises(IntacctControlError) as info:
        parse(body)
    assert not info.value.retryable
    assert info.value.level == "control"
    assert info.value.errors[0].errorno == "XL03000006"
    assert "XL03000006" in str(info.value)


def test_control_failure_schema_error_with_several_errors() -> None:
    body = (
        f"{DECL}<response><control><status>failure</status><senderid>S</senderid>"
        "<controlid>x</controlid></control><errormessage>"
        + error(
            "XL03000003",
            "",
            "XML Parse schema error: Fatal Error 76: Opening and ending tag mismatch",
        )
        + error("XL03000003", "", "second")
        + "</errormessage></response>"
    ).encode()
    with pytest.raises(IntacctControlError) as info:
        parse(body)
    assert [e.description2 for e in info.value.errors][1] == "second"


def test_gateway_level_failures_non_200() -> None:
    def gateway(errorno: str, description: str) -> bytes:
        return (
            f"{DECL}<response><control><status>failure</status></control><errormessage>"
            f"<error><errorno>{errorno}</errorno><description>{description}</description>"
            "</error></errormessage></response>"
        ).encode()

    with pytest.raises(IntacctAuthenticationError) as auth:
        parse(gateway("GW-0011", "Invalid Request [Request ID: AC47]"), 400)
    assert not auth.value.retryable
    assert auth.value.errors[0].description.startswith("Invalid Request")
    with pytest.raises(IntacctAuthenticationError):
        parse(gateway("XMLGW_JPP0002", "Sign-in information is incorrect."), 401)
    with pytest.raises(IntacctRateLimitError) as rate:
        parse(gateway("GW-0010", "Rate limit exceeded: too many concurrent requests"), 429)
    assert rate.value.retryable
    assert rate.value.http_status == 429


def test_authentication_failure_and_invalid_session() -> None:
    def auth_failure(userid: str, d2: str) -> bytes:
        return (
            f"{DECL}<response>{CONTROL_OK}<operation><authentication><status>failure</status>"
            f"<userid>{userid}</userid><companyid>{userid and 'C'}</companyid>"
            "</authentication><errormessage>"
            + error("XL03000006", "", d2)
            + "</errormessage></operation></response>"
        ).encode()

    with pytest.raises(IntacctAuthenticationError) as bad:
        parse(auth_failure("xml_gateway", "Sign-in information is incorrect"), session_auth=False)
    assert not isinstance(bad.value, IntacctSessionExpiredError)
    assert bad.value.level == "authentication"
    with pytest.raises(IntacctSessionExpiredError):
        parse(auth_failure("", "Invalid session. Please log in again."))
    # The same answer to a login (not a session) is a plain authentication failure.
    with pytest.raises(IntacctAuthenticationError) as login:
        parse(auth_failure("", "Invalid session"), session_auth=False)
    assert not isinstance(login.value, IntacctSessionExpiredError)


def test_asynchronous_acknowledgement_shape() -> None:
    body = (
        f"{DECL}<response><acknowledgement><status>success</status></acknowledgement>"
        f"{CONTROL_OK}</response>"
    ).encode()
    parsed = parse(body)
    assert parsed.acknowledgement == "success"
    assert parsed.results == []


def test_whitespace_in_pretty_printed_responses_is_ignored() -> None:
    body = (
        f"{DECL}\n<response>\n  {CONTROL_OK}\n  <operation>\n    {AUTH_OK}\n"
        "    <result>\n      <status>success</status>\n      <function>read</function>\n"
        '      <controlid>r</controlid>\n      <data listtype="CLASS" count="1">\n'
        "        <CLASS>\n          <CLASSID>C1</CLASSID>\n        </CLASS>\n      </data>\n"
        "    </result>\n  </operation>\n</response>\n"
    ).encode()
    (res,) = parse(body).results
    assert res.status == "success"
    assert res.controlid == "r"
    assert res.data == [{"CLASSID": "C1"}]
