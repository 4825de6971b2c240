"""The client reads every captured shape right: parsed values, classification, errors.

Each fixture in fixtures/ is a re-typed copy of a response Intacct's SDKs (or another public
client) keep in their tests; the file's leading comment names the source. These tests run
the client's own reading path (`xmlread.parse_xml`, `parsing`, `classify.interpret`,
`results`) on each one and assert on the values it produces.
"""

from __future__ import annotations

import pytest
from intacct_client import (
    IntacctAuthenticationError,
    IntacctControlError,
    IntacctError,
    IntacctObjectNotFoundError,
    IntacctSessionExpiredError,
    IntacctTransportError,
)
from intacct_client.classify import interpret
from intacct_client.client import IntacctClient
from intacct_client.functions import Function
from intacct_client.parsing import ParsedResponse
from intacct_client.results import FunctionResult, function_error
from intacct_client.session import session_duration
from wire import fixture_bytes

ROLLBACK = "The entire transaction in this operation has been rolled back due to an error."


def read(name: str, *, status: int = 200, session_auth: bool = True) -> ParsedResponse:
    return interpret(
        http_status=status,
        content_type='text/xml; encoding="UTF-8"',
        body=fixture_bytes(name),
        writes=False,
        session_auth=session_auth,
    )


def only_result(name: str) -> FunctionResult:
    parsed = read(name)
    assert len(parsed.results) == 1
    return parsed.results[0]


def matched(name: str, *functions: Function) -> list[FunctionResult]:
    """Results as `IntacctClient.execute` hands them out (matched by controlid)."""
    return IntacctClient._match_results(functions, read(name), unique_id=False)


# ------------------------------------------------------------------ getAPISession


def test_get_api_session_full() -> None:
    parsed = read("get_api_session_full", session_auth=False)
    assert parsed.control_status == "success"
    auth = parsed.authentication
    assert auth is not None
    assert (auth.status, auth.userid, auth.companyid, auth.locationid) == (
        "success",
        "api_user",
        "ACME-CO",
        "",
    )
    assert session_duration(auth) == 3600.0
    result = only_result("get_api_session_full")
    assert (result.status, result.function, result.controlid) == (
        "success",
        "getAPISession",
        "getAPISession",
    )
    assert result.list_attributes == {}
    assert result.data == [
        {
            "sessionid": "Zq3rT0pXw9-session-A..",
            "endpoint": "https://acme.example.intacct.com/ia/xml/xmlgw.phtml",
            "locationid": None,
        }
    ]


@pytest.mark.parametrize("name", ["get_api_session_minimal", "get_api_session_no_timeout"])
def test_get_api_session_without_timeout_has_no_local_expiry(name: str) -> None:
    parsed = read(name, session_auth=False)
    assert parsed.authentication is not None
    assert parsed.authentication.sessiontimeout == ""
    assert session_duration(parsed.authentication) is None  # no local expiry, no crash
    api = only_result(name).data[0]
    assert api["sessionid"].endswith("..")
    assert api["endpoint"] == "https://acme.example.intacct.com/ia/xml/xmlgw.phtml"
    assert api.get("locationid") is None


def test_get_api_session_minimal_has_no_location_elements() -> None:
    parsed = read("get_api_session_minimal", session_auth=False)
    assert parsed.authentication is not None
    assert parsed.authentication.locationid == ""
    assert set(only_result("get_api_session_minimal").data[0]) == {"sessionid", "endpoint"}


def test_get_api_session_entity_is_matched_by_controlid_despite_the_function_name() -> None:
    login = Function("getAPISession", controlid="getAPISession")
    [result] = matched("get_api_session_entity", login)
    assert result.ok
    assert result.function == "getSession"
    assert result.data[0]["locationid"] == "EAST"
    assert read("get_api_session_entity").authentication.locationid == "EAST"  # type: ignore[union-attr]


def test_get_api_session_entity_switch_reports_both_entities() -> None:
    parsed = read("get_api_session_entity_switch")
    assert parsed.authentication is not None
    assert parsed.authentication.locationid == "EAST"
    api = parsed.results[0].data[0]
    assert (api["sessionid"], api["locationid"]) == ("WEST-session-E..", "WEST")


