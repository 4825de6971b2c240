"""The sandbox answers the request behind each capture in the capture's shape.

For every fixture with a sandbox counterpart, the request that produced the capture is
sent to a real sandbox process and the two answers are compared by structure (element
paths, attribute names in order; values ignored, repeated records collapsed). Fixtures
without a counterpart, and parts the sandbox legitimately answers differently, are listed
in README.md ("Differences"); `test_every_fixture_is_compared_or_listed` keeps that list
and this module in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from intacct_client.xmlread import parse_xml
from wire import (
    Answer,
    Wire,
    fixture_bytes,
    fixture_names,
    login_auth,
    session_auth,
    shape_lines,
)

README = Path(__file__).parent / "README.md"
AUTH = "operation/authentication"
CLASS_FIELDS = (
    "RECORDNO,CLASSID,NAME,DESCRIPTION,STATUS,PARENTKEY,PARENTID,PARENTNAME,WHENCREATED,"
    "WHENMODIFIED,CREATEDBY,MODIFIEDBY,MEGAENTITYKEY,MEGAENTITYID,MEGAENTITYNAME"
)


def rbq(obj: str, fields: str, query: str = "", pagesize: int = 100) -> str:
    return (
        f"<readByQuery><object>{obj}</object><fields>{fields}</fields>"
        f"<query>{query}</query><pagesize>{pagesize}</pagesize></readByQuery>"
    )


def first_value(wire: Wire, obj: str, field: str) -> str:
    answer = wire.call(("pick", rbq(obj, field, pagesize=1)))
    value = answer.result().findtext(f"data/{obj.lower()}/{field}")
    assert value, answer.body[:1000]
    return value


# ------------------------------------------------------------------ the requests


def get_api_session(wire: Wire) -> Answer:
    return wire.call(("getAPISession", "<getAPISession/>"))


def get_api_session_entity(wire: Wire) -> Answer:
    return wire.call(("getAPISession", "<getAPISession/>"), auth=login_auth("E100"))


def get_api_session_entity_switch(wire: Wire) -> Answer:
    east = wire.session("E100")
    answer = wire.call(
        ("getAPISession", "<getAPISession><locationid>E200</locationid></getAPISession>"),
        auth=session_auth(east),
    )
    # the values the capture shows: the caller's entity, the new entity, a new session
    assert answer.root.findtext(f"{AUTH}/locationid") == "E100"
    assert answer.result().findtext("data/api/locationid") == "E200"
    assert answer.result().findtext("data/api/sessionid") not in ("", east)
    return answer


def get_api_session_failure(wire: Wire) -> Answer:
    return wire.call(
        ("getAPISession", "<getAPISession><locationid>NORTH</locationid></getAPISession>")
    )


def read_by_query_empty(wire: Wire) -> Answer:
    return wire.call(("find", rbq("DEPARTMENT", "*", "DEPARTMENTID = 'NO-SUCH-DEPT'")))


def read_by_query_first_page(wire: Wire) -> Answer:
    answer = wire.call(("page", rbq("CLASS", CLASS_FIELDS, pagesize=1)))
    data = answer.result().find("data")
    assert data is not None
    total, remaining = int(data.get("totalcount", "")), int(data.get("numremaining", ""))
    assert (data.get("listtype"), data.get("count"), remaining) == ("class", "1", total - 1)
    assert remaining > 0
    assert data.get("resultId")  # more to read: a resultId for readMore
    return answer


def read_by_query_page_of_two(wire: Wire) -> Answer:
    return wire.call(("page", rbq("CLASS", "RECORDNO,CLASSID,NAME,STATUS", pagesize=2)))


def read_by_query_last_page(wire: Wire) -> Answer:
    customer = first_value(wire, "CUSTOMER", "CUSTOMERID")
    return wire.call(("all", rbq("CUSTOMER", "CUSTOMERID,NAME", f"CUSTOMERID = '{customer}'")))


def read_more_last_page(wire: Wire) -> Answer:
    session = wire.session()
    first = wire.call(
        ("page", rbq("CLASS", "RECORDNO,CLASSID,NAME,STATUS", pagesize=2)),
        auth=session_auth(session),
    )
    result_id = first.result().find("data").get("resultId")  # type: ignore[union-attr]
    assert result_id, first.body[:1000]
    answer = Answer(0, b"")
    remaining = 1
    while remaining:  # read to the last page
        answer = wire.call(
            ("more", f"<readMore><resultId>{result_id}</resultId></readMore>"),
            auth=session_auth(session),
        )
        data = answer.result().find("data")
        assert data is not None, answer.body[:1000]
        remaining = int(data.get("numremaining") or 0)
    assert answer.result().find("data").get("resultId") == ""  # type: ignore[union-attr]
    return answer


def query_page(wire: Wire) -> Answer:
    answer = _query_page(wire)
    data = answer.result().find("data")
    assert data is not None
    numbers = [int(data.get(n, "")) for n in ("totalcount", "offset", "count", "numremaining")]
    total, offset, count, remaining = numbers
    assert (offset, count, remaining) == (2, 2, total - offset - count)
    assert data.get("listtype") == "VENDOR"
    return answer


def _query_page(wire: Wire) -> Answer:
    return wire.call(
        (
            "q",
            "<query><object>VENDOR</object><select><field>RECORDNO</field>"
            "<field>VENDORID</field><field>DISPLAYCONTACT.EMAIL1</field></select>"
            "<pagesize>2</pagesize><offset>2</offset></query>",
        )
    )


def read_one(wire: Wire) -> Answer:
    recordno = first_value(wire, "CUSTOMER", "RECORDNO")
    return wire.call(
        (
            "read",
            f"<read><object>CUSTOMER</object><keys>{recordno}</keys>"
            "<fields>RECORDNO,CUSTOMERID,STATUS</fields></read>",
        )
    )


def get_list_class(wire: Wire) -> Answer:
    fields = "".join(
        f"<field>{name}</field>"
        for name in ("key", "name", "description", "parentid", "whenmodified", "status")
    )
    return wire.call(
        ("list", f'<get_list object="class" start="0" maxitems="2"><fields>{fields}</fields>'
         "</get_list>")
    )  # fmt: skip


def create_class_key(wire: Wire) -> Answer:
    return wire.call(
        ("new", "<create_class><classid>CONF-K1</classid><name>Conformance</name></create_class>")
    )


def create_objects(wire: Wire) -> Answer:
    return wire.call(
        (
            "create",
            "<create><CLASS><CLASSID>CONF-C1</CLASSID><NAME>One</NAME></CLASS>"
            "<CLASS><CLASSID>CONF-C2</CLASSID><NAME>Two</NAME></CLASS></create>",
        )
    )


def create_duplicate_failure(wire: Wire) -> Answer:
    existing = first_value(wire, "CLASS", "CLASSID")
    return wire.call(
        ("dup", f"<create><CLASS><CLASSID>{existing}</CLASSID><NAME>Dup</NAME></CLASS></create>")
    )


def delete_missing_key(wire: Wire) -> Answer:
    return wire.call(("del", "<delete><object>CLASS</object><keys>987654</keys></delete>"))


def update_missing_key(wire: Wire) -> Answer:
    existing = first_value(wire, "CLASS", "CLASSID")
    return wire.call(
        (
            "upd",
            f"<update><CLASS><CLASSID>{existing}</CLASSID><NAME>x</NAME></CLASS>"
            "<CLASS><CLASSID>NOPE-1</CLASSID><NAME>x</NAME></CLASS></update>",
        )
    )


def control_failure_policy(wire: Wire) -> Answer:
    return wire.call(("async", "<getAPISession/>"), policy_id="nightly")


def schema_error(wire: Wire) -> Answer:
    return wire.call(("bad", "<create><VENDOR><NAME>x</VENDOR></create>"))


def auth_failure(wire: Wire) -> Answer:
    bad = login_auth().replace("sandbox-user-pass", "wrong-password")
    return wire.call(("getAPISession", "<getAPISession/>"), auth=bad)


def session_invalid(wire: Wire) -> Answer:
    return wire.call(("q", rbq("CLASS", "RECORDNO")), auth=session_auth("expired-or-forged.."))


def function_failure_query(wire: Wire) -> Answer:
    return wire.call(("rbq", rbq("WIDGET", "*")))


def function_failure_read(wire: Wire) -> Answer:
    return wire.call(("read", "<read><object>GADGET</object><keys>1</keys></read>"))


def mixed_results(wire: Wire) -> Answer:
    bill = first_value(wire, "APBILL", "RECORDNO")
    read = "<read><object>APBILL</object><keys>{}</keys><fields>{}</fields></read>"
    return wire.call(
        ("bad-fields", read.format(bill, "NOPE")),
        ("good-read", read.format(bill, "RECORDNO,VENDORID,VENDORNAME,RECORDID")),
        ("bad-fields-2", read.format(bill, "ALSO_NOPE")),
        auth=login_auth("E100"),
    )


def transaction_rolled_back(wire: Wire) -> Answer:
    answer = wire.call(
        ("session-top", "<getAPISession/>"),
        ("session-north", "<getAPISession><locationid>NORTH</locationid></getAPISession>"),
        transaction=True,
    )
    statuses = [r.findtext("status") for r in answer.root.findall("operation/result")]
    assert statuses == ["aborted", "failure"]
    return answer


MINIMAL = {"variants": {"session_fields": "minimal"}}
CASES: dict[str, tuple[Callable[[Wire], Answer], dict[str, Any]]] = {
    "get_api_session_full": (get_api_session, {}),
    "get_api_session_minimal": (get_api_session, MINIMAL),
    "get_api_session_entity": (get_api_session_entity, {}),
    "get_api_session_entity_switch": (get_api_session_entity_switch, {}),
    "get_api_session_failure": (get_api_session_failure, {"skip": [AUTH]}),
    "read_by_query_empty": (read_by_query_empty, {}),
    "read_by_query_first_page": (read_by_query_first_page, {}),
    "read_by_query_page_of_two": (read_by_query_page_of_two, {}),
    "read_by_query_last_page": (read_by_query_last_page, {"skip": [AUTH]}),
    "read_more_last_page": (read_more_last_page, {}),
    "query_page": (query_page, {}),
    "read_one": (read_one, {}),
    "get_list_class": (get_list_class, {}),
    "create_class_key": (create_class_key, {}),
    "create_objects": (create_objects, MINIMAL),
    "create_duplicate_failure": (create_duplicate_failure, MINIMAL),
    "delete_missing_key": (delete_missing_key, MINIMAL),
    "update_missing_key": (
        update_missing_key,
        {"variants": {"session_fields": "minimal"}, "skip": ["operation/result/data/class"]},
    ),
    "control_failure_policy": (control_failure_policy, {}),
    "schema_error": (schema_error, {}),
    "auth_failure": (auth_failure, {}),
    "auth_failure_no_location": (auth_failure, MINIMAL),
    "session_invalid": (session_invalid, MINIMAL),
    "function_failure_query": (function_failure_query, {}),
    "function_failure_read": (function_failure_read, MINIMAL),
    "mixed_results": (mixed_results, {}),
    "transaction_rolled_back": (transaction_rolled_back, {"skip": [AUTH]}),
    "gateway_401": (auth_failure, {"args": ["--auth-failure-mode", "modern"], "http_status": 401}),
}  # fmt: skip


def _box(request: pytest.FixtureRequest, options: dict[str, Any]) -> Any:
    """The session sandbox (reset), or one started with the case's variants or options."""
    if not options.get("variants") and not options.get("args"):
        return request.getfixturevalue("clean_sandbox")
    factory = request.getfixturevalue("sandbox_factory")
    return factory(variants=options.get("variants"), extra_args=options.get("args"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_sandbox_answers_in_the_captured_shape(name: str, request: pytest.FixtureRequest) -> None:
    make, options = CASES[name]
    answer = make(Wire(_box(request, options).api_url))
    captured = parse_xml(fixture_bytes(name))
    skip = options.get("skip", ())
    assert shape_lines(answer.root, skip) == shape_lines(captured, skip)
    assert answer.status == options.get("http_status", 200)


def _listed_differences() -> dict[str, str]:
    """Fixture name -> reason, from the README's "Differences" table."""
    rows: dict[str, str] = {}
    for line in README.read_text().splitlines():
        match = re.match(r"^\|\s*`([a-z0-9_]+)`\s*\|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = match.group(2).strip()
    return rows


def test_every_fixture_is_compared_or_listed() -> None:
    listed = _listed_differences()
    for name in fixture_names():
        assert name in CASES or name in listed, f"{name}: neither compared nor listed in README"
    assert set(listed) <= set(fixture_names())
    for name, (_, options) in CASES.items():
        if options.get("skip"):
            assert name in listed, f"{name} skips {options['skip']} without a README row"
