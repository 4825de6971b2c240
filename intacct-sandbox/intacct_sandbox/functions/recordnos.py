"""RECORDNO allocation that never reuses the key of a deleted record.

SQLite's `INTEGER PRIMARY KEY` hands out MAX+1, so deleting the newest vendor and then
creating one would give the new vendor the dead one's RECORDNO; a tap that tracks deletes
through AUDITHISTORY would then see "80 deleted" followed by "80 created" and could drop
the live record. Intacct keys are never reused, so the sandbox keeps a high-water mark
per object in `_sandbox_recordno_seq`, seeded from the table and from the object's audit
rows (deletes made by the seed leave those), and pinned by every delete (`pin`). The
table is written on the request's connection, so a rolled-back function gives its
numbers back.
"""

from __future__ import annotations

import sqlite3

from intacct_sandbox import audit_spelling, db
from intacct_sandbox.catalog import ObjectDef

SEQUENCE_DDL = (
    "CREATE TABLE IF NOT EXISTS _sandbox_recordno_seq (object TEXT PRIMARY KEY, last INTEGER)"
)


def _table_max(conn: sqlite3.Connection, obj: ObjectDef) -> int:
    row = conn.execute(
        f"SELECT MAX({db.quote_ident(obj.key_field)}) FROM {db.table(obj)}"
    ).fetchone()
    return int(row[0] or 0)


def _audited_max(conn: sqlite3.Connection, obj: ObjectDef) -> int:
    types = audit_spelling.object_types_of(obj.name)
    marks = ", ".join("?" for _ in types)
    row = conn.execute(
        'SELECT MAX(CAST("OBJECTKEY" AS INTEGER)) FROM "AUDITHISTORY" '
        f'WHERE "OBJECTTYPE" IN ({marks})',
        types,
    ).fetchone()
    return int(row[0] or 0)


def next_recordno(conn: sqlite3.Connection, obj: ObjectDef) -> int:
    """The next unused RECORDNO of `obj` (higher than any it ever had)."""
    return reserve(conn, obj, 1)


def pin(conn: sqlite3.Connection, obj: ObjectDef) -> None:
    """Fix `obj`'s high-water mark before rows are deleted, so their keys are never
    handed out again (an unaudited line leaves no audit row to remember its key)."""
    reserve(conn, obj, 0)


def reserve(conn: sqlite3.Connection, obj: ObjectDef, count: int) -> int:
    """Reserve `count` consecutive unused RECORDNOs of `obj`; returns the first."""
    conn.execute(SEQUENCE_DDL)
    row = conn.execute(
        "SELECT last FROM _sandbox_recordno_seq WHERE object = ?", (obj.name,)
    ).fetchone()
    if row is None:
        last = max(_table_max(conn, obj), _audited_max(conn, obj))
    else:
        last = max(int(row[0]), _table_max(conn, obj))
    conn.execute(
        "INSERT OR REPLACE INTO _sandbox_recordno_seq (object, last) VALUES (?, ?)",
        (obj.name, last + max(count, 0)),
    )
    return last + 1