def test_get_api_session_failure_is_a_function_error() -> None:
    result = only_result("get_api_session_failure")
    assert result.status == "failure"
    assert [e.errorno for e in result.errors] == ["Get API Session Failed"]
    assert result.errors[0].description2 == "Invalid location 'NORTH' specified."
    with pytest.raises(IntacctError) as caught:
        result.raise_for_status()
    assert "Get API Session Failed" in str(caught.value)
    assert "NORTH" in str(caught.value)


# ------------------------------------------------------------------ reads and paging


def test_read_by_query_empty_page() -> None:
    result = only_result("read_by_query_empty")
    assert result.ok
    assert result.data == []
    assert result.list_attributes == {
        "listtype": "department",
        "count": "0",
        "totalcount": "0",
        "numremaining": "0",
        "resultId": "",
    }
    assert result.int_attribute("numremaining", default=-1) == 0


def test_read_by_query_first_page_keeps_the_result_id_and_empty_fields_as_none() -> None:
    result = only_result("read_by_query_first_page")
    assert (result.int_attribute("count"), result.int_attribute("totalcount")) == (1, 3)
    assert result.int_attribute("numremaining") == 2
    assert result.list_attributes["resultId"] == "5511223344Xq-page-token"
    [record] = result.data
    assert record["RECORDNO"] == "21"
    assert record["NAME"] == "Retail & Online"
    assert record["DESCRIPTION"] is None
    assert record["MEGAENTITYID"] is None
    assert record["WHENMODIFIED"] == "03/15/2024 17:45:10"
    assert len(record) == 15


def test_read_by_query_page_of_two() -> None:
    result = only_result("read_by_query_page_of_two")
    assert [r["CLASSID"] for r in result.data] == ["RETAIL", "WHOLESALE"]
    assert [r["STATUS"] for r in result.data] == ["active", "inactive"]
    assert result.int_attribute("numremaining") == 1
    assert result.list_attributes["resultId"] == "6622334455Yr-page-token"


def test_read_by_query_last_page_has_no_result_id() -> None:
    result = only_result("read_by_query_last_page")
    assert result.data == [{"CUSTOMERID": "CU-77", "NAME": "Blue Heron Outfitters"}]
    assert result.list_attributes["resultId"] == ""
    assert result.int_attribute("numremaining") == 0


def test_read_more_last_page() -> None:
    result = only_result("read_more_last_page")
    assert result.function == "readMore"
    assert result.data[0]["CLASSID"] == "OUTLET"
    assert (result.int_attribute("totalcount"), result.int_attribute("numremaining")) == (3, 0)


def test_query_page_attributes_and_dot_path_fields() -> None:
    result = only_result("query_page")
    assert list(result.list_attributes) == [
        "listtype",
        "totalcount",
        "offset",
        "count",
        "numremaining",
    ]
    assert "resultId" not in result.list_attributes
    assert [result.int_attribute(n) for n in ("totalcount", "offset", "count", "numremaining")] == [
        5,
        2,
        2,
        1,
    ]
    assert [r["DISPLAYCONTACT.EMAIL1"] for r in result.data] == ["ap@northwind.example", None]


def test_read_one_record() -> None:
    result = only_result("read_one")
    assert result.list_attributes == {"listtype": "CUSTOMER", "count": "1"}
    assert result.data == [{"RECORDNO": "412", "CUSTOMERID": "CU-412", "STATUS": "active"}]


def test_get_list_sibling_listtype_gives_the_paging_numbers() -> None:
    result = only_result("get_list_class")
    assert result.list_attributes == {"start": "0", "end": "1", "total": "4", "listtype": "class"}
    assert [r["key"] for r in result.data] == ["RETAIL", "WHOLESALE"]
    assert result.data[0]["description"] is None
    assert result.data[1]["parentid"] == "RETAIL"
    assert result.int_attribute("total") == 4


def test_mixed_results_keep_their_order_and_each_status() -> None:
    parsed = read("mixed_results")
    assert [r.status for r in parsed.results] == ["failure", "success", "failure"]
    assert [r.errors[0].errorno for r in parsed.results if not r.ok] == [
        "Invalid fields list NOPE",
        "Invalid fields list ALSO_NOPE",
    ]
    assert parsed.results[1].data[0]["RECORDID"] == "INV-2024-118"
    assert parsed.authentication is not None
    assert parsed.authentication.locationid == "EAST"


# ------------------------------------------------------------------ writes


def test_legacy_create_key() -> None:
    result = only_result("create_class_key")
    assert (result.ok, result.function, result.key, result.data) == (
        True,
        "create_class",
        "OUTLET",
        [],
    )


