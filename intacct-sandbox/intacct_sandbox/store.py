"""Data operations behind the control API (/_sandbox/*) and the shared audit writer.

`write_audit` is also what the write half calls for every create/update/delete, so all
AUDITHISTORY rows look alike: OBJECTTYPE lower-case object name, OBJECTKEY the RECORDNO
(LOGINID for USERINFO), ACCESSMODE code C/M/D, ACCESSTIME UTC. The `line_audit`,
`audit_objecttype` and `audit_accessmode` variants change which objects get rows and how
the two columns are spelled (`audit_spelling`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from intacct_sandbox import audit_spelling
from intacct_sandbox import seed as seeding
from intacct_sandbox.catalog import ObjectDef, all_objects, get_object
from intacct_sandbox.db import quote_ident, table, utc_text
from intacct_sandbox.values import utc_iso

ACCESS_MODES = {"create": "C", "modify": "M", "delete": "D", "access": "A"}


def _object(name: str) -> ObjectDef:
    obj = get_object(name)
    if obj is None:
        raise KeyError(f"Object definition {name} not found")
    return obj


def all_records(conn: sqlite3.Connection, object_name: str) -> list[dict[str, Any]]:
    """Every record of the object with raw stored values, ordered by RECORDNO."""
    obj = _object(object_name)
    cur = conn.execute(f"SELECT * FROM {table(obj)} ORDER BY {quote_ident(obj.key_field)}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def record_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        obj.name: int(conn.execute(f"SELECT COUNT(*) FROM {table(obj)}").fetchone()[0])
        for obj in all_objects()
    }


def user_login(conn: sqlite3.Connection, user_recordno: int | None) -> str:
    if user_recordno is None:
        return "system"
    row = conn.execute(
        'SELECT "LOGINID" FROM "USERINFO" WHERE "RECORDNO" = ?', (user_recordno,)
    ).fetchone()
    return str(row[0]) if row else str(user_recordno)


_AUDIT_INSERT = (
    'INSERT INTO "AUDITHISTORY" ("RECORDNO", "ID", "OBJECTTYPE", "OBJECTKEY", "OBJECTDESC", '
    '"USERID", "ACCESSTIME", "ACCESSMODE", "SOURCE", "WORKFLOWACTION", "IPADDRESS") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def write_audit(
    conn: sqlite3.Connection,
    object_name: str,
    object_key: str | int,
    access_mode: str,
    *,
    user_id: str,
    now: datetime,
    source: str = "api",
    description: str = "",
) -> int:
    """Append one AUDITHISTORY row; `access_mode` is a code (C/M/D) or word (create...)."""
    return write_audits(
        conn,
        object_name,
        [(object_key, description)],
        access_mode,
        user_id=user_id,
        now=now,
        source=source,
    )


def write_audits(
    conn: sqlite3.Connection,
    object_name: str,
    keys: Sequence[tuple[str | int, str]],
    access_mode: str,
    *,
    user_id: str,
    now: datetime,
    source: str = "api",
) -> int:
    """`write_audit` for several records of one object ((key, description) pairs), in
    order, as one statement; returns the first new RECORDNO (0 when `keys` is empty or
    the object is not audited under `line_audit`)."""
    if not keys or not audit_spelling.is_audited(object_name):
        return 0
    mode = ACCESS_MODES.get(access_mode.lower(), access_mode)
    first = int(
        conn.execute('SELECT COALESCE(MAX("RECORDNO"), 0) + 1 FROM "AUDITHISTORY"').fetchone()[0]
    )
    object_type = audit_spelling.object_type(object_name)
    when = utc_text(now)
    rows = [
        (
            first + offset,
            str(first + offset),
            object_type,
            str(object_key),
            description,
            user_id,
            when,
            audit_spelling.access_mode(mode, first + offset),
            source,
            None,
            "127.0.0.1",
        )
        for offset, (object_key, description) in enumerate(keys)
    ]
    if len(rows) == 1:
        conn.execute(_AUDIT_INSERT, rows[0])
    else:
        conn.executemany(_AUDIT_INSERT, rows)
    return first


def _audit_key(obj: ObjectDef, record: dict[str, Any]) -> str:
    if obj.name == "USERINFO":
        return str(record.get("LOGINID"))
    return str(record[obj.key_field])


def touch_records(
    conn: sqlite3.Connection, object_name: str, recordnos: Iterable[int], now: datetime
) -> int:
    """Set WHENMODIFIED=now on these records (Modify audit rows, source `system`).

    Objects without WHENMODIFIED (AUDITHISTORY) are left alone; returns rows changed."""
    obj = _object(object_name)
    keys = [int(k) for k in recordnos]
    changed = 0
    for key in keys:
        if not obj.has_whenmodified:
            break
        cur = conn.execute(
            f'UPDATE {table(obj)} SET "WHENMODIFIED" = ? WHERE {quote_ident(obj.key_field)} = ?',
            (utc_iso(now), key),
        )
        if cur.rowcount > 0:
            changed += 1
            if obj.name != "AUDITHISTORY":
                write_audit(conn, obj.name, key, "M", user_id="system", now=now, source="system")
    return changed


def delete_records(
    conn: sqlite3.Connection,
    object_name: str,
    recordnos: Iterable[int],
    now: datetime,
    user_recordno: int | None,
) -> int:
    """Delete records (and their owned lines) and write one Delete audit row per record.

    The RECORDNO high-water marks are fixed first, so a later create never reuses a
    deleted key (with `line_audit=unaudited` no audit row would remember a line's key)."""
    from intacct_sandbox.functions import recordnos as key_sequence  # imports this module

    obj = _object(object_name)
    login = user_login(conn, user_recordno)
    for marked in (obj, *(_object(owned.child_object) for owned in obj.owned)):
        key_sequence.pin(conn, marked)
    deleted = 0
    series: set[tuple[str | None, ...]] = set()
    for key in [int(k) for k in recordnos]:
        cur = conn.execute(
            f"SELECT * FROM {table(obj)} WHERE {quote_ident(obj.key_field)} = ?", (key,)
        )
        row = cur.fetchone()
        if row is None:
            continue
        record = dict(zip([d[0] for d in cur.description], row, strict=True))
        for owned in obj.owned:
            # Owned lines go with their header, and are audited like the API's deletes
            # audit them (only under line_audit=audited).
            child = _object(owned.child_object)
            parent = quote_ident(owned.parent_key_field)
            line_keys = [
                line_key
                for (line_key,) in conn.execute(
                    f"SELECT {quote_ident(child.key_field)} FROM {table(child)} WHERE {parent} = ?",
                    (key,),
                )
            ]
            conn.execute(f"DELETE FROM {table(child)} WHERE {parent} = ?", (key,))
            for line_key in line_keys:
                write_audit(conn, child.name, str(line_key), "D", user_id=login, now=now)
        conn.execute(f"DELETE FROM {table(obj)} WHERE {quote_ident(obj.key_field)} = ?", (key,))
        deleted += 1
        if obj.name == "GLDETAIL":
            from intacct_sandbox.functions import balances  # GLACCOUNTBALANCE follows it

            series.add(balances.series_of(record))
        if obj.name != "AUDITHISTORY":
            write_audit(conn, obj.name, _audit_key(obj, record), "D", user_id=login, now=now)
    if series:
        from intacct_sandbox.functions import balances

        balances.refresh(conn, series, now)
    return deleted


def create_database(
    path: str, seed: str = "demo", scale: int = 1, timezone: str = "America/Los_Angeles"
) -> None:
    """Schema + seed ("demo" or "empty") into a new SQLite file at `path`."""
    seeding.create_database(path, seed, scale, timezone)
