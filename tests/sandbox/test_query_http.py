"""Read functions over real HTTP against a demo-seeded sandbox process.

Protocol: docs/protocol.md §4, §5.5, §6.2, §8.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

import pytest

SHOW = "<options><showprivate>true</showprivate></options>"


def one_result(gw: Any, kit: Any, function: str, **auth: Any) -> Element:
    session = auth.pop("session", None)
    auth_xml = kit.session_xml(session) if session else kit.login_xml(**auth)
    reply = gw.post(kit.envelope(function, auth=auth_xml))
    assert reply.status == 200
    (result,) = reply.results()
    return result


def data_of(result: Element) -> Element:
    assert result.findtext("status") == "success", result.findtext(
        "errormessage/error/description2"
    )
    data = result.find("data")
    assert data is not None
    return data


def test_query_over_http(gw: Any, kit: Any) -> None:
    result = one_result(
        gw,
        kit,
        "<query><object>VENDOR</object><select><field>RECORDNO</field><field>NAME</field>"
        "<field>WHENMODIFIED</field></select><filter><equalto><field>VENDORID</field>"
        "<value>V00001</value></equalto></filter></query>",
    )
    assert result.findtext("function") == "query"
    data = data_of(result)
    assert dict(data.attrib) == {
        "listtype": "VENDOR",
        "totalcount": "1",
        "offset": "0",
        "count": "1",
        "numremaining": "0",
    }
    (vendor,) = data.findall("VENDOR")
    assert vendor.findtext("NAME") == "O'Brien & Søn"
    assert vendor.findtext("RECORDNO") == "1"


def test_readbyquery_and_readmore_over_http(gw: Any, kit: Any) -> None:
    session = gw.session()
    first = data_of(
        one_result(
            gw,
            kit,
            "<readByQuery><object>DEPARTMENT</object><fields>DEPARTMENTID,TITLE</fields>"
            "<query>STATUS = 'T'</query><pagesize>5</pagesize></readByQuery>",
            session=session,
        )
    )
    assert first.get("listtype") == "department"
    assert (first.get("count"), first.get("totalcount"), first.get("numremaining")) == (
        "5",
        "8",
        "3",
    )
    result_id = first.get("resultId")
    assert result_id
    more = data_of(
        one_result(
            gw, kit, f"<readMore><resultId>{result_id}</resultId></readMore>", session=session
        )
    )
    assert (more.get("count"), more.get("numremaining"), more.get("resultId")) == ("3", "0", "")
    ids = [d.findtext("DEPARTMENTID") for d in [*first, *more]]
    assert len(set(ids)) == 8


def test_readonly_user_permission_denied_over_http(gw: Any, kit: Any) -> None:
    result = one_result(
        gw,
        kit,
        "<query><object>ARINVOICE</object><select><field>RECORDNO</field></select></query>",
        user_id="readonly_user",
        password="readonly-user-pass",
    )
    assert result.findtext("status") == "failure"
    assert result.findtext("errormessage/error/errorno") == "PL04000005"
    assert (result.findtext("errormessage/error/description2") or "").startswith(
        "You do not have permission for API operation READ_BY_QUERY on objects of type arinvoice"
    )


def test_unqueryable_field_over_http(gw: Any, kit: Any) -> None:
    result = one_result(
        gw,
        kit,
        "<query><object>APBILL</object><select><field>RECORDNO</field>"
        "<field>PAYTOCONTACTNAME</field></select></query>",
    )
    errors = result.findall("errormessage/error")
    assert len(errors) == 1
    assert errors[0].findtext("errorno") == "XL03000006"
    assert (errors[0].findtext("description2") or "").startswith(
        "The following fields cannot be queried: [ apbill: [PAYTOCONTACTNAME] ] [Support ID: "
    )


@pytest.mark.parametrize(("entity", "expected"), [(None, {""}), ("E200", {"", "E200"})])
def test_entity_session_visibility_over_http(
    gw: Any, kit: Any, entity: str | None, expected: set[str]
) -> None:
    session = gw.session(location_id=entity)
    data = data_of(
        one_result(
            gw,
            kit,
            "<query><object>VENDOR</object><select><field>VENDORID</field>"
            "<field>MEGAENTITYID</field></select><pagesize>2000</pagesize></query>",
            session=session,
        )
    )
    assert {v.findtext("MEGAENTITYID") or "" for v in data.findall("VENDOR")} == expected


def test_showprivate_from_top_level_over_http(gw: Any, kit: Any) -> None:
    plain = data_of(
        one_result(
            gw,
            kit,
            "<query><object>VENDOR</object><select><field>RECORDNO</field></select></query>",
        )
    )
    private = data_of(
        one_result(
            gw,
            kit,
            f"<query><object>VENDOR</object><select><field>RECORDNO</field></select>{SHOW}</query>",
        )
    )
    assert int(private.get("totalcount", "0")) == int(plain.get("totalcount", "0")) + 6


def test_touch_changes_whenmodified_seen_by_query(clean_sandbox: Any, kit: Any) -> None:
    gw = kit.Gateway(clean_sandbox.api_url)
    clean_sandbox.control("POST", "clock", {"freeze": "2026-01-15T20:00:00Z"})
    clean_sandbox.control("POST", "touch", {"object": "VENDOR", "recordnos": [2, 3]})
    data = data_of(
        one_result(
            gw,
            kit,
            "<query><object>VENDOR</object><select><field>RECORDNO</field>"
            "<field>WHENMODIFIED</field></select><filter><greaterthanorequalto>"
            "<field>WHENMODIFIED</field><value>01/15/2026 12:00:00</value>"
            "</greaterthanorequalto></filter></query>",
        )
    )
    assert [(v.findtext("RECORDNO"), v.findtext("WHENMODIFIED")) for v in data] == [
        ("2", "01/15/2026 12:00:00"),
        ("3", "01/15/2026 12:00:00"),
    ]
    raw = {r["RECORDNO"]: r["WHENMODIFIED"] for r in clean_sandbox.records("VENDOR")}
    assert raw[2] == "2026-01-15T20:00:00Z"


def test_lookup_and_inspect_over_http(gw: Any, kit: Any) -> None:
    lookup = data_of(one_result(gw, kit, "<lookup><object>GLDETAIL</object></lookup>"))
    ids = {f.findtext("ID"): f.findtext("DATATYPE") for f in lookup.iter("Field")}
    assert ids["WHENMODIFIED"] == "TIMESTAMP"
    assert ids["AMOUNT"] == "CURRENCY"
    assert ids["ENTRY_DATE"] == "DATE"
    inspect = data_of(one_result(gw, kit, "<inspect><object>*</object></inspect>"))
    assert {"VENDOR", "GLDETAIL", "project_budget"} <= {t.get("typename") for t in inspect}


def test_read_user_formatting_over_http(gw: Any, kit: Any) -> None:
    request = "<readUserFormatting><userId>sandbox_user</userId></readUserFormatting>"
    fmt = data_of(one_result(gw, kit, request)).find("userformatting")
    assert fmt is not None
    # developer.intacct.com's shape: lower-case fields, no IANA zone; the default
    # preference is a fixed offset (US Pacific standard time, all year).
    assert [child.tag for child in fmt] == [
        "recordno",
        "locale",
        "dateformat",
        "gmtoffset",
        "clock",
    ]
    assert fmt.findtext("gmtoffset") == "-08:00"
    assert fmt.findtext("dateformat") == "/mdY"
    assert (fmt.findtext("locale"), fmt.findtext("clock")) == ("en_US", "24")


def test_read_user_formatting_names_the_user(gw: Any, kit: Any) -> None:
    bare = one_result(gw, kit, "<readUserFormatting/>")
    assert bare.findtext("status") == "failure"
    assert "userId" in (bare.findtext("errormessage/error/correction") or "")
    by_key = data_of(one_result(gw, kit, "<readUserFormatting><key>1</key></readUserFormatting>"))
    assert by_key.findtext("userformatting/recordno") is not None
    stranger = one_result(
        gw, kit, "<readUserFormatting><userId>nobody</userId></readUserFormatting>"
    )
    assert stranger.findtext("status") == "failure"
    assert "nobody" in (stranger.findtext("errormessage/error/description2") or "")


def test_company_timezone_option_changes_rendering(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(timezone="Europe/Berlin")
    gw = kit.Gateway(box.api_url)
    request = "<readUserFormatting><userId>sandbox_user</userId></readUserFormatting>"
    fmt = data_of(one_result(gw, kit, request)).find("userformatting")
    assert fmt is not None
    assert fmt.findtext("gmtoffset") == "+01:00"
    data = data_of(
        one_result(
            gw,
            kit,
            "<query><object>CUSTOMER</object><select><field>WHENMODIFIED</field></select>"
            "<filter><equalto><field>CUSTOMERID</field><value>C00004</value></equalto>"
            "</filter></query>",
        )
    )
    # stored 2025-11-02T08:30:00Z; Berlin is already on winter time (UTC+1) that day
    assert [c.findtext("WHENMODIFIED") for c in data] == ["11/02/2025 09:30:00"]
    raw = {r["CUSTOMERID"]: r["WHENMODIFIED"] for r in box.records("CUSTOMER")}
    assert raw["C00004"] == "2025-11-02T08:30:00Z"
