"""The write path's batched storage helpers, on a temp database without HTTP.

`db.insert_records` (GLDETAIL and line rows as executemany), `store.write_audits` (a
header's line audit rows in one statement) and the escape-tracking triggers (one WHEN
clause per table, body split into json_object chunks) must store exactly what the
row-by-row forms store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from intacct_sandbox import db, store, variants
from intacct_sandbox.catalog import ObjectDef, get_object
from sandbox_direct import call_context, run_in_savepoint, table_rows

NOW = datetime(2024, 3, 10, 18, 30, 5, tzinfo=timezone.utc)


def _object(name: str) -> ObjectDef:
    obj = get_object(name)
    assert obj is not None
    return obj


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(str(tmp_path / "batch.db"))
    db.create_schema(connection)
    db.create_escape_tracking(connection)
    db.create_change_tracking(connection)
    db.add_user(connection, "sandbox_user", "pw", 1)
    for name, values in (
        ("GLACCOUNT", {"ACCOUNTNO": "1000", "TITLE": "Cash"}),
        ("GLACCOUNT", {"ACCOUNTNO": "6000", "TITLE": "Office"}),
        ("GLJOURNAL", {"SYMBOL": "GJ", "TITLE": "General Journal"}),
    ):
        db.insert_record(connection, _object(name), values)
    yield connection
    connection.close()


@pytest.fixture
def audited_lines() -> Iterator[None]:
    """These tests check the rows written for owned lines, kept under line_audit=audited
    (tests/sandbox/test_audit_variants.py covers the default, headers only)."""
    with variants.overridden(line_audit="audited"):
        yield


def _escape_cols(conn: sqlite3.Connection, name: str) -> set[str]:
    return {
        r[0]
        for r in conn.execute("SELECT field FROM _sandbox_escape_cols WHERE object = ?", (name,))
    }


def test_escape_tracking_records_only_columns_that_held_markup(
    conn: sqlite3.Connection,
) -> None:
    invoice = _object("ARINVOICE")
    text_fields = [
        f.id
        for f in invoice.fields
        if f.datatype in {"TEXT", "ENUM"} and not db.computed(invoice, f.id)
    ]
    assert len(text_fields) > 60  # the trigger body needs a second json_object chunk
    first, late = text_fields[0], text_fields[-1]
    db.insert_record(conn, invoice, {"RECORDNO": 1, first: "plain", late: "also plain"})
    assert _escape_cols(conn, "ARINVOICE") == set()
    db.insert_record(conn, invoice, {"RECORDNO": 2, first: "Tom & Jerry", late: "a<b"})
    assert _escape_cols(conn, "ARINVOICE") == {first, late}
    middle = text_fields[30]
    assert db.update_record(conn, invoice, 1, {middle: "it's"})
    assert _escape_cols(conn, "ARINVOICE") == {first, late, middle}
    db.update_record(conn, invoice, 1, {middle: "clean again"})
    assert _escape_cols(conn, "ARINVOICE") == {first, late, middle}  # only ever grows


def test_escape_tracking_ignores_non_text_columns(conn: sqlite3.Connection) -> None:
    vendor = _object("VENDOR")
    db.insert_record(conn, vendor, {"VENDORID": "V&1", "NAME": "Plain", "RECORDNO": 5})
    assert _escape_cols(conn, "VENDOR") == {"VENDORID"}
    assert _escape_cols(conn, "ARINVOICE") == set()


def test_insert_records_matches_insert_record_row_for_row(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    detail = _object("GLDETAIL")
    rows: list[dict[str, Any]] = [
        {"RECORDNO": 10, "DESCRIPTION": "a", "BOOKID": "ACCRUAL", "amount_ignored": 1},
        {"RECORDNO": 11, "DESCRIPTION": "b", "BOOKID": "CASH"},
        {"RECORDNO": 12, "description": "c"},  # field names are case-insensitive
        {"RECORDNO": 13, "DESCRIPTION": "d", "BOOKID": "CASH"},
    ]
    db.insert_records(conn, detail, rows)
    other = db.connect(str(tmp_path / "one-by-one.db"))
    db.create_schema(other)
    for row in rows:
        db.insert_record(other, detail, row)
    assert table_rows(conn, "GLDETAIL") == table_rows(other, "GLDETAIL")
    assert [r["DESCRIPTION"] for r in table_rows(conn, "GLDETAIL")] == ["a", "b", "c", "d"]
    other.close()


@pytest.mark.usefixtures("audited_lines")
def test_write_audits_numbers_rows_like_single_writes(conn: sqlite3.Connection) -> None:
    store.write_audit(conn, "VENDOR", 7, "C", user_id="u", now=NOW, description="V7")
    first = store.write_audits(
        conn, "GLENTRY", [(1, ""), ("2", "two")], "create", user_id="u", now=NOW
    )
    assert store.write_audits(conn, "GLENTRY", [], "C", user_id="u", now=NOW) == 0
    audit = table_rows(conn, "AUDITHISTORY")
    assert first == 2
    assert [
        (r["RECORDNO"], r["ID"], r["OBJECTTYPE"], r["OBJECTKEY"], r["OBJECTDESC"]) for r in audit
    ] == [
        (1, "1", "vendor", "7", "V7"),
        (2, "2", "glentry", "1", ""),
        (3, "3", "glentry", "2", "two"),
    ]
    assert {(r["ACCESSMODE"], r["ACCESSTIME"], r["SOURCE"]) for r in audit} == {
        ("C", "2024-03-10T18:30:05Z", "api")
    }


@pytest.mark.usefixtures("audited_lines")
def test_journal_entry_lines_gldetail_and_audit_rows(conn: sqlite3.Connection) -> None:
    ctx = call_context(conn, NOW)
    entries = "".join(
        f"<GLENTRY><ACCOUNTNO>{account}</ACCOUNTNO><TR_TYPE>{tr}</TR_TYPE>"
        f"<TRX_AMOUNT>{amount}</TRX_AMOUNT><DESCRIPTION>{text}</DESCRIPTION></GLENTRY>"
        for account, tr, amount, text in (
            ("6000", 1, "10", "one"),
            ("6000", 1, "5", "two &amp; more"),
            ("1000", -1, "15", "three"),
        )
    )
    xml = (
        "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/01/2024</BATCH_DATE>"
        f"<BATCH_TITLE>t</BATCH_TITLE><ENTRIES>{entries}</ENTRIES></GLBATCH></create>"
    )
    outcome = run_in_savepoint(conn, xml, ctx)
    assert outcome.status == "success", outcome.errors
    batch = table_rows(conn, "GLBATCH")[0]
    lines = table_rows(conn, "GLENTRY")
    assert [(r["LINE_NO"], r["DESCRIPTION"], r["BATCHNO"]) for r in lines] == [
        (1, "one", batch["RECORDNO"]),
        (2, "two & more", batch["RECORDNO"]),
        (3, "three", batch["RECORDNO"]),
    ]
    assert {r["WHENCREATED"] for r in lines} == {"2024-03-10T18:30:05Z"}
    details = table_rows(conn, "GLDETAIL")
    assert len(details) == 6  # two books x three lines, keys reserved in one block
    keys = [r["RECORDNO"] for r in details]
    assert keys == list(range(keys[0], keys[0] + 6))
    assert {r["WHENMODIFIED"] for r in details} == {"2024-03-10T18:30:05Z"}
    assert "DESCRIPTION" in _escape_cols(conn, "GLENTRY")
    audit = [(r["OBJECTTYPE"], r["OBJECTKEY"]) for r in table_rows(conn, "AUDITHISTORY")]
    assert audit == [
        ("glbatch", str(batch["RECORDNO"])),
        *[("glentry", str(r["RECORDNO"])) for r in lines],
    ]


def test_failed_line_leaves_no_rows_and_no_audit(conn: sqlite3.Connection) -> None:
    ctx = call_context(conn, NOW)
    xml = (
        "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/01/2024</BATCH_DATE>"
        "<BATCH_TITLE>t</BATCH_TITLE><ENTRIES>"
        "<GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>5</TRX_AMOUNT></GLENTRY>"
        "<GLENTRY><ACCOUNTNO>9999</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>5</TRX_AMOUNT></GLENTRY>"
        "</ENTRIES></GLBATCH></create>"
    )
    outcome = run_in_savepoint(conn, xml, ctx)
    assert outcome.status == "failure"
    for name in ("GLBATCH", "GLENTRY", "GLDETAIL", "AUDITHISTORY"):
        assert table_rows(conn, name) == []


def _je(entries: list[tuple[str, int, str]], key: int | None = None) -> str:
    lines = "".join(
        f"<GLENTRY><ACCOUNTNO>{account}</ACCOUNTNO><TR_TYPE>{tr}</TR_TYPE>"
        f"<TRX_AMOUNT>{amount}</TRX_AMOUNT></GLENTRY>"
        for account, tr, amount in entries
    )
    verb = "create" if key is None else "update"
    recordno = "" if key is None else f"<RECORDNO>{key}</RECORDNO>"
    return (
        f"<{verb}><GLBATCH>{recordno}<JOURNAL>GJ</JOURNAL><BATCH_DATE>03/01/2024</BATCH_DATE>"
        f"<BATCH_TITLE>t</BATCH_TITLE><ENTRIES>{lines}</ENTRIES></GLBATCH></{verb}>"
    )


@pytest.mark.usefixtures("audited_lines")
def test_update_replacing_lines_audits_every_removed_line_and_detail_row(
    conn: sqlite3.Connection,
) -> None:
    ctx = call_context(conn, NOW)
    created = run_in_savepoint(conn, _je([("6000", 1, "5"), ("1000", -1, "5")]), ctx)
    assert created.status == "success", created.errors
    batch_key = table_rows(conn, "GLBATCH")[0]["RECORDNO"]
    old_lines = [r["RECORDNO"] for r in table_rows(conn, "GLENTRY")]
    old_details = [r["RECORDNO"] for r in table_rows(conn, "GLDETAIL")]
    assert len(old_details) == 4
    before = len(table_rows(conn, "AUDITHISTORY"))
    new_entries = [("6000", 1, "7"), ("6000", 1, "3"), ("1000", -1, "10")]
    updated = run_in_savepoint(conn, _je(new_entries, batch_key), ctx)
    assert updated.status == "success", updated.errors
    lines = table_rows(conn, "GLENTRY")
    assert [r["TRX_AMOUNT"] for r in lines] == ["7", "3", "10"]
    assert not set(old_lines) & {r["RECORDNO"] for r in lines}
    details = table_rows(conn, "GLDETAIL")
    assert len(details) == 6
    assert not set(old_details) & {r["RECORDNO"] for r in details}
    audit = [
        (r["OBJECTTYPE"], r["OBJECTKEY"], r["ACCESSMODE"])
        for r in table_rows(conn, "AUDITHISTORY")[before:]
    ]
    assert audit == [
        *[("glentry", str(key), "D") for key in old_lines],
        *[("glentry", str(r["RECORDNO"]), "C") for r in lines],
        ("glbatch", str(batch_key), "M"),
        *[("gldetail", str(key), "D") for key in old_details],
    ]
