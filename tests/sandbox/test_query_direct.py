"""Read functions called through the function seam on a demo-seeded temp database.

No HTTP here: each call builds a CallContext the way the gateway does and parses the
returned `<result>` body. The HTTP-level twins live in test_query_http.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree as SafeET
from intacct_sandbox import db, seed, variants
from intacct_sandbox.catalog import get_object
from intacct_sandbox.functions import CallContext, FunctionOutcome, execute_function
from intacct_sandbox.results import ResultStore

ZONE = "America/Los_Angeles"
SHOW = "<showprivate>true</showprivate>"


@pytest.fixture(autouse=True)
def _zone_with_daylight_saving() -> Iterator[None]:
    """These tests pin rendering across DST changes: the user's time-zone preference is
    the company's IANA zone (variant user_timezone=iana), WHENMODIFIED and AUWHENCREATED
    in that zone alike (auwhencreated_zone=user)."""
    with variants.overridden(user_timezone="iana", auwhencreated_zone="user"):
        yield


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("querydb") / "demo.db"
    seed.create_database(str(path), "demo", 1, ZONE)
    return path


@pytest.fixture
def conn(demo_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(str(demo_path))
    yield connection
    connection.close()


class Caller:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.store = ResultStore()

    def ctx(self, **overrides: Any) -> CallContext:
        values: dict[str, Any] = {
            "conn": self.conn,
            "company_id": "SANDBOX-CO",
            "user_id": "sandbox_user",
            "user_recordno": 1,
            "entity_id": None,
            "session_id": "session-1",
            "now": datetime(2025, 12, 1, tzinfo=timezone.utc),
            "timezone": ZONE,
            "permissions": frozenset(),
            "request_host": "http://127.0.0.1:8080",
            "result_store": self.store,
        }
        values.update(overrides)
        return CallContext(**values)

    def raw(self, xml: str, **overrides: Any) -> FunctionOutcome:
        element = SafeET.fromstring(xml)
        return execute_function(self.ctx(**overrides), element.tag, element)

    def data(self, xml: str, **overrides: Any) -> Element:
        outcome = self.raw(xml, **overrides)
        assert outcome.status == "success", outcome.errors
        return SafeET.fromstring(outcome.body)

    def error(self, xml: str, **overrides: Any) -> list[Any]:
        outcome = self.raw(xml, **overrides)
        assert outcome.status == "failure"
        return outcome.errors


@pytest.fixture
def call(conn: sqlite3.Connection) -> Caller:
    return Caller(conn)


def query_xml(
    obj: str,
    fields: list[str],
    flt: str = "",
    *,
    pagesize: int | None = None,
    offset: int | None = None,
    orderby: str = "",
    options: str = "",
) -> str:
    select = "".join(f"<field>{f}</field>" for f in fields)
    parts = [f"<object>{obj}</object><select>{select}</select>"]
    if flt:
        parts.append(f"<filter>{flt}</filter>")
    if orderby:
        parts.append(f"<orderby>{orderby}</orderby>")
    if options:
        parts.append(f"<options>{options}</options>")
    if pagesize is not None:
        parts.append(f"<pagesize>{pagesize}</pagesize>")
    if offset is not None:
        parts.append(f"<offset>{offset}</offset>")
    return "<query>" + "".join(parts) + "</query>"


def cond(op: str, field: str, *values: str) -> str:
    return (
        f"<{op}><field>{field}</field>"
        + "".join(f"<value>{v}</value>" for v in values)
        + f"</{op}>"
    )


def column(data: Element, tag: str, name: str) -> list[str]:
    return [(rec.findtext(name) or "") for rec in data.findall(tag)]


def all_ids(call: Caller, obj: str, key: str, flt: str = "", options: str = "") -> list[str]:
    data = call.data(query_xml(obj, [key], flt, pagesize=2000, options=options))
    return column(data, obj, key)


# ---------------------------------------------------------------- response shape


def test_query_attributes_and_casing(call: Caller) -> None:
    data = call.data(query_xml("vendor", ["RECORDNO", "VENDORID", "NAME"], pagesize=5, offset=3))
    assert data.tag == "data"
    assert list(data.attrib) == ["listtype", "totalcount", "offset", "count", "numremaining"]
    total = int(data.get("totalcount", "-1"))
    assert data.get("listtype") == "VENDOR"
    assert (data.get("offset"), data.get("count")) == ("3", "5")
    assert int(data.get("numremaining", "-1")) == total - 3 - 5
    records = data.findall("VENDOR")
    assert len(records) == 5
    assert [child.tag for child in records[0]] == ["RECORDNO", "VENDORID", "NAME"]
    recordnos = [int(r.findtext("RECORDNO") or 0) for r in records]
    assert recordnos == sorted(recordnos)


def test_query_default_pagesize_is_100_and_empty_fields_present(call: Caller) -> None:
    data = call.data(query_xml("GLDETAIL", ["RECORDNO", "PROJECTID"]))
    assert data.get("count") == "100"
    empties = [r for r in data.findall("GLDETAIL") if r.find("PROJECTID") is not None]
    assert len(empties) == 100  # the element is there even when the value is empty
    assert any((r.findtext("PROJECTID") or "") == "" for r in empties)


def test_query_pagesize_above_2000_is_clamped(call: Caller) -> None:
    data = call.data(query_xml("GLDETAIL", ["RECORDNO"], pagesize=5000))
    assert data.get("count") == "2000"


def test_query_empty_result_is_self_closing(call: Caller) -> None:
    outcome = call.raw(query_xml("VENDOR", ["RECORDNO"], cond("equalto", "VENDORID", "NOPE")))
    assert outcome.body == (
        '<data listtype="VENDOR" totalcount="0" offset="0" count="0" numremaining="0"/>'
    )


def test_query_offset_paging_covers_every_record_once(call: Caller) -> None:
    expected = all_ids(call, "GLDETAIL", "RECORDNO", options="<showprivate>true</showprivate>")
    seen: list[str] = []
    offset = 0
    while True:
        data = call.data(
            query_xml(
                "GLDETAIL",
                ["RECORDNO"],
                cond("greaterthanorequalto", "RECORDNO", "1"),
                pagesize=700,
                offset=offset,
                options="<showprivate>true</showprivate>",
            )
        )
        seen += column(data, "GLDETAIL", "RECORDNO")
        offset += int(data.get("count", "0"))
        if data.get("numremaining") == "0":
            break
    assert len(expected) == 2000 or len(seen) > 2000
    assert len(seen) == len(set(seen))


def test_query_orderby_multiple_fields(call: Caller) -> None:
    data = call.data(
        query_xml(
            "VENDOR",
            ["RECORDNO", "STATUS", "NAME"],
            orderby=(
                "<order><field>STATUS</field><descending></descending></order>"
                "<order><field>NAME</field><ascending></ascending></order>"
            ),
            pagesize=2000,
        )
    )
    rows = [(r.findtext("STATUS") or "", r.findtext("NAME") or "") for r in data.findall("VENDOR")]
    statuses = [s for s, _ in rows]
    assert statuses == sorted(statuses, reverse=True)
    for status in set(statuses):
        names = [n for s, n in rows if s == status]
        assert names == sorted(names)


def test_query_same_second_ties_break_on_recordno(call: Caller) -> None:
    flt = cond("equalto", "WHENMODIFIED", "06/15/2025 10:30:00")  # 17:30Z in PDT
    data = call.data(
        query_xml(
            "GLDETAIL",
            ["RECORDNO", "WHENMODIFIED"],
            flt,
            orderby="<order><field>WHENMODIFIED</field></order>",
            pagesize=2000,
            options="<showprivate>true</showprivate>",
        )
    )
    recordnos = [int(x) for x in column(data, "GLDETAIL", "RECORDNO")]
    assert len(recordnos) == 120
    assert recordnos == sorted(recordnos)


# ---------------------------------------------------------------- operators


def test_equalto_and_notequalto(call: Caller) -> None:
    eq = all_ids(call, "VENDOR", "VENDORID", cond("equalto", "VENDORID", "V00003"))
    assert eq == ["V00003"]
    ne = all_ids(call, "VENDOR", "VENDORID", cond("notequalto", "STATUS", "active"))
    assert ne
    assert all(v for v in ne)
    active = all_ids(call, "VENDOR", "VENDORID", cond("equalto", "STATUS", "active"))
    assert not set(ne) & set(active)


def test_comparisons_on_integers_are_numeric(call: Caller) -> None:
    lt = all_ids(call, "GLBATCH", "RECORDNO", cond("lessthan", "RECORDNO", "10"), SHOW)
    assert [int(x) for x in lt] == list(range(1, 10))
    le = all_ids(call, "GLBATCH", "RECORDNO", cond("lessthanorequalto", "RECORDNO", "10"), SHOW)
    assert len(le) == 10
    gt = all_ids(call, "GLACCOUNT", "RECORDNO", cond("greaterthan", "RECORDNO", "30"))
    ge = all_ids(call, "GLACCOUNT", "RECORDNO", cond("greaterthanorequalto", "RECORDNO", "30"))
    assert [int(x) for x in gt] == [31, 32, 33, 34, 35]
    assert [int(x) for x in ge] == [30, 31, 32, 33, 34, 35]


def test_decimal_comparison_is_numeric_not_textual(call: Caller) -> None:
    data = call.data(
        query_xml(
            "APBILL",
            ["RECORDNO", "TOTALENTERED"],
            cond("greaterthan", "TOTALENTERED", "999.5"),
            pagesize=2000,
            options="<showprivate>true</showprivate>",
        )
    )
    amounts = [float(x) for x in column(data, "APBILL", "TOTALENTERED")]
    assert amounts
    assert min(amounts) > 999.5


def test_between_in_notin(call: Caller) -> None:
    between = all_ids(call, "GLACCOUNT", "ACCOUNTNO", cond("between", "ACCOUNTNO", "2000", "2300"))
    assert between == ["2000", "2100", "2200", "2300"]
    inside = all_ids(
        call, "GLACCOUNT", "ACCOUNTNO", cond("in", "ACCOUNTNO", "1000", "4000", "9999")
    )
    assert inside == ["1000", "4000"]
    outside = all_ids(call, "GLJOURNAL", "SYMBOL", cond("notin", "SYMBOL", "GJ", "APJ"))
    assert outside == ["ARJ"]


def test_like_notlike_are_case_sensitive_unless_caseinsensitive(call: Caller) -> None:
    like = all_ids(call, "GLACCOUNT", "TITLE", cond("like", "TITLE", "Cash%"))
    assert like == ["Cash - Operating", "Cash - Payroll"]
    assert all_ids(call, "GLACCOUNT", "TITLE", cond("like", "TITLE", "cash%")) == []
    ci = all_ids(
        call,
        "GLACCOUNT",
        "TITLE",
        cond("like", "TITLE", "cash%"),
        options="<caseinsensitive>true</caseinsensitive>",
    )
    assert ci == like
    single = all_ids(call, "GLACCOUNT", "ACCOUNTNO", cond("like", "ACCOUNTNO", "10_0"))
    assert single == ["1000", "1010"]
    notlike = all_ids(call, "GLACCOUNT", "ACCOUNTNO", cond("notlike", "ACCOUNTNO", "%0"))
    assert notlike == []
    eq_ci = all_ids(
        call,
        "VENDOR",
        "VENDORID",
        cond("equalto", "NAME", 'MÜLLER "QUOTE" GMBH'),
        options="<caseinsensitive>true</caseinsensitive>",
    )
    assert eq_ci == ["V00002"]


def test_isnull_isnotnull(call: Caller) -> None:
    null = all_ids(call, "VENDOR", "VENDORID", cond("isnull", "WHENMODIFIED"))
    assert null == ["V00071", "V00072", "V00073"]
    notnull = all_ids(call, "VENDOR", "VENDORID", cond("isnotnull", "WHENMODIFIED"))
    every = all_ids(call, "VENDOR", "VENDORID")
    assert sorted(null + notnull) == sorted(every)


def test_and_or_nesting_and_repeated_operators(call: Caller) -> None:
    flt = (
        "<or>"
        + cond("equalto", "VENDORID", "V00001")
        + cond("equalto", "VENDORID", "V00002")
        + "<and>"
        + cond("greaterthanorequalto", "RECORDNO", "5")
        + cond("lessthanorequalto", "RECORDNO", "6")
        + "</and></or>"
    )
    assert all_ids(call, "VENDOR", "VENDORID", flt) == ["V00001", "V00002", "V00005", "V00006"]


def test_and_with_one_child_is_refused(call: Caller) -> None:
    errors = call.error(
        query_xml("VENDOR", ["RECORDNO"], "<and>" + cond("isnull", "NAME") + "</and>")
    )
    assert errors[0].errorno == "DL02000001"


def test_timestamp_filter_uses_company_zone(call: Caller) -> None:
    # 06/15/2025 10:30:00 in Los Angeles (PDT) is 17:30:00Z, the shared second
    flt = (
        "<and>"
        + cond("greaterthanorequalto", "WHENMODIFIED", "06/15/2025 10:30:00")
        + cond("lessthan", "WHENMODIFIED", "06/15/2025 10:30:01")
        + "</and>"
    )
    ids = all_ids(call, "VENDOR", "VENDORID", flt, options="<showprivate>true</showprivate>")
    assert len(ids) == 55


def test_timestamps_render_in_company_zone_across_dst(call: Caller) -> None:
    data = call.data(
        query_xml(
            "CUSTOMER",
            ["CUSTOMERID", "WHENMODIFIED"],
            cond("in", "CUSTOMERID", "C00004", "C00005"),
            options=SHOW,
        )
    )
    # 08:30Z (PDT, UTC-7) and 09:30Z (PST, UTC-8) are both 01:30 local on fall-back day
    assert column(data, "CUSTOMER", "WHENMODIFIED") == [
        "11/02/2025 01:30:00",
        "11/02/2025 01:30:00",
    ]
    other = call.data(
        query_xml("CUSTOMER", ["WHENMODIFIED"], cond("equalto", "CUSTOMERID", "C00004")),
        timezone="UTC",
    )
    assert column(other, "CUSTOMER", "WHENMODIFIED") == ["11/02/2025 08:30:00"]


def test_ambiguous_local_literal_is_first_occurrence(call: Caller) -> None:
    ids = all_ids(
        call, "CUSTOMER", "CUSTOMERID", cond("equalto", "WHENMODIFIED", "11/02/2025 01:30:00"), SHOW
    )
    assert ids == ["C00004"]  # fold=0: the PDT occurrence (08:30Z)


def test_date_fields_render_and_filter_as_mm_dd_yyyy(call: Caller) -> None:
    data = call.data(
        query_xml("GLBATCH", ["RECORDNO", "BATCH_DATE"], cond("equalto", "RECORDNO", "1"))
    )
    (value,) = column(data, "GLBATCH", "BATCH_DATE")
    assert len(value) == 10
    assert value[2] == "/"
    assert value[5] == "/"
    same = all_ids(call, "GLBATCH", "RECORDNO", cond("equalto", "BATCH_DATE", value))
    assert "1" in same


def test_dot_path_relationship_field(call: Caller) -> None:
    data = call.data(
        query_xml(
            "APBILL",
            ["RECORDNO", "VENDORID", "VENDOR.NAME", "VENDOR.VENDTYPE"],
            cond("equalto", "VENDOR.NAME", "O'Brien &amp; Søn"),
            pagesize=2000,
        )
    )
    records = data.findall("APBILL")
    assert records
    assert {r.findtext("VENDORID") for r in records} == {"V00001"}
    assert {r.findtext("VENDOR.NAME") for r in records} == {"O'Brien & Søn"}


def test_aggregates_count_and_sum(call: Caller) -> None:
    xml = (
        "<query><object>APBILLITEM</object><select><field>RECORDKEY</field>"
        "<count><field>RECORDNO</field></count><sum><field>TRX_AMOUNT</field></sum></select>"
        + "<filter>"
        + cond("equalto", "RECORDKEY", "2")
        + "</filter></query>"
    )
    data = call.data(xml)
    (record,) = data.findall("APBILLITEM")
    lines = call.data(query_xml("APBILLITEM", ["TRX_AMOUNT"], cond("equalto", "RECORDKEY", "2")))
    amounts = column(lines, "APBILLITEM", "TRX_AMOUNT")
    assert record.findtext("COUNT.RECORDNO") == str(len(amounts))
    assert float(record.findtext("SUM.TRX_AMOUNT") or 0) == pytest.approx(sum(map(float, amounts)))


# ---------------------------------------------------------------- errors


def test_unqueryable_and_unknown_fields_exact_error(call: Caller) -> None:
    (error,) = call.error(query_xml("APBILL", ["RECORDNO", "PAYTOCONTACTNAME", "NOSUCHFIELD"]))
    assert error.errorno == "XL03000006"
    assert error.description2.startswith(
        "The following fields cannot be queried: [ apbill: [PAYTOCONTACTNAME, NOSUCHFIELD] ] "
        "[Support ID: "
    )
    assert error.description2.endswith("]")


def test_lookup_lists_the_unqueryable_field(call: Caller) -> None:
    data = call.data("<lookup><object>APBILL</object></lookup>")
    ids = [f.findtext("ID") for f in data.iter("Field")]
    assert "PAYTOCONTACTNAME" in ids
    assert "RECORDNO" in ids


def test_unknown_object(call: Caller) -> None:
    (error,) = call.error(query_xml("NOSUCHOBJ", ["RECORDNO"]))
    assert (error.errorno, error.description, error.description2) == (
        "XL03000009",
        "There was an error processing the function",
        "Object definition NOSUCHOBJ not found",
    )
    (legacy,) = call.error("<readByQuery><object>VENDOR9</object><query></query></readByQuery>")
    assert (legacy.errorno, legacy.description2) == (
        "Query Failed",
        "Object definition VENDOR9 not found",
    )


def test_permission_denied_for_restricted_object(call: Caller) -> None:
    denied = frozenset({"ARINVOICE"})
    (error,) = call.error(
        query_xml("ARINVOICE", ["RECORDNO"]), permissions=denied, user_id="readonly_user"
    )
    assert error.errorno == "PL04000005"
    assert error.description2.startswith(
        "You do not have permission for API operation READ_BY_QUERY on objects of type arinvoice"
    )
    assert "[Support ID: " in error.description2
    ok = call.data(query_xml("VENDOR", ["RECORDNO"]), permissions=denied)
    assert int(ok.get("totalcount", "0")) > 0


def test_select_star_is_refused(call: Caller) -> None:
    (error,) = call.error(query_xml("VENDOR", ["*"]))
    assert error.errorno == "DL02000001"


# ---------------------------------------------------------------- entities (docs/protocol.md §8)


def test_private_records_need_showprivate_at_top_level(call: Caller) -> None:
    shared = all_ids(call, "VENDOR", "VENDORID")
    everything = all_ids(call, "VENDOR", "VENDORID", options="<showprivate>true</showprivate>")
    private = sorted(set(everything) - set(shared))
    assert private == ["V00010", "V00020", "V00030", "V00050", "V00060", "V00070"]


def test_entity_session_sees_own_and_shared_records(call: Caller) -> None:
    shared = all_ids(call, "CUSTOMER", "CUSTOMERID")
    e100 = set(all_ids(call, "CUSTOMER", "CUSTOMERID")) | set()
    data = call.data(
        query_xml("CUSTOMER", ["CUSTOMERID", "MEGAENTITYID"], pagesize=2000), entity_id="E100"
    )
    entities = {r.findtext("MEGAENTITYID") for r in data.findall("CUSTOMER")}
    assert entities == {"", "E100"}
    ids = column(data, "CUSTOMER", "CUSTOMERID")
    assert set(shared) <= set(ids)
    assert len(ids) > len(e100)


# ---------------------------------------------------------------- readByQuery / readMore


def test_readbyquery_lowercase_shape_and_readmore_until_exhausted(call: Caller) -> None:
    first = call.data(
        "<readByQuery><object>GLACCOUNT</object><fields>RECORDNO,ACCOUNTNO</fields>"
        "<query></query><pagesize>10</pagesize></readByQuery>"
    )
    assert list(first.attrib) == ["listtype", "count", "totalcount", "numremaining", "resultId"]
    assert first.get("listtype") == "glaccount"
    assert (first.get("count"), first.get("totalcount"), first.get("numremaining")) == (
        "10",
        "35",
        "25",
    )
    assert [r.tag for r in first] == ["glaccount"] * 10
    seen = column(first, "glaccount", "ACCOUNTNO")
    result_id = first.get("resultId") or ""
    assert result_id
    while result_id:
        page = call.data(f"<readMore><resultId>{result_id}</resultId></readMore>")
        seen += column(page, "glaccount", "ACCOUNTNO")
        result_id = page.get("resultId") or ""
        if not result_id:
            assert page.get("numremaining") == "0"
    assert len(seen) == 35 == len(set(seen))
    (error,) = call.error(f"<readMore><resultId>{first.get('resultId')}</resultId></readMore>")
    assert error.errorno == "readMore failed"
    assert error.description2 == (
        f"Attempt to readMore with an invalid or expired resultId: {first.get('resultId')}"
    )


def test_readbyquery_pagesize_over_1000_is_clamped(call: Caller) -> None:
    data = call.data(
        "<readByQuery><object>GLDETAIL</object><fields>RECORDNO</fields><query></query><pagesize>5000</pagesize></readByQuery>"
    )
    assert data.get("count") == "1000"


def test_readmore_by_object_continues_last_listing(call: Caller) -> None:
    first = call.data(
        "<readByQuery><object>VENDOR</object><fields>RECORDNO</fields><query></query>"
        "<pagesize>20</pagesize></readByQuery>"
    )
    nxt = call.data("<readMore><object>VENDOR</object></readMore>")
    a = column(first, "vendor", "RECORDNO")
    b = column(nxt, "vendor", "RECORDNO")
    assert int(b[0]) > int(a[-1])
    assert len(b) == 20


READBYQUERY_CASES = [
    ("VENDORID = 'V00003'", ["V00003"]),
    ("VENDORID='V00003'", ["V00003"]),
    ("NAME = 'O\\'Brien & Søn'", ["V00001"]),
    ("NAME = 'Back\\\\slash Supplies'", ["V00007"]),
    ("VENDORID IN ('V00001','V00002', 'V99999')", ["V00001", "V00002"]),
    ("VENDORID NOT IN ('V00001') AND RECORDNO < 4", ["V00002", "V00003"]),
    ("VENDORID LIKE 'V0000_' AND RECORDNO <= 3", ["V00001", "V00002", "V00003"]),
    ("VENDORID not like 'V0000%' AND RECORDNO < 12", ["V00011"]),
    ("WHENMODIFIED IS NULL", ["V00071", "V00072", "V00073"]),
    ("NOT VENDORID = 'V00001' AND RECORDNO < 3", ["V00002"]),
    ("(VENDORID = 'V00001' OR VENDORID = 'V00002') AND STATUS = 'T'", ["V00001", "V00002"]),
    ("RECORDNO <= 2 and STATUS = 'active'", ["V00001", "V00002"]),
    ("STATUS = 'F' AND RECORDNO < 20", ["V00017"]),
    ("RECORDNO >= 3 AND RECORDNO <= 4", ["V00003", "V00004"]),
    ("", None),
]


@pytest.mark.parametrize(("query", "expected"), READBYQUERY_CASES)
def test_readbyquery_grammar(call: Caller, query: str, expected: list[str] | None) -> None:
    escaped = query.replace("&", "&amp;").replace("<", "&lt;")
    data = call.data(
        f"<readByQuery><object>VENDOR</object><fields>VENDORID</fields><query>{escaped}</query>"
        "<pagesize>1000</pagesize></readByQuery>"
    )
    ids = column(data, "vendor", "VENDORID")
    if expected is None:
        assert len(ids) == int(data.get("totalcount", "0")) > 50
    else:
        assert ids == expected


def test_readbyquery_internal_codes_for_audit_words(call: Caller) -> None:
    data = call.data(
        "<readByQuery><object>AUDITHISTORY</object><fields>OBJECTKEY,ACCESSMODE</fields>"
        "<query>OBJECTTYPE = 'vendor' AND ACCESSMODE = 'Delete'</query></readByQuery>"
    )
    assert column(data, "audithistory", "ACCESSMODE") == ["D", "D"]


def test_readbyquery_syntax_error(call: Caller) -> None:
    (error,) = call.error(
        "<readByQuery><object>VENDOR</object><query>VENDORID = = 'x'</query></readByQuery>"
    )
    assert error.errorno == "DL02000001"


# ---------------------------------------------------------------- read / readByName / meta


def test_read_nests_owned_lines(call: Caller) -> None:
    data = call.data("<read><object>GLBATCH</object><keys>3</keys><fields>*</fields></read>")
    assert (data.get("listtype"), data.get("count")) == ("GLBATCH", "1")
    (batch,) = data.findall("GLBATCH")
    entries = batch.find("ENTRIES")
    assert entries is not None
    lines = entries.findall("glentry")
    assert len(lines) == 6  # batch 3 has three debit/credit pairs
    debit = sum(float(x.findtext("TRX_AMOUNT") or 0) for x in lines if x.findtext("TR_TYPE") == "1")
    credit = sum(
        float(x.findtext("TRX_AMOUNT") or 0) for x in lines if x.findtext("TR_TYPE") == "-1"
    )
    assert debit == pytest.approx(credit)


def test_read_by_name_and_missing_keys(call: Caller) -> None:
    data = call.data(
        "<readByName><object>VENDOR</object><keys>V00002,NOPE</keys><fields>*</fields></readByName>"
    )
    assert data.get("count") == "1"
    (vendor,) = data.findall("VENDOR")
    assert vendor.findtext("NAME") == 'Müller "Quote" GmbH'
    empty = call.raw("<read><object>VENDOR</object><keys>999999</keys></read>")
    assert empty.body == '<data listtype="VENDOR" count="0"/>'


def test_inspect_star_and_detail(call: Caller) -> None:
    data = call.data("<inspect><object>*</object></inspect>")
    assert (data.get("listtype"), data.get("count")) == ("All", "1")
    names = [t.get("typename") for t in data.findall("type")]
    assert "project_budget" in names
    assert "GLDETAIL" in names
    assert len(names) >= 26
    brief = call.data("<inspect><object>EMPLOYEE</object></inspect>")
    (typ,) = brief.findall("Type")
    assert typ.get("Name") == "EMPLOYEE"
    assert [f.text for f in typ.iter("Field")][:2] == ["RECORDNO", "EMPLOYEEID"]
    detailed = call.data('<inspect detail="1"><object>CUSTOMER</object></inspect>')
    field = detailed.find("Type/Fields/Field")
    assert field is not None
    assert field.findtext("externalDataName") == "integer"
    (error,) = call.error("<inspect><object>CLASS1</object></inspect>")
    assert error.description2 == "Object type CLASS1 not found"


def test_lookup_shape(call: Caller) -> None:
    data = call.data("<lookup><object>GLBATCH</object></lookup>")
    typ = data.find("Type")
    assert typ is not None
    assert typ.get("Name") == "GLBATCH"
    assert typ.get("DocumentType") == ""
    state = next(f for f in typ.iter("Field") if f.findtext("ID") == "STATE")
    assert [c.tag for c in state] == [
        "ID",
        "LABEL",
        "DESCRIPTION",
        "REQUIRED",
        "READONLY",
        "DATATYPE",
        "VALIDVALUES",
        "ISCUSTOM",
    ]
    rel = typ.find("Relationships/Relationship")
    assert rel is not None
    assert rel.findtext("OBJECTNAME") == "GLJOURNAL"
    custom = call.data("<lookup><object>VENDOR</object></lookup>")
    tier = next(f for f in custom.iter("Field") if f.findtext("ID") == "VENDOR_RISK_TIER")
    assert tier.findtext("ISCUSTOM") == "true"


def test_keyset_or_filter_with_nulls_pages_in_oracle_order(call: Caller) -> None:
    """The tap's incremental filter shape: (range AND after-last) OR isnull, ordered by
    (WHENMODIFIED, RECORDNO); NULLs come last, and paging by offset is consistent."""
    rows = call.conn.execute(
        'SELECT "RECORDNO", "WHENMODIFIED" FROM "GLDETAIL" WHERE "MEGAENTITYID" IS NULL'
    ).fetchall()
    expected = [r[0] for r in sorted(rows, key=lambda r: (r[1] is None, r[1] or "", r[0]))]
    last = "2025-06-15T17:30:00Z"  # the shared second: 06/15/2025 10:30:00 local
    after = [
        r[0]
        for r in sorted(rows, key=lambda r: (r[1] is None, r[1] or "", r[0]))
        if r[1] is None or (r[1], r[0]) > (last, 1050)
    ]
    flt = (
        "<or><and>"
        + cond("greaterthanorequalto", "WHENMODIFIED", "01/01/2020 00:00:00")
        + cond("lessthanorequalto", "WHENMODIFIED", "12/31/2030 00:00:00")
        + "<or>"
        + cond("greaterthan", "WHENMODIFIED", "06/15/2025 10:30:00")
        + "<and>"
        + cond("equalto", "WHENMODIFIED", "06/15/2025 10:30:00")
        + cond("greaterthan", "RECORDNO", "1050")
        + "</and></or></and>"
        + cond("isnull", "WHENMODIFIED")
        + "</or>"
    )
    order = "<order><field>WHENMODIFIED</field></order><order><field>RECORDNO</field></order>"
    seen: list[int] = []
    offset = 0
    while True:
        data = call.data(
            query_xml("GLDETAIL", ["RECORDNO"], flt, pagesize=333, offset=offset, orderby=order)
        )
        page = [int(x) for x in column(data, "GLDETAIL", "RECORDNO")]
        seen += page
        offset += len(page)
        assert int(data.get("totalcount", "0")) == len(after)
        if data.get("numremaining") == "0":
            break
    assert seen == after
    assert seen[-5:] == [7, 8, 9, 10, 11]  # the NULL WHENMODIFIED rows, last, by RECORDNO
    everything = call.data(query_xml("GLDETAIL", ["RECORDNO"], pagesize=2000, orderby=order))
    assert [int(x) for x in column(everything, "GLDETAIL", "RECORDNO")] == expected[:2000]


def test_get_dimensions_shape(call: Caller) -> None:
    data = call.data("<getDimensions/>")
    dims = data.findall("dimensions/dimension")
    names = [d.findtext("objectName") for d in dims]
    assert {"DEPARTMENT", "LOCATION", "PROJECT", "CLASS"} <= set(names)
    assert [c.tag for c in dims[0]] == [
        "objectName",
        "objectLabel",
        "termLabel",
        "userDefinedDimension",
        "enabledInGL",
    ]


def test_user_permissions_match_query_permissions(call: Caller) -> None:
    data = call.data("<getUserPermissions><userId>readonly_user</userId></getUserPermissions>")
    policies = {p.findtext("policyName"): p.findtext("rights") for p in data.iter("policy")}
    assert "AR Invoices" not in policies  # the object the readonly user may not query
    assert policies["Vendors"] == "List|View"
    admin = call.data("<getUserPermissions><userId>sandbox_user</userId></getUserPermissions>")
    rights = {p.findtext("policyName"): p.findtext("rights") for p in admin.iter("policy")}
    assert rights["AR Invoices"] == "List|View|Add|Edit|Delete"
    assert rights["General Ledger Details"] == "List|View"
    apps = [a.findtext("applicationName") for a in admin.findall("permissions/appSubscription")]
    assert "Fixed Assets" not in apps
    assert "General Ledger" in apps
    (error,) = call.error("<getUserPermissions><userId>unittest</userId></getUserPermissions>")
    assert (error.errorno, error.description2, error.correction) == (
        "BL03000025",
        "Login ID unittest does not exist.",
        "Provide a valid USER.LOGINID value.",
    )


def _tap_pages(call: Caller, *, cold: bool) -> list[tuple[str, list[str]]]:
    """Page GLDETAIL like the tap's keyset cursor: (totalcount, RECORDNOs) per page."""
    from intacct_sandbox.queryengine import clear_caches

    order = "<order><field>WHENMODIFIED</field></order><order><field>RECORDNO</field></order>"
    last: tuple[str, str] | None = None
    pages: list[tuple[str, list[str]]] = []
    for _ in range(40):
        after = ""
        if last is not None:
            after = (
                "<or>"
                + cond("greaterthan", "WHENMODIFIED", last[0])
                + "<and>"
                + cond("equalto", "WHENMODIFIED", last[0])
                + cond("greaterthan", "RECORDNO", last[1])
                + "</and></or>"
            )
        flt = (
            "<or><and>"
            + cond("greaterthanorequalto", "WHENMODIFIED", "01/01/2000 00:00:00")
            + cond("lessthanorequalto", "WHENMODIFIED", "12/31/2030 00:00:00")
            + after
            + "</and>"
            + cond("isnull", "WHENMODIFIED")
            + "</or>"
        )
        if cold:
            clear_caches()
        data = call.data(
            query_xml(
                "GLDETAIL",
                ["RECORDNO", "WHENMODIFIED"],
                flt,
                pagesize=500,
                orderby=order,
                options=SHOW,
            )
        )
        page = [(r.findtext("WHENMODIFIED") or "", r.findtext("RECORDNO") or "") for r in data]
        pages.append((data.get("totalcount", ""), [k for _, k in page]))
        with_time = [p for p in page if p[0]]
        if with_time:
            last = with_time[-1]
        if data.get("numremaining") == "0":
            break
    return pages


