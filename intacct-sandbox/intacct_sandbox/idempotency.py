"""uniqueid=true ledger: function controlids that already completed, persisted in SQLite.

The ledger row is written on the request's own connection inside the function's
transaction, so it commits exactly when the function's writes commit (a response lost
after commit still leaves the row, and the retry is answered as a repeat).
The table is keyed by its primary key alone (WITHOUT ROWID): one b-tree, so each write
function's commit carries one page fewer than with a rowid table plus its key index. A
file made before keeps its rowid table, which behaves the same.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS gateway_uniqueid_ledger (
    company_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    controlid TEXT NOT NULL,
    function TEXT NOT NULL,
    executed_at TEXT NOT NULL,
    PRIMARY KEY (company_id, sender_id, controlid)
) WITHOUT ROWID
"""


def ensure_ledger(conn: sqlite3.Connection) -> None:
    conn.execute(LEDGER_DDL)


def already_executed(
    conn: sqlite3.Connection, company_id: str, sender_id: str, controlid: str
) -> bool:
    row = conn.execute(
        "SELECT 1 FROM gateway_uniqueid_ledger "
        "WHERE company_id = ? AND sender_id = ? AND controlid = ?",
        (company_id, sender_id, controlid),
    ).fetchone()
    return row is not None


def record_execution(
    conn: sqlite3.Connection,
    *,
    company_id: str,
    sender_id: str,
    controlid: str,
    function: str,
    now: datetime,
) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO gateway_uniqueid_ledger "
        "(company_id, sender_id, controlid, function, executed_at) VALUES (?, ?, ?, ?, ?)",
        (company_id, sender_id, controlid, function, now.isoformat()),
    )
