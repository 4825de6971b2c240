"""AUDITHISTORY under the line_audit, audit_accessmode and audit_objecttype variants.

Every write path is exercised (generic create/update/delete, legacy functions, the
control API's delete and touch) on a copy of the demo seed, in-process; the rows each
path adds are checked against the variant: which objects get rows at all, and how
OBJECTTYPE and ACCESSMODE are spelled.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET
from intacct_sandbox import audit_spelling, db, store, variants
from intacct_sandbox.functions import FunctionOutcome
from sandbox_direct import call_context, run_in_savepoint, table_rows

NOW = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
LINES = "<GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>{0}</TRX_AMOUNT>"
LINES += "</GLENTRY><GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE>"
LINES += "<TRX_AMOUNT>{0}</TRX_AMOUNT></GLENTRY>"


@pytest.fixture
def conn(demo_conn: sqlite3.Connection) -> sqlite3.Connection:
    """A private copy of the demo seed (tests/sandbox/conftest.py)."""
    return demo_conn


def run(conn: sqlite3.Connection, xml: str) -> FunctionOutcome:
    outcome = run_in_savepoint(conn, xml, call_context(conn, NOW))
    assert outcome.status == "success", (xml[:80], outcome.errors)
    return outcome


def audit_after(conn: sqlite3.Connection, recordno: int) -> list[dict[str, Any]]:
    return table_rows(conn, "AUDITHISTORY", '"RECORDNO" > ?', recordno)


def last_audit(conn: sqlite3.Connection) -> int:
    return int(conn.execute('SELECT MAX("RECORDNO") FROM "AUDITHISTORY"').fetchone()[0] or 0)


def newest(conn: sqlite3.Connection, obj: str) -> int:
    return int(conn.execute(f'SELECT MAX("RECORDNO") FROM "{obj}"').fetchone()[0])


def every_write_path(conn: sqlite3.Connection) -> None:
    """Creates, line replacements and deletes through every path that writes."""
    run(
        conn,
        "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/01/2024</BATCH_DATE>"
        f"<BATCH_TITLE>t</BATCH_TITLE><ENTRIES>{LINES.format(5)}</ENTRIES></GLBATCH></create>",
    )
    batch = newest(conn, "GLBATCH")
    run(
        conn,
        f"<update><GLBATCH><RECORDNO>{batch}</RECORDNO><ENTRIES>{LINES.format(7)}</ENTRIES>"
        "</GLBATCH></update>",
    )
    run(conn, f"<delete><object>GLBATCH</object><keys>{batch}</keys></delete>")
    run(conn, "<delete><object>APBILL</object><keys>150</keys></delete>")
    run(
        conn,
        "<create_gltransaction><journalid>GJ</journalid>"
        "<datecreated><year>2024</year><month>5</month><day>2</day></datecreated>"
        "<description>legacy je</description><gltransactionentries>"
        "<glentry><trtype>debit</trtype><amount>5</amount><glaccountno>6000</glaccountno>"
        "</glentry><glentry><trtype>credit</trtype><amount>5</amount>"
        "<glaccountno>1000</glaccountno></glentry></gltransactionentries>"
        "</create_gltransaction>",
    )
    legacy = newest(conn, "GLBATCH")
    run(conn, f"<delete_gltransaction key='{legacy}'/>")
    store.touch_records(conn, "GLENTRY", [1, 2], NOW)
    store.delete_records(conn, "ARINVOICE", [120], NOW, 1)


def test_unaudited_lines_leave_header_rows_only_on_every_path(conn: sqlite3.Connection) -> None:
    before = last_audit(conn)
    with variants.overridden(line_audit="unaudited"):
        every_write_path(conn)
    rows = audit_after(conn, before)
    types = [row["OBJECTTYPE"] for row in rows]
    assert not {t.upper() for t in types} & audit_spelling.line_objects()
    modes = [(row["OBJECTTYPE"], row["ACCESSMODE"]) for row in rows]
    assert modes.count(("glbatch", "C")) == 2
    assert modes.count(("glbatch", "D")) == 2
    assert ("glbatch", "M") in modes
    assert ("apbill", "D") in modes
    assert ("arinvoice", "D") in modes


def test_audited_lines_leave_rows_for_lines_and_detail(conn: sqlite3.Connection) -> None:
    before = last_audit(conn)
    with variants.overridden(line_audit="audited"):
        every_write_path(conn)
    kinds = {(row["OBJECTTYPE"], row["ACCESSMODE"]) for row in audit_after(conn, before)}
    for kind in (
        ("glentry", "C"),
        ("glentry", "D"),
        ("glentry", "M"),
        ("gldetail", "D"),
        ("apbillitem", "D"),
        ("arinvoiceitem", "D"),
    ):
        assert kind in kinds, kind


def test_words_mix_the_spellings_and_legacy_names_replace_object_names(
    conn: sqlite3.Connection,
) -> None:
    before = last_audit(conn)
    with variants.overridden(audit_accessmode="words", audit_objecttype="legacy"):
        every_write_path(conn)
        for name in ("MX1", "MX2"):
            run(conn, f"<create><CLASS><CLASSID>{name}</CLASSID><NAME>n</NAME></CLASS></create>")
            run(
                conn, f"<delete><object>CLASS</object><keys>{newest(conn, 'CLASS')}</keys></delete>"
            )
    rows = audit_after(conn, before)
    by_mode: dict[str, set[str]] = {}
    for row in rows:
        by_mode.setdefault(row["OBJECTTYPE"], set()).add(row["ACCESSMODE"])
    assert set(by_mode) == {"journal", "bill", "invoice", "class"}  # lines: unaudited
    spelled = {row["ACCESSMODE"] for row in rows}
    assert spelled <= {w for words in audit_spelling.ACCESS_MODE_WORDS.values() for w in words}
    deletes = {row["ACCESSMODE"] for row in rows if row["ACCESSMODE"].startswith("Delet")}
    assert deletes == {"Delete", "Deleted", "Delete Event"}
    assert {"Create", "Created"} & spelled
    assert {"Modify", "Modified"} & spelled


def test_keys_are_not_reused_after_a_delete_audited_under_a_legacy_name(
    conn: sqlite3.Connection,
) -> None:
    with variants.overridden(audit_objecttype="legacy"):
        top = newest(conn, "GLBATCH")
        store.delete_records(conn, "GLBATCH", [top], NOW, 1)
        lines_top = newest(conn, "GLENTRY")
        run(
            conn,
            "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/01/2024</BATCH_DATE>"
            f"<BATCH_TITLE>t</BATCH_TITLE><ENTRIES>{LINES.format(1)}</ENTRIES></GLBATCH>"
            "</create>",
        )
    assert newest(conn, "GLBATCH") > top
    assert min(r["RECORDNO"] for r in table_rows(conn, "GLENTRY", '"BATCHNO" > ?', top)) > (
        lines_top
    )


def test_the_seed_follows_the_variants(tmp_path: Path) -> None:
    path = tmp_path / "words.db"
    with variants.overridden(audit_accessmode="words", audit_objecttype="legacy"):
        store.create_database(str(path), "demo", 1, "America/Los_Angeles")
    conn = db.connect(str(path))
    try:
        rows = table_rows(conn, "AUDITHISTORY")
    finally:
        conn.close()
    types = {row["OBJECTTYPE"] for row in rows}
    assert {"journal", "bill", "invoice", "vendor"} <= types
    assert not {"glbatch", "apbill", "arinvoice"} & types
    modes = {row["ACCESSMODE"] for row in rows}
    assert modes >= {"Create", "Created"}
    assert modes & {"Delete", "Deleted", "Delete Event"}
    assert not modes & {"C", "M", "D"}


@pytest.mark.parametrize("path", ["gateway", "control API"])
def test_unaudited_line_keys_are_not_reused_after_a_delete(
    conn: sqlite3.Connection, path: str
) -> None:
    top_line = newest(conn, "ARINVOICEITEM")
    (owner,) = {
        r["RECORDKEY"] for r in table_rows(conn, "ARINVOICEITEM", '"RECORDNO" = ?', top_line)
    }
    top_detail = newest(conn, "GLDETAIL")
    with variants.overridden(line_audit="unaudited"):
        if path == "gateway":
            run(conn, f"<delete><object>ARINVOICE</object><keys>{owner}</keys></delete>")
        else:
            store.delete_records(conn, "ARINVOICE", [owner], NOW, 1)
        run(
            conn,
            "<create_invoice><customerid>C00002</customerid>"
            "<datecreated><year>2024</year><month>5</month><day>31</day></datecreated>"
            "<datedue><year>2024</year><month>6</month><day>30</day></datedue>"
            "<invoiceitems><lineitem><glaccountno>4000</glaccountno><amount>3</amount>"
            "</lineitem></invoiceitems></create_invoice>",
        )
    assert newest(conn, "ARINVOICEITEM") > top_line
    assert not table_rows(conn, "ARINVOICEITEM", '"RECORDNO" = ?', top_line)
    assert newest(conn, "GLDETAIL") > top_detail


def _answered_modes(outcome: FunctionOutcome) -> list[str]:
    root = SafeET.fromstring(f"<r>{outcome.body}</r>")
    return [(e.text or "") for e in root.iter() if e.tag == "ACCESSMODE"]


def test_filters_compare_with_the_stored_words(conn: sqlite3.Connection) -> None:
    with variants.overridden(audit_accessmode="words"):
        for name in ("MW1", "MW2", "MW3"):
            run(conn, f"<create><CLASS><CLASSID>{name}</CLASSID><NAME>n</NAME></CLASS></create>")
            key = newest(conn, "CLASS")
            run(conn, f"<delete><object>CLASS</object><keys>{key}</keys></delete>")
        words = "".join(f"<value>{w}</value>" for w in ("Delete", "Deleted", "Delete Event"))
        queried = run(
            conn,
            "<query><object>AUDITHISTORY</object><select><field>ACCESSMODE</field></select>"
            "<filter><and><equalto><field>OBJECTTYPE</field><value>class</value></equalto>"
            f"<in><field>ACCESSMODE</field>{words}</in></and></filter></query>",
        )
        by_code = run(
            conn,
            "<query><object>AUDITHISTORY</object><select><field>ACCESSMODE</field></select>"
            "<filter><and><equalto><field>OBJECTTYPE</field><value>class</value></equalto>"
            "<equalto><field>ACCESSMODE</field><value>D</value></equalto></and></filter>"
            "</query>",
        )
        legacy = run(
            conn,
            "<readByQuery><object>AUDITHISTORY</object><fields>ACCESSMODE</fields>"
            "<query>OBJECTTYPE = 'class' AND ACCESSMODE = 'Delete Event'</query>"
            "</readByQuery>",
        )
    assert sorted(_answered_modes(queried)) == ["Delete", "Delete Event", "Deleted"]
    assert _answered_modes(by_code) == []
    assert _answered_modes(legacy) == ["Delete Event"]