def test_keyset_continuation_totals_match_a_fresh_count(call: Caller) -> None:
    """Tap-style keyset paging: totalcounts derived from cached ranks equal cold counts,
    and the pages cover every row exactly once."""
    warm = _tap_pages(call, cold=False)
    cold = _tap_pages(call, cold=True)
    assert warm == cold
    seen = [k for _, keys in warm for k in keys]
    expected = int(
        call.data(query_xml("GLDETAIL", ["RECORDNO"], options=SHOW)).get("totalcount", "0")
    )
    assert len(seen) == len(set(seen)) == expected
    assert len(warm) > 5


def test_caseinsensitive_range_with_orderby_keeps_all_matches(call: Caller) -> None:
    flt = cond("greaterthanorequalto", "NAME", "b")
    data = call.data(
        query_xml(
            "GLACCOUNT",
            ["TITLE"],
            "<and>" + flt.replace("NAME", "TITLE") + cond("like", "TITLE", "%") + "</and>",
            orderby="<order><field>TITLE</field></order>",
            options="<caseinsensitive>true</caseinsensitive>",
        )
    )
    titles = column(data, "GLACCOUNT", "TITLE")
    assert "Bank Fees" in titles  # 'bank fees' >= 'b' once lower-cased
    assert "Accounts Payable" not in titles


