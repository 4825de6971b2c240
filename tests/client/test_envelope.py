"""Unit tests: request envelopes and function payload serialisation (no server)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from intacct_client import Function, filters
from intacct_client.envelope import LoginCredentials, SessionCredentials, build_request


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode())  # noqa: S314 - our own output


def test_control_block_has_every_required_element_in_order() -> None:
    text = build_request(
        sender_id="snd",
        sender_password="sndpw",
        auth=SessionCredentials("SESSION.."),
        functions=[Function("inspect", {"object": "*"}, controlid="f1")],
        control_id="req-1",
    )
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?><request>')
    control = _parse(text).find("control")
    assert control is not None
    assert [child.tag for child in control] == [
        "senderid",
        "password",
        "controlid",
        "uniqueid",
        "dtdversion",
        "includewhitespace",
    ]
    assert [child.text for child in control] == ["snd", "sndpw", "req-1", "false", "3.0", "false"]


def test_operation_transaction_uniqueid_and_session_auth() -> None:
    root = _parse(
        build_request(
            sender_id="s",
            sender_password="p",
            auth=SessionCredentials("abc.."),
            functions=[Function("create", {"CLASS": {"CLASSID": "C1"}}, controlid="c1")],
            transaction=True,
            unique_id=True,
        )
    )
    assert root.findtext("control/uniqueid") == "true"
    operation = root.find("operation")
    assert operation is not None
    assert operation.get("transaction") == "true"
    assert operation.findtext("authentication/sessionid") == "abc.."
    assert operation.find("authentication/login") is None


def test_login_authentication_with_and_without_entity() -> None:
    login = _parse(LoginCredentials("u", "C", "pw", "E1").to_xml())
    assert [c.tag for c in login] == ["userid", "companyid", "password", "locationid"]
    assert login.findtext("locationid") == "E1"
    top = _parse(LoginCredentials("u", "C", "pw").to_xml())
    assert top.find("locationid") is None


def test_many_functions_each_with_own_controlid_in_order() -> None:
    functions = [
        Function("query", {"object": "VENDOR"}, controlid="a"),
        Function("readByQuery", {"object": "CLASS", "query": ""}, controlid="b"),
        Function("read", {"object": "GLACCOUNT", "keys": "1,2"}),
    ]
    root = _parse(
        build_request(
            sender_id="s",
            sender_password="p",
            auth=SessionCredentials("x.."),
            functions=functions,
        )
    )
    found = root.findall("operation/content/function")
    assert [f.get("controlid") for f in found] == ["a", "b", functions[2].controlid]
    assert [f[0].tag for f in found] == ["query", "readByQuery", "read"]
    assert len(functions[2].controlid) == 36  # uuid4


def test_duplicate_controlids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        build_request(
            sender_id="s",
            sender_password="p",
            auth=SessionCredentials("x.."),
            functions=[Function("inspect", None, "same"), Function("inspect", None, "same")],
        )


def test_payload_serialisation_rules() -> None:
    function = Function(
        "create_invoice",
        {
            "customerid": "C1 & <Co>",
            "datecreated": {"year": 2024, "month": 1, "day": 31},
            "amount": Decimal("1.5E+2"),
            "flag": True,
            "off": False,
            "empty": None,
            "when": date(2024, 2, 29),
            "invoiceitems": {"lineitem": [{"glaccountno": "4000"}, {"glaccountno": "4100"}]},
            "customfields": {"@type": "x", "customfield": {"customfieldname": "A"}},
        },
        controlid="ci-1",
    )
    root = _parse(function.to_xml())
    assert root.tag == "function"
    assert root.get("controlid") == "ci-1"
    body = root[0]
    assert [c.tag for c in body] == [
        "customerid",
        "datecreated",
        "amount",
        "flag",
        "off",
        "empty",
        "when",
        "invoiceitems",
        "customfields",
    ]
    assert body.findtext("customerid") == "C1 & <Co>"
    assert [c.tag for c in body.find("datecreated")] == ["year", "month", "day"]  # type: ignore[union-attr]
    assert body.findtext("amount") == "150"
    assert body.findtext("flag") == "true"
    assert body.findtext("off") == "false"
    assert body.find("empty") is not None
    assert body.findtext("empty") in (None, "")
    assert body.findtext("when") == "02/29/2024"
    assert [x.text for x in body.iterfind("invoiceitems/lineitem/glaccountno")] == ["4000", "4100"]
    assert body.find("customfields").get("type") == "x"  # type: ignore[union-attr]


def test_function_attributes_and_pairs_payload() -> None:
    root = _parse(Function("delete_vendor", None, attributes={"vendorid": "V'1"}).to_xml())
    assert root[0].tag == "delete_vendor"
    assert root[0].get("vendorid") == "V'1"
    pairs = Function(
        "create",
        [
            ("VENDOR", {"VENDORID": "V1"}),
            ("LOCATION", {"LOCATIONID": "L1"}),
            ("VENDOR", {"VENDORID": "V2"}),
        ],
    )
    body = _parse(pairs.to_xml())[0]
    assert [c.tag for c in body] == ["VENDOR", "LOCATION", "VENDOR"]


def test_float_and_naive_payload_values_are_refused() -> None:
    with pytest.raises(TypeError):
        Function("create", {"X": {"AMOUNT": 1.5}}).to_xml()
    with pytest.raises(TypeError):
        Function("create", {"X": {"WHEN": datetime(2024, 1, 1, tzinfo=timezone.utc)}}).to_xml()


def test_read_function_classification() -> None:
    assert Function("query").is_read
    assert Function("readMore").is_read
    assert not Function("create").is_read
    assert not Function("create_invoice").is_read


def test_filter_tree_rendering_in_user_zone() -> None:
    tree = filters.and_(
        filters.ge("WHENMODIFIED", datetime(2024, 7, 1, 7, 0, 0, tzinfo=timezone.utc)),
        filters.or_(filters.eq("STATUS", "active"), filters.is_null("STATUS")),
        filters.between("WHENDUE", date(2024, 1, 1), date(2024, 1, 31)),
        filters.in_("VENDORID", ["V1", "V&2"]),
        filters.not_like("NAME", "%x%"),
        filters.lt("TOTALDUE", Decimal("10.50")),
    )
    root = _parse(tree.render("America/Los_Angeles"))
    assert root.tag == "and"
    assert [c.tag for c in root] == [
        "greaterthanorequalto",
        "or",
        "between",
        "in",
        "notlike",
        "lessthan",
    ]
    assert root.findtext("greaterthanorequalto/value") == "07/01/2024 00:00:00"
    assert [c.tag for c in root.find("or")] == ["equalto", "isnull"]  # type: ignore[union-attr]
    assert [v.text for v in root.iterfind("between/value")] == ["01/01/2024", "01/31/2024"]
    assert [v.text for v in root.iterfind("in/value")] == ["V1", "V&2"]
    assert root.findtext("lessthan/value") == "10.50"


def test_single_child_and_or_return_the_child() -> None:
    only = filters.eq("A", "1")
    assert filters.and_(only) is only
    assert filters.or_(only) is only
    with pytest.raises(ValueError, match="at least one"):
        filters.and_()
    with pytest.raises(ValueError, match="between 1 and 1000"):
        filters.in_("A", [])
