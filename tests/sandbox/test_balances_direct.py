"""GLACCOUNTBALANCE kept in step with GLDETAIL, through `execute_function` on a seeded copy.

A posted journal entry changes exactly the balance rows of its accounts (the month it is
dated in and the running balances after it), leaves every other row as it was, and
deleting it restores the seeded values; a process started with the other
`glaccountbalance_rows` variant rebuilds the table for it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET
from intacct_sandbox import db, store, variants
from intacct_sandbox.functions import balances
from sandbox_direct import call_context, run_in_savepoint, table_rows

NOW = datetime(2026, 1, 10, 12, 0, 0, tzinfo=timezone.utc)
AMOUNT = Decimal("1234.56")
JE = (
    "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/20/2025</BATCH_DATE>"
    "<BATCH_TITLE>Balance refresh</BATCH_TITLE><ENTRIES>"
    "<GLENTRY><ACCOUNTNO>6100</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>1234.56</TRX_AMOUNT>"
    "<LOCATION>E100</LOCATION></GLENTRY>"
    "<GLENTRY><ACCOUNTNO>2100</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>1234.56</TRX_AMOUNT>"
    "<LOCATION>E100</LOCATION></GLENTRY>"
    "</ENTRIES></GLBATCH></create>"
)


@pytest.fixture
def conn(demo_conn: sqlite3.Connection) -> sqlite3.Connection:
    """A private copy of the demo seed (tests/sandbox/conftest.py)."""
    return demo_conn


def by_key(conn: sqlite3.Connection) -> dict[tuple[Any, ...], dict[str, Any]]:
    rows = table_rows(conn, "GLACCOUNTBALANCE")
    return {(*(row[name] for name in balances.SERIES), row["PERIOD"]): row for row in rows}


def run(conn: sqlite3.Connection, xml: str) -> str:
    outcome = run_in_savepoint(conn, xml, call_context(conn, NOW))
    assert outcome.status == "success", outcome.errors
    return outcome.body


def test_posting_and_deleting_refresh_exactly_the_touched_rows(conn: sqlite3.Connection) -> None:
    before = by_key(conn)
    body = run(conn, JE)
    recordno = int(SafeET.fromstring(f"<r>{body}</r>").findtext(".//RECORDNO") or 0)
    assert recordno
    after = by_key(conn)
    changed = {key for key in after if before.get(key) != after[key]}
    # both books, both accounts, March 2025 and every later month of 2025
    assert {(key[0], key[1]) for key in changed} == {
        (account, book) for account in ("6100", "2100") for book in ("ACCRUAL", "CASH")
    }
    months = {key[-1] for key in changed}
    assert months == {balances.month_name(2025, m) for m in range(3, 13)}
    for key in changed:
        row = after[key]
        assert row["WHENMODIFIED"] == "2026-01-10T12:00:00Z"
        sign = Decimal(1) if key[0] == "6100" else Decimal(-1)
        old = before.get(key)
        old_end = Decimal(old["ENDBAL"]) if old else Decimal(0)
        assert Decimal(row["ENDBAL"]) - old_end == sign * AMOUNT
        if key[-1] == balances.month_name(2025, 3):
            moved = "TOTDEBIT" if sign > 0 else "TOTCREDIT"
            old_moved = Decimal(old[moved]) if old else Decimal(0)
            assert Decimal(row[moved]) - old_moved == AMOUNT
        if old is not None:
            assert row["RECORDNO"] == old["RECORDNO"]  # the row is updated in place
    run(conn, f"<delete><object>GLBATCH</object><keys>{recordno}</keys></delete>")
    restored = by_key(conn)
    assert set(restored) == set(before)
    for key, row in before.items():
        for name in balances.AMOUNTS:
            assert restored[key][name] == row[name], (key, name)


def test_another_row_variant_rebuilds_the_table(conn: sqlite3.Connection) -> None:
    dense = by_key(conn)
    assert db.get_meta(conn, balances.META_KEY) == "balance"
    with variants.overridden(glaccountbalance_rows="activity"):
        balances.install(conn)
    sparse = by_key(conn)
    assert db.get_meta(conn, balances.META_KEY) == "activity"
    active = {key for key, row in dense.items() if any(
        Decimal(row[name]) for name in ("TOTDEBIT", "TOTCREDIT", "TOTADJDEBIT", "TOTADJCREDIT")
    )}  # fmt: skip
    assert set(sparse) == active
    assert len(sparse) < len(dense)
    for key in sparse:
        for name in balances.AMOUNTS:
            assert sparse[key][name] == dense[key][name]
    balances.install(conn)  # back to the default: the dense rows again
    assert set(by_key(conn)) == set(dense)


def test_lines_outside_every_period_have_no_balance(conn: sqlite3.Connection) -> None:
    before = by_key(conn)
    run(conn, JE.replace("03/20/2025", "03/20/2031"))
    assert by_key(conn).keys() == before.keys()


def test_control_api_deletes_of_gldetail_refresh_the_balances(conn: sqlite3.Connection) -> None:
    line = table_rows(conn, "GLDETAIL", '"ACCOUNTNO" = ? AND "BOOKID" = ?', "1000", "CASH")[0]
    before = by_key(conn)
    conn.execute("BEGIN IMMEDIATE")
    store.delete_records(conn, "GLDETAIL", [int(line["RECORDNO"])], NOW, 1)
    conn.execute("COMMIT")
    after = by_key(conn)
    changed = {key for key in set(before) | set(after) if before.get(key) != after.get(key)}
    assert changed
    assert {(key[0], key[1]) for key in changed} == {("1000", "CASH")}
    net = Decimal(line["DEBITAMOUNT"] or 0) - Decimal(line["CREDITAMOUNT"] or 0)
    last = balances.month_name(2025, 12)
    december = [key for key in before if key[0] == "1000" and key[1] == "CASH" and key[-1] == last]
    total_before = sum(Decimal(before[key]["ENDBAL"]) for key in december)
    total_after = sum(Decimal(after[key]["ENDBAL"]) for key in december if key in after)
    assert total_before - total_after == net