def test_generic_create_echoes_recordno_and_id() -> None:
    result = only_result("create_objects")
    assert result.list_attributes == {"listtype": "objects", "count": "2"}
    assert result.data == [
        {"RECORDNO": "41", "CLASSID": "OUTLET"},
        {"RECORDNO": "42", "CLASSID": "KIOSK"},
    ]


def test_duplicate_create_error_chain_and_first_specific_error() -> None:
    result = only_result("create_duplicate_failure")
    assert result.status == "failure"
    assert result.data == []
    assert result.list_attributes == {"listtype": "objects", "count": "0"}
    assert [e.errorno for e in result.errors] == ["BL34000061", "BL01001973", "BL01001973"]
    first = result.first_error
    assert first is not None
    assert first.errorno == "BL34000061"
    assert first.correction == "Use a unique value instead."
    message = str(function_error(result))
    assert "OUTLET" in message
    assert "Use a unique value instead." in message


def test_delete_missing_key_unescapes_apostrophes() -> None:
    result = only_result("delete_missing_key")
    assert result.errors[0].description2 == "Cannot find class with key '987654' to delete."


def test_update_missing_key_text_in_errorno() -> None:
    result = only_result("update_missing_key")
    assert result.status == "failure"
    assert result.data == [{"RECORDNO": "41", "CLASSID": "OUTLET"}]  # processed before the failure
    error = result.first_error
    assert error is not None
    assert error.text == "Cannot update non-existing CLASS with CLASSID=NOPE-1."
    assert "NOPE-1" in str(function_error(result))


# ------------------------------------------------------------------ failures by level


def test_control_failure_policy() -> None:
    with pytest.raises(IntacctControlError) as caught:
        read("control_failure_policy")
    assert caught.value.level == "control"
    assert not caught.value.retryable
    assert [e.errorno for e in caught.value.errors] == ["XL03000006"]
    assert "nightly is not a valid transport policy." in str(caught.value)


def test_control_failure_bare() -> None:
    with pytest.raises(IntacctControlError) as caught:
        read("control_failure_bare")
    assert caught.value.errors[0].errorno == "PL04000055"
    assert "demo company and has expired" in str(caught.value)


def test_schema_error_keeps_every_error() -> None:
    with pytest.raises(IntacctControlError) as caught:
        read("schema_error")
    assert [e.errorno for e in caught.value.errors] == ["XL03000003", "XL03000003"]
    assert "Line: 9, column: 40." in caught.value.errors[0].description2


@pytest.mark.parametrize("name", ["auth_failure", "auth_failure_no_location"])
def test_bad_credentials_are_an_authentication_error(name: str) -> None:
    with pytest.raises(IntacctAuthenticationError) as caught:
        read(name, session_auth=False)
    assert not isinstance(caught.value, IntacctSessionExpiredError)
    assert caught.value.level == "authentication"
    assert caught.value.errors[0].description2 == "Sign-in information is incorrect"


def test_invalid_session_is_a_session_error() -> None:
    with pytest.raises(IntacctSessionExpiredError) as caught:
        read("session_invalid", session_auth=True)
    assert caught.value.errors[0].description2.startswith("Invalid session")


def test_gateway_401_is_an_authentication_error() -> None:
    with pytest.raises(IntacctAuthenticationError) as caught:
        read("gateway_401", status=401, session_auth=False)
    assert caught.value.http_status == 401
    assert [(e.errorno, e.description2) for e in caught.value.errors] == [("XMLGW_JPP0002", "")]
    assert "Sign-in information is incorrect" in str(caught.value)


def test_function_failures_name_the_object() -> None:
    for name, function, obj in (
        ("function_failure_query", "readByQuery", "WIDGET"),
        ("function_failure_read", "read", "GADGET"),
    ):
        result = only_result(name)
        assert (result.status, result.function) == ("failure", function)
        error = function_error(result)
        assert isinstance(error, IntacctObjectNotFoundError)
        assert obj in str(error)


# ------------------------------------------------------------------ transactions


def test_transaction_rolled_back_statuses_and_errors() -> None:
    first, second = read("transaction_rolled_back").results
    assert (first.status, second.status) == ("aborted", "failure")
    assert [(e.errorno, e.description2) for e in first.errors] == [("XL03000009", ROLLBACK)]
    assert [e.errorno for e in second.errors] == ["Get API Session Failed", "XL03000009"]
    assert second.first_error is not None
    assert second.first_error.description2 == "Invalid location 'NORTH' specified."
    assert not first.ok
    assert not second.ok
    assert "status aborted" in str(function_error(first))


