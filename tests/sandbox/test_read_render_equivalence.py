"""The fast record rendering (one printf template per record) answers byte for byte like
the original `||`-chain rendering it replaced.

The original SQL rendering is kept below as the reference; each request runs twice through
the function seam on the same seeded database (once with the reference swapped in) and
the bodies must be equal. Rows with awkward values (XML specials, quotes, `%` and `%s`,
non-ASCII, empty strings, NULLs, decimals, dates, timestamps across DST and outside the
SQL-rendered years, private entity rows) are added to a demo seed first. A few exact
fragments pin the wire text itself, independently of the reference.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET
from intacct_sandbox import db, queryengine, seed, values, variants
from intacct_sandbox.catalog import FieldDef, get_object
from intacct_sandbox.db import quote_ident
from intacct_sandbox.functions import CallContext, FunctionOutcome, execute_function
from intacct_sandbox.functions import read as read_functions
from intacct_sandbox.results import ResultStore

ZONE = "America/Los_Angeles"
SPECIAL = "A & <B> \"q\" 'single' 100% %s %d ü € 日本"

# ---------------------------------------------------------------- reference (old) rendering


def _old_escaped_sql(expr: str) -> str:
    return (
        f"replace(replace(replace(replace({expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
        "'''', '&#039;')"
    )


def _old_needs_escape_check(fdef: FieldDef) -> bool:
    if fdef.datatype == "ENUM" and fdef.validvalues:
        return any(ch in v for v in fdef.validvalues for ch in "&<>'")
    return fdef.datatype in {"TEXT", "ENUM"}


def _old_column_xml_sql(name: str, fdef: FieldDef, expr: str, zone: str, *, clean: bool) -> str:
    kind = fdef.datatype
    if kind == "TIMESTAMP":
        field_zone, pattern = values.field_zone(fdef, zone), values.date_pattern()
        value = queryengine.timestamp_sql(expr, field_zone, pattern)
    elif kind == "DATE" and values.date_pattern() != "%m/%d/%Y":
        value = queryengine.date_sql(expr, values.date_pattern())
    elif kind == "DATE":
        value = (
            f"CASE WHEN {expr} IS NULL OR {expr} = '' THEN '' ELSE "
            f"substr({expr}, 6, 2) || '/' || substr({expr}, 9, 2) || '/' || substr({expr}, 1, 4)"
            " END"
        )
    elif not clean and _old_needs_escape_check(fdef):
        value = (
            f"CASE WHEN {expr} GLOB '*[&<>'']*' THEN {_old_escaped_sql(expr)} "
            f"ELSE COALESCE({expr}, '') END"
        )
    else:
        value = f"COALESCE({expr}, '')"
    return f"'<{name}>' || {value} || '</{name}>'"


def old_record_xml_sql(cs: queryengine.CompiledSelect, element: str, zone: str) -> str:
    parts = [f"'<{element}>'"]
    for col, expr in zip(cs.columns, cs.column_sql, strict=True):
        assert col.fdef is not None
        assert not col.aggregate
        clean = col.name in cs.clean_columns and expr == f"t.{quote_ident(col.fdef.id)}"
        parts.append(_old_column_xml_sql(col.name, col.fdef, expr, zone, clean=clean))
    parts.append(f"'</{element}>'")
    return " || ".join(parts)


# ---------------------------------------------------------------- database and callers


def _awkward_rows(conn: sqlite3.Connection) -> None:
    gldetail = get_object("GLDETAIL")
    vendor = get_object("VENDOR")
    apbill = get_object("APBILL")
    assert gldetail is not None
    assert vendor is not None
    assert apbill is not None
    base = {"ACCOUNTNO": "9999", "BOOKID": "ACCRUAL", "BATCH_NO": 9}
    rows: list[dict[str, Any]] = [
        {
            **base,
            "DESCRIPTION": SPECIAL,
            "ACCOUNTTITLE": "Plain",
            "AMOUNT": "1679615.93",
            "DEBITAMOUNT": "0.1",
            "CREDITAMOUNT": "5900",
            "TRX_AMOUNT": "-12.5",
            "ENTRY_DATE": "2025-03-09",
            "BATCH_DATE": "2024-02-29",
            "WHENCREATED": "2025-03-09T09:59:59Z",
            "WHENMODIFIED": "2025-11-02T08:30:00Z",
            "MODIFIED": "2025-11-02T09:30:00Z",
            "REFERENCENO": "%",
            "DOCNUMBER": "&&&",
            "ADJ": "true",
        },
        {
            **base,
            "DESCRIPTION": "",
            "ACCOUNTTITLE": None,
            "AMOUNT": None,
            "ENTRY_DATE": None,
            "BATCH_DATE": "",
            "WHENCREATED": "1985-06-01T12:00:00Z",
            "WHENMODIFIED": "2075-06-01T12:00:00Z",
            "MODIFIED": "",
            "REFERENCENO": "<>",
            "DOCNUMBER": "'",
        },
        {
            **base,
            "DESCRIPTION": "naïve café — ∑ 𝄞",
            "ACCOUNTTITLE": "x'y",
            "AMOUNT": "0",
            "ENTRY_DATE": "1999-12-31",
            "WHENCREATED": "2040-12-31T23:59:59Z",
            "WHENMODIFIED": "2025-03-30T01:00:00Z",
            "MEGAENTITYID": "E200",
            "MEGAENTITYKEY": 2,
            "DOCNUMBER": "%s%s%s",
        },
    ]
    for row in rows:
        db.insert_record(conn, gldetail, row)
    db.insert_record(
        conn,
        vendor,
        {"VENDORID": "V-SPECIAL", "NAME": SPECIAL, "STATUS": "active", "CREDITLIMIT": "10.50"},
    )
    db.insert_record(
        conn,
        apbill,
        {"RECORDID": "B-SPECIAL", "VENDORID": "V-SPECIAL", "DESCRIPTION": "50% <off>"},
    )


# Today's rendering, which the fragments below pin: the user's zone is the company's IANA
# zone with daylight saving, AUWHENCREATED in that zone too, US dates.
PINNED_VARIANTS = {"user_timezone": "iana", "auwhencreated_zone": "user"}
# Every non-default answer of the rendering variants at once.
OTHER_VARIANTS = {"timestamp_zone": "gmt", "date_format": "dd.mm.yyyy"}


@pytest.fixture(autouse=True)
def _pinned_variants() -> Iterator[None]:
    with variants.overridden(**PINNED_VARIANTS):
        yield


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("renderdb") / "demo.db"
    seed.create_database(str(path), "demo", 1, ZONE)
    conn = db.connect(str(path))
    try:
        _awkward_rows(conn)
    finally:
        conn.close()
    return path


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(str(db_path))
    yield connection
    connection.close()


def _call(
    conn: sqlite3.Connection, store: ResultStore, xml: str, entity: str | None
) -> FunctionOutcome:
    ctx = CallContext(
        conn=conn,
        company_id="SANDBOX-CO",
        user_id="sandbox_user",
        user_recordno=1,
        entity_id=entity,
        session_id="session-1",
        now=datetime(2025, 12, 1, tzinfo=timezone.utc),
        timezone=ZONE,
        permissions=frozenset(),
        request_host="http://127.0.0.1:8080",
        result_store=store,
    )
    element = SafeET.fromstring(xml)
    return execute_function(ctx, element.tag, element)


RESULT_ID = re.compile(r'resultId="[^"]*"')


def _listing(conn: sqlite3.Connection, xml: str, entity: str | None) -> list[str]:
    """Bodies of a request, followed through readMore until the listing ends."""
    store = ResultStore()
    queryengine.clear_caches()
    outcome = _call(conn, store, xml, entity)
    assert outcome.status == "success", outcome.errors
    bodies = [outcome.body]
    for _ in range(50):
        match = re.search(r'resultId="([^"]+)"', outcome.body)
        if not match:
            break
        outcome = _call(
            conn, store, f"<readMore><resultId>{match.group(1)}</resultId></readMore>", entity
        )
        assert outcome.status == "success", outcome.errors
        bodies.append(outcome.body)
    return [RESULT_ID.sub('resultId="x"', body) for body in bodies]


def _with_reference(monkeypatch: pytest.MonkeyPatch, run: Callable[[], list[str]]) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(queryengine, "record_xml_sql", old_record_xml_sql)
        patch.setattr(read_functions, "record_xml_sql", old_record_xml_sql)
        return run()


def _fields(name: str, *, queryable_only: bool = True) -> list[str]:
    obj = get_object(name)
    assert obj is not None
    return [f.id for f in (obj.queryable_fields if queryable_only else obj.fields)]


def _query(
    obj: str,
    fields: list[str],
    *,
    filter_xml: str = "",
    order: str = "<order><field>RECORDNO</field><ascending/></order>",
    options: str = "",
    pagesize: int = 2000,
    offset: int = 0,
) -> str:
    select = "".join(f"<field>{f}</field>" for f in fields)
    return (
        f"<query><object>{obj}</object><select>{select}</select>"
        f"{f'<filter>{filter_xml}</filter>' if filter_xml else ''}"
        f"<orderby>{order}</orderby><options>{options}</options>"
        f"<pagesize>{pagesize}</pagesize><offset>{offset}</offset></query>"
    )


WM_ORDER = (
    "<order><field>WHENMODIFIED</field><ascending/></order>"
    "<order><field>RECORDNO</field><ascending/></order>"
)

REQUESTS: list[tuple[str, str, str | None]] = [
    (
        "query-all-gldetail-private",
        _query(
            "GLDETAIL", _fields("GLDETAIL"), options="<showprivate>true</showprivate>", offset=5000
        ),
        None,
    ),
    (
        "query-gldetail-awkward-filter",
        _query(
            "GLDETAIL",
            ["RECORDNO", "DESCRIPTION", "AMOUNT", "ENTRY_DATE", "WHENMODIFIED", "DOCNUMBER"],
            filter_xml="<equalto><field>ACCOUNTNO</field><value>9999</value></equalto>",
            options="<showprivate>true</showprivate>",
        ),
        None,
    ),
    (
        "query-gldetail-wm-keyset",
        _query(
            "GLDETAIL",
            ["RECORDNO", "WHENMODIFIED", "WHENCREATED", "MODIFIED", "DESCRIPTION"],
            filter_xml=(
                "<greaterthanorequalto><field>WHENMODIFIED</field>"
                "<value>01/01/2000 00:00:00</value></greaterthanorequalto>"
            ),
            order=WM_ORDER,
            pagesize=700,
            offset=700,
        ),
        None,
    ),
    (
        "query-gldetail-keyset-continuation",
        _query(
            "GLDETAIL",
            ["RECORDNO", "WHENMODIFIED", "DESCRIPTION", "AMOUNT", "BATCH_DATE"],
            filter_xml=(
                "<and><greaterthanorequalto><field>WHENMODIFIED</field>"
                "<value>01/01/2000 00:00:00</value></greaterthanorequalto>"
                "<or><greaterthan><field>WHENMODIFIED</field><value>06/01/2025 00:00:00</value>"
                "</greaterthan><and><equalto><field>WHENMODIFIED</field>"
                "<value>06/01/2025 00:00:00</value></equalto><greaterthan><field>RECORDNO"
                "</field><value>10</value></greaterthan></and></or></and>"
            ),
            order=WM_ORDER,
            pagesize=500,
            offset=500,
        ),
        None,
    ),
    (
        "query-gldetail-descending-nulls",
        _query(
            "GLDETAIL",
            ["AMOUNT", "RECORDNO", "ACCOUNTTITLE", "BATCH_DATE"],
            order="<order><field>AMOUNT</field><descending/></order>",
            pagesize=300,
        ),
        None,
    ),
    (
        "query-gldetail-entity-session",
        _query("GLDETAIL", ["RECORDNO", "MEGAENTITYID", "DESCRIPTION", "DOCNUMBER"], offset=200),
        "E200",
    ),
    (
        "query-vendor-caseinsensitive-like",
        _query(
            "VENDOR",
            _fields("VENDOR"),
            filter_xml="<like><field>NAME</field><value>%a%</value></like>",
            options="<caseinsensitive>true</caseinsensitive>",
        ),
        None,
    ),
    (
        "query-apbill-relationship",
        _query("APBILL", ["RECORDNO", "VENDOR.NAME", "DESCRIPTION", "WHENDUE", "TOTALDUE"]),
        None,
    ),
    (
        "readbyquery-gldetail-all-fields",
        "<readByQuery><object>GLDETAIL</object><fields>*</fields><query></query>"
        "<pagesize>1000</pagesize></readByQuery>",
        None,
    ),
    (
        "readbyquery-vendor-fields-filter",
        "<readByQuery><object>VENDOR</object><fields>RECORDNO,NAME,CREDITLIMIT,WHENMODIFIED"
        "</fields><query>NAME LIKE '%' OR STATUS = 'active'</query><pagesize>7</pagesize>"
        "</readByQuery>",
        None,
    ),
    (
        "readbyquery-apbill-entity",
        "<readByQuery><object>APBILL</object><fields></fields><query></query>"
        "<pagesize>50</pagesize></readByQuery>",
        "E200",
    ),
]


@pytest.mark.parametrize(("name", "xml", "entity"), REQUESTS, ids=[r[0] for r in REQUESTS])
def test_new_rendering_matches_reference(
    conn: sqlite3.Connection,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    xml: str,
    entity: str | None,
) -> None:
    new = _listing(conn, xml, entity)
    old = _with_reference(monkeypatch, lambda: _listing(conn, xml, entity))
    assert sum(body.count("</") for body in new) > 0, name
    assert len(new) == len(old)
    for new_body, old_body in zip(new, old, strict=True):
        assert new_body == old_body


@pytest.mark.parametrize(
    "assignments",
    [{}, OTHER_VARIANTS, {"date_format": "dd/mm/yyyy", "auwhencreated_zone": "gmt"}],
    ids=["defaults", "gmt-dotted-dates", "slashed-day-first"],
)
@pytest.mark.parametrize("request_", REQUESTS[:4], ids=[r[0] for r in REQUESTS[:4]])
def test_new_rendering_matches_reference_under_variants(
    conn: sqlite3.Connection,
    monkeypatch: pytest.MonkeyPatch,
    assignments: dict[str, str],
    request_: tuple[str, str, str | None],
) -> None:
    name, xml, entity = request_
    with variants.overridden(**{**variants.defaults(), **assignments}):
        queryengine.clear_caches()
        new = _listing(conn, xml, entity)
        old = _with_reference(monkeypatch, lambda: _listing(conn, xml, entity))
    queryengine.clear_caches()
    assert sum(body.count("</") for body in new) > 0, name
    assert new == old


def test_awkward_values_on_the_wire(conn: sqlite3.Connection) -> None:
    (body,) = _listing(
        conn,
        _query(
            "GLDETAIL",
            [
                "DESCRIPTION",
                "ACCOUNTTITLE",
                "AMOUNT",
                "DEBITAMOUNT",
                "ENTRY_DATE",
                "BATCH_DATE",
                "WHENCREATED",
                "WHENMODIFIED",
                "MODIFIED",
                "REFERENCENO",
                "DOCNUMBER",
            ],
            filter_xml="<equalto><field>ACCOUNTNO</field><value>9999</value></equalto>",
            options="<showprivate>true</showprivate>",
        ),
        None,
    )
    escaped = 'A &amp; &lt;B&gt; "q" &#039;single&#039; 100% %s %d \u00fc \u20ac \u65e5\u672c'
    assert (
        "<GLDETAIL>"
        f"<DESCRIPTION>{escaped}</DESCRIPTION><ACCOUNTTITLE>Plain</ACCOUNTTITLE>"
        "<AMOUNT>1679615.93</AMOUNT><DEBITAMOUNT>0.1</DEBITAMOUNT>"
        "<ENTRY_DATE>03/09/2025</ENTRY_DATE><BATCH_DATE>02/29/2024</BATCH_DATE>"
        "<WHENCREATED>03/09/2025 01:59:59</WHENCREATED>"
        "<WHENMODIFIED>11/02/2025 01:30:00</WHENMODIFIED>"
        "<MODIFIED>11/02/2025 01:30:00</MODIFIED>"
        "<REFERENCENO>%</REFERENCENO><DOCNUMBER>&amp;&amp;&amp;</DOCNUMBER>"
        "</GLDETAIL>"
    ) in body
    assert (
        "<GLDETAIL><DESCRIPTION></DESCRIPTION><ACCOUNTTITLE></ACCOUNTTITLE><AMOUNT></AMOUNT>"
        "<DEBITAMOUNT></DEBITAMOUNT><ENTRY_DATE></ENTRY_DATE><BATCH_DATE></BATCH_DATE>"
        "<WHENCREATED>06/01/1985 05:00:00</WHENCREATED>"
        "<WHENMODIFIED>06/01/2075 05:00:00</WHENMODIFIED><MODIFIED></MODIFIED>"
        "<REFERENCENO>&lt;&gt;</REFERENCENO><DOCNUMBER>&#039;</DOCNUMBER></GLDETAIL>"
    ) in body
    assert (
        "<DESCRIPTION>na\u00efve caf\u00e9 \u2014 \u2211 \U0001d11e</DESCRIPTION>"
        "<ACCOUNTTITLE>x&#039;y</ACCOUNTTITLE><AMOUNT>0</AMOUNT><DEBITAMOUNT></DEBITAMOUNT>"
        "<ENTRY_DATE>12/31/1999</ENTRY_DATE><BATCH_DATE></BATCH_DATE>"
        "<WHENCREATED>12/31/2040 15:59:59</WHENCREATED>"
        "<WHENMODIFIED>03/29/2025 18:00:00</WHENMODIFIED><MODIFIED></MODIFIED>"
        "<REFERENCENO></REFERENCENO><DOCNUMBER>%s%s%s</DOCNUMBER>"
    ) in body


def test_wide_records_span_several_printf_calls(conn: sqlite3.Connection) -> None:
    """More columns than one printf call takes: the record is still one element."""
    fields = ["RECORDNO", *(["DESCRIPTION", "AMOUNT", "WHENMODIFIED"] * 60)]
    obj = get_object("GLDETAIL")
    assert obj is not None
    cs = queryengine.compile_select(
        obj,
        [queryengine.SelectItem(f) for f in fields],
        None,
        [("RECORDNO", False)],
        zone=ZONE,
        entity_id=None,
        showprivate=True,
    )
    queryengine.prepare_connection(conn)
    new_sql = f"SELECT {queryengine.record_xml_sql(cs, 'GLDETAIL', ZONE)} {cs.from_where}"
    old_sql = f"SELECT {old_record_xml_sql(cs, 'GLDETAIL', ZONE)} {cs.from_where}"
    order = f" ORDER BY {cs.order_by} LIMIT 50"
    new_rows = conn.execute(new_sql + order, cs.params).fetchall()
    assert len(new_rows) == 50
    assert new_rows == conn.execute(old_sql + order, cs.params).fetchall()
    assert new_rows[0][0].count("<DESCRIPTION>") == 60