def test_aggregate_without_group_fields_is_one_row(call: Caller) -> None:
    xml = (
        "<query><object>GLACCOUNT</object><select><count><field>RECORDNO</field></count>"
        "<max><field>ACCOUNTNO</field></max></select></query>"
    )
    data = call.data(xml)
    assert (data.get("totalcount"), data.get("count")) == ("1", "1")
    (record,) = data.findall("GLACCOUNT")
    assert record.findtext("COUNT.RECORDNO") == "35"
    assert record.findtext("MAX.ACCOUNTNO") == "7100"


def test_escaping_follows_writes_into_clean_columns(tmp_path: Path) -> None:
    """Columns that never held & < > ' skip the escape test; a later write flips that."""
    path = tmp_path / "empty.db"
    seed.create_database(str(path), "empty", 1, ZONE)
    conn = db.connect(str(path))
    vendor = get_object("VENDOR")
    assert vendor is not None
    recno = db.insert_record(conn, vendor, {"VENDORID": "V1", "NAME": "Plain", "TAXID": "1"})
    local = Caller(conn)
    xml = query_xml("VENDOR", ["VENDORID", "NAME", "TAXID"], cond("equalto", "VENDORID", "V1"))
    assert column(local.data(xml), "VENDOR", "NAME") == ["Plain"]
    assert db.escape_columns(conn, vendor) == frozenset()
    db.update_record(conn, vendor, recno, {"NAME": "A & <B>", "TAXID": "x'y"})
    data = local.data(xml)
    assert column(data, "VENDOR", "NAME") == ["A & <B>"]
    assert column(data, "VENDOR", "TAXID") == ["x'y"]
    assert db.escape_columns(conn, vendor) == frozenset({"NAME", "TAXID"})


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "UTC"])
def test_sql_timestamp_rendering_matches_zoneinfo(conn: sqlite3.Connection, zone: str) -> None:
    from intacct_sandbox import values
    from intacct_sandbox.queryengine import prepare_connection, timestamp_sql

    prepare_connection(conn)
    samples = [
        "2025-11-02T08:30:00Z",
        "2025-11-02T09:30:00Z",
        "2025-03-09T09:59:59Z",
        "2025-03-09T10:00:00Z",
        "2025-03-30T00:59:59Z",
        "2025-03-30T01:00:00Z",
        "1985-06-01T12:00:00Z",
        "2075-06-01T12:00:00Z",
        "2040-12-31T23:59:59Z",
    ]
    for stored in samples:
        sql = f"WITH v(x) AS (SELECT ?) SELECT {timestamp_sql('v.x', zone)} FROM v"
        rendered = conn.execute(sql, [stored]).fetchone()[0]
        assert rendered == values.render_timestamp(stored, zone), stored


def test_read_returns_fields_query_refuses(call: Caller) -> None:
    data = call.data("<read><object>APBILL</object><keys>2</keys><fields>*</fields></read>")
    (bill,) = data.findall("APBILL")
    assert bill.findtext("PAYTOCONTACTNAME")  # listed by lookup, refused by query, read shows it
    named = call.data(
        "<read><object>APBILL</object><keys>2</keys><fields>RECORDNO,PAYTOCONTACTNAME</fields></read>"
    )
    assert [c.tag for c in named.findall("APBILL")[0]] == ["RECORDNO", "PAYTOCONTACTNAME"]