def test_aborted_result_keeps_its_cause_before_the_rollback_notice() -> None:
    result = only_result("aborted_with_cause")
    assert result.status == "aborted"
    assert [e.errorno for e in result.errors] == ["Query Failed", "XL03000009"]
    assert result.first_error is not None
    assert result.first_error.description2 == "Object definition WIDGET not found"


# ------------------------------------------------------------------ offline and incomplete


def test_offline_acknowledgement() -> None:
    parsed = read("offline_acknowledgement")
    assert parsed.acknowledgement == "success"
    assert parsed.control_status == "success"
    assert parsed.results == []
    assert parsed.authentication is None


def test_acknowledgement_without_status_is_not_an_acknowledgement() -> None:
    with pytest.raises(IntacctTransportError):
        read("incomplete_acknowledgement_without_status")


@pytest.mark.parametrize(
    "name",
    [
        "incomplete_control_only",
        "incomplete_no_control",
        "incomplete_control_without_status",
        "incomplete_empty_operation",
        "incomplete_not_xml",
        "incomplete_truncated",
    ],
)
def test_incomplete_documents_are_transport_errors(name: str) -> None:
    with pytest.raises(IntacctTransportError) as caught:
        read(name)
    assert caught.value.level == "transport"


def test_operation_without_result_leaves_the_function_unanswered() -> None:
    parsed = read("incomplete_no_result")
    assert parsed.authentication is not None
    assert parsed.authentication.status == "success"
    [result] = matched("incomplete_no_result", Function("readByQuery", controlid="x"))
    assert result.status == "failure"
    assert result.errors[0].errorno == "CLIENT-MISSING-RESULT"


def test_result_without_status_is_never_success() -> None:
    result = only_result("incomplete_result_without_status")
    assert result.status == "failure"
    assert not result.ok


def test_result_without_controlid_is_not_matched() -> None:
    [result] = matched(
        "incomplete_result_without_controlid",
        Function("readByQuery", controlid="find-departments"),
    )
    assert result.errors[0].errorno == "CLIENT-MISSING-RESULT"


def test_result_without_function_is_matched_by_controlid() -> None:
    [result] = matched(
        "incomplete_result_without_function",
        Function("readByQuery", controlid="find-departments"),
    )
    assert result.ok
    assert result.function == ""
    assert result.list_attributes["listtype"] == "department"


@pytest.mark.parametrize("session_auth", [False, True])
def test_authentication_without_status_is_an_incomplete_answer(session_auth: bool) -> None:
    # A document missing its authentication status says nothing about the credentials.
    with pytest.raises(IntacctTransportError) as caught:
        read("incomplete_auth_without_status", session_auth=session_auth)
    assert caught.value.retryable
    assert not isinstance(caught.value, IntacctAuthenticationError)


@pytest.mark.parametrize(
    ("name", "userid", "companyid"),
    [
        ("incomplete_auth_without_userid", "", "ACME-CO"),
        ("incomplete_auth_without_companyid", "api_user", ""),
    ],
)
def test_authentication_without_ids_still_reads_the_operation(
    name: str, userid: str, companyid: str
) -> None:
    parsed = read(name)
    assert parsed.authentication is not None
    assert (parsed.authentication.userid, parsed.authentication.companyid) == (userid, companyid)
    [result] = matched(name, Function("readByQuery", controlid="x"))
    assert result.errors[0].errorno == "CLIENT-MISSING-RESULT"  # <result/> answers nothing


def test_error_texts_are_unescaped_not_stripped() -> None:
    result = only_result("error_text_markup")
    assert [(e.errorno, e.description) for e in result.errors] == [
        ("4321", "first"),
        ("8765", "keep<i>this</i>too."),
    ]
    assert result.errors[0].description2 == "Object definition 'WIDGET' not found."
    assert result.errors[0].correction == "keep<b>this</b>text."
    assert isinstance(function_error(result), IntacctObjectNotFoundError)


def test_repeated_authentication_element_reads_the_first() -> None:
    parsed = read("incomplete_auth_without_companyid")
    assert parsed.authentication is not None
    assert parsed.authentication.sessiontimestamp == "2024-04-02T14:40:00-07:00"
    assert parsed.authentication.sessiontimeout == ""
