"""Attachments: `create_supdocfolder`, `create_supdoc`, `update_supdoc`, `delete_supdoc`
and the legacy records `get_list`/`get` show for them (docs/protocol.md §4.11; PS and FYLE shapes).

Attachments are not catalog objects, so they live in three sandbox tables
created on first use: `_sandbox_supdocfolder`, `_sandbox_supdoc` and
`_sandbox_supdoc_attachment` (base64 data kept as sent). They are written through the
request's connection, so they roll back with the function like every other write, and
every write leaves an AUDITHISTORY row (OBJECTTYPE `supdoc` / `supdocfolder`).
"""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from intacct_sandbox import db, values, variants
from intacct_sandbox.functions import audit
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.common import (
    CallContext,
    FunctionError,
    FunctionOutcome,
    child_text,
    find_child,
    register,
)
from intacct_sandbox.store import write_audit
from intacct_sandbox.xmlout import element, wrap

SUPDOC_DDL = (
    """CREATE TABLE IF NOT EXISTS _sandbox_supdocfolder (
        recordno INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT,
        parentname TEXT, creationdate TEXT NOT NULL, createdby TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS _sandbox_supdoc (
        recordno INTEGER PRIMARY KEY, supdocid TEXT NOT NULL UNIQUE, supdocname TEXT,
        folder TEXT, description TEXT, creationdate TEXT NOT NULL, createdby TEXT NOT NULL,
        whenmodified TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS _sandbox_supdoc_attachment (
        recordno INTEGER PRIMARY KEY, supdoc INTEGER NOT NULL, position INTEGER NOT NULL,
        attachmentname TEXT, attachmenttype TEXT, attachmentdata TEXT)""",
)


def tables_exist(conn: sqlite3.Connection) -> bool:
    """Reads never create tables (get_list/get run in a read transaction)."""
    row = conn.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
        "('_sandbox_supdoc', '_sandbox_supdocfolder', '_sandbox_supdoc_attachment')"
    ).fetchone()
    return int(row[0]) == len(SUPDOC_DDL)


def ensure_supdoc_tables(conn: sqlite3.Connection) -> None:
    for ddl in SUPDOC_DDL:
        conn.execute(ddl)


@dataclass
class LegacyRecord:
    """One legacy record: lower-case scalar fields in order, plus pre-built nested XML."""

    fields: dict[str, str]
    nested: str = ""

    def render(self, tag: str, only: list[str] | None = None) -> str:
        names = only if only else list(self.fields)
        inner = "".join(element(n, self.fields.get(n, "")) for n in names)
        return wrap(tag, inner + ("" if only else self.nested))


def _select(ctx: CallContext, sql: str, key_column: str, key: str | None) -> list[Any]:
    """Rows of `sql` (all, or those whose `key_column` is `key`) by recordno; none before
    the attachment tables exist."""
    if not tables_exist(ctx.conn):
        return []
    params: tuple[Any, ...] = ()
    if key is not None:
        sql, params = f"{sql} WHERE {key_column} = ?", (key,)
    return ctx.conn.execute(sql + " ORDER BY recordno", params).fetchall()


def supdoc_rows(ctx: CallContext, supdoc_id: str | None = None) -> list[LegacyRecord]:
    sql = (
        "SELECT recordno, supdocid, supdocname, folder, description, creationdate, createdby, "
        "whenmodified FROM _sandbox_supdoc"
    )
    out = []
    for row in _select(ctx, sql, "supdocid", supdoc_id):
        attachments = "".join(
            wrap(
                "attachment",
                element("attachmentname", a[0] or "")
                + element("attachmenttype", a[1] or "")
                + element("attachmentdata", a[2] or ""),
            )
            for a in ctx.conn.execute(
                "SELECT attachmentname, attachmenttype, attachmentdata "
                "FROM _sandbox_supdoc_attachment WHERE supdoc = ? ORDER BY position",
                (row[0],),
            )
        )
        names = ("recordno", "supdocid", "supdocname", "folder", "description")
        fields = {n: "" if v is None else str(v) for n, v in zip(names, row, strict=False)}
        fields["creationdate"] = values.render_date(row[5])
        fields["createdby"] = row[6] or ""
        if variants.active("supdoc_whenmodified") == "present":
            fields["whenmodified"] = values.render_timestamp(row[7], ctx.timezone)
        out.append(LegacyRecord(fields, wrap("attachments", attachments)))
    return out


def folder_rows(ctx: CallContext, name: str | None = None) -> list[LegacyRecord]:
    sql = (
        "SELECT recordno, name, description, parentname, creationdate, createdby "
        "FROM _sandbox_supdocfolder"
    )
    out = []
    for row in _select(ctx, sql, "name", name):
        out.append(
            LegacyRecord(
                {
                    "recordno": str(row[0]),
                    "name": row[1] or "",
                    "description": row[2] or "",
                    "parentfolder": row[3] or "",
                    "creationdate": values.render_date(row[4]),
                    "createdby": row[5] or "",
                }
            )
        )
    return out


# ---- writes ----


def _require(node: Element, tag: str, label: str) -> str:
    value = child_text(node, tag) or ""
    if not value:
        raise FunctionError(errs.required_field(tag, label))
    return value


def _check_attachment_permission(ctx: CallContext, operation: str = "CREATE") -> None:
    row = db.user_row(ctx.conn, ctx.user_id)
    if row is not None and not row.can_write:
        raise FunctionError(errs.write_denied(operation, "supdoc"))


def _add_attachments(ctx: CallContext, supdoc: int, node: Element) -> None:
    """Append the `<attachments><attachment>` children after the existing ones."""
    attachments = find_child(node, "attachments")
    if attachments is None:
        return
    row = ctx.conn.execute(
        "SELECT COALESCE(MAX(position), 0) FROM _sandbox_supdoc_attachment WHERE supdoc = ?",
        (supdoc,),
    ).fetchone()
    for position, item in enumerate(attachments, int(row[0]) + 1):
        ctx.conn.execute(
            "INSERT INTO _sandbox_supdoc_attachment (supdoc, position, attachmentname, "
            "attachmenttype, attachmentdata) VALUES (?, ?, ?, ?, ?)",
            (
                supdoc,
                position,
                child_text(item, "attachmentname"),
                child_text(item, "attachmenttype"),
                child_text(item, "attachmentdata"),
            ),
        )


def _supdoc_key(ctx: CallContext, supdoc_id: str) -> int | None:
    row = ctx.conn.execute(
        "SELECT recordno FROM _sandbox_supdoc WHERE supdocid = ?", (supdoc_id,)
    ).fetchone()
    return None if row is None else int(row[0])


@register("update_supdoc")
def update_supdoc(ctx: CallContext, node: Element) -> FunctionOutcome:
    """Changes name/folder/description when given and appends the attachments sent."""
    try:
        _check_attachment_permission(ctx, "UPDATE")
        ensure_supdoc_tables(ctx.conn)
        supdoc_id = _require(node, "supdocid", "Attachment ID")
        recordno = _supdoc_key(ctx, supdoc_id)
        if recordno is None:
            raise FunctionError(errs.update_missing("SUPDOC", "SUPDOCID", supdoc_id))
        for tag, column in (
            ("supdocname", "supdocname"),
            ("supdocfoldername", "folder"),
            ("supdocdescription", "description"),
        ):
            value = child_text(node, tag)
            if value is not None:
                ctx.conn.execute(
                    f"UPDATE _sandbox_supdoc SET {column} = ? WHERE recordno = ?",
                    (value, recordno),
                )
        ctx.conn.execute(
            "UPDATE _sandbox_supdoc SET whenmodified = ? WHERE recordno = ?",
            (values.utc_iso(ctx.now), recordno),
        )
        _add_attachments(ctx, recordno, node)
        write_audit(
            ctx.conn, "supdoc", recordno, audit.MODIFY,
            user_id=ctx.user_id, now=ctx.now, description=supdoc_id,
        )  # fmt: skip
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    return FunctionOutcome.success(element("key", supdoc_id), writes=True)


@register("delete_supdoc")
def delete_supdoc(ctx: CallContext, node: Element) -> FunctionOutcome:
    """`<delete_supdoc key="SUPDOCID"/>`: status-only success (PS Delete-Attachment)."""
    try:
        _check_attachment_permission(ctx, "DELETE")
        ensure_supdoc_tables(ctx.conn)
        supdoc_id = (node.get("key") or "").strip()
        recordno = _supdoc_key(ctx, supdoc_id) if supdoc_id else None
        if recordno is None:
            raise FunctionError(errs.delete_missing("supdoc", supdoc_id))
        ctx.conn.execute("DELETE FROM _sandbox_supdoc_attachment WHERE supdoc = ?", (recordno,))
        ctx.conn.execute("DELETE FROM _sandbox_supdoc WHERE recordno = ?", (recordno,))
        write_audit(
            ctx.conn, "supdoc", recordno, audit.DELETE,
            user_id=ctx.user_id, now=ctx.now, description=supdoc_id,
        )  # fmt: skip
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    return FunctionOutcome.success("", writes=True)


@register("create_supdocfolder")
def create_supdocfolder(ctx: CallContext, node: Element) -> FunctionOutcome:
    """`<key>` is the folder name."""
    try:
        _check_attachment_permission(ctx)
        ensure_supdoc_tables(ctx.conn)
        name = _require(node, "supdocfoldername", "Folder name")
        exists = ctx.conn.execute(
            "SELECT 1 FROM _sandbox_supdocfolder WHERE name = ?", (name,)
        ).fetchone()
        if exists:
            raise FunctionError(errs.duplicate("Attachment Folder", name))
        cur = ctx.conn.execute(
            "INSERT INTO _sandbox_supdocfolder (name, description, parentname, creationdate, "
            "createdby) VALUES (?, ?, ?, ?, ?)",
            (
                name,
                child_text(node, "supdocfolderdescription"),
                child_text(node, "supdocparentfoldername"),
                ctx.now.date().isoformat(),
                ctx.user_id,
            ),
        )
        write_audit(
            ctx.conn, "supdocfolder", int(cur.lastrowid or 0), audit.CREATE,
            user_id=ctx.user_id, now=ctx.now, description=name,
        )  # fmt: skip
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    return FunctionOutcome.success(element("key", name), writes=True)


@register("create_supdoc")
def create_supdoc(ctx: CallContext, node: Element) -> FunctionOutcome:
    """Stores the attachments; `<key>` is the SUPDOCID (PS fixture `<key>35</key>`)."""
    try:
        _check_attachment_permission(ctx)
        ensure_supdoc_tables(ctx.conn)
        supdoc_id = _require(node, "supdocid", "Attachment ID")
        folder = _require(node, "supdocfoldername", "Folder name")
        if not ctx.conn.execute(
            "SELECT 1 FROM _sandbox_supdocfolder WHERE name = ?", (folder,)
        ).fetchone():
            raise FunctionError(errs.invalid_reference("Attachment Folder", folder))
        if ctx.conn.execute(
            "SELECT 1 FROM _sandbox_supdoc WHERE supdocid = ?", (supdoc_id,)
        ).fetchone():
            raise FunctionError(errs.duplicate("Attachment", supdoc_id))
        cur = ctx.conn.execute(
            "INSERT INTO _sandbox_supdoc (supdocid, supdocname, folder, description, "
            "creationdate, createdby, whenmodified) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                supdoc_id,
                child_text(node, "supdocname") or supdoc_id,
                folder,
                child_text(node, "supdocdescription"),
                ctx.now.date().isoformat(),
                ctx.user_id,
                values.utc_iso(ctx.now),
            ),
        )
        recordno = int(cur.lastrowid or 0)
        _add_attachments(ctx, recordno, node)
        write_audit(
            ctx.conn, "supdoc", recordno, audit.CREATE,
            user_id=ctx.user_id, now=ctx.now, description=supdoc_id,
        )  # fmt: skip
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    return FunctionOutcome.success(element("key", supdoc_id), writes=True)


# ---- demo company ----

DEMO_FOLDERS = (("Vendor bills", "Bills and their backup"), ("Expense receipts", "Receipts"))
DEMO_BILLS_WITH_ATTACHMENTS = 8
DEMO_LARGE_BYTES = 6000  # one scanned page, bigger than the tests' size cap


def _demo_file(supdoc_id: str, position: int, size: int) -> str:
    """Deterministic file content (a small PDF-like text), base64 as Intacct stores it."""
    head = f"%PDF-1.4\n% {supdoc_id} page {position}\n".encode()
    body = (f"Supporting document {supdoc_id}, page {position}. " * (size // 20 + 1)).encode()
    return base64.b64encode((head + body)[:size]).decode()


def seed_demo(conn: sqlite3.Connection) -> None:
    """Attachments for the first bills of the demo company, linked by APBILL.SUPDOCID.

    Each of the first DEMO_BILLS_WITH_ATTACHMENTS bills (by RECORDNO) gets a supporting
    document `BILL-<RECORDNO>` in folder "Vendor bills" with one or two files; the third holds
    one file of DEMO_LARGE_BYTES bytes."""
    ensure_supdoc_tables(conn)
    for name, description in DEMO_FOLDERS:
        conn.execute(
            "INSERT INTO _sandbox_supdocfolder (name, description, parentname, creationdate, "
            "createdby) VALUES (?, ?, NULL, '2024-12-01', 'sandbox_user')",
            (name, description),
        )
    bills = conn.execute(
        'SELECT "RECORDNO", "RECORDID", "WHENCREATED", "WHENMODIFIED" FROM "APBILL" '
        'ORDER BY "RECORDNO" LIMIT ?',
        (DEMO_BILLS_WITH_ATTACHMENTS,),
    ).fetchall()
    for index, (recordno, bill_no, created, modified) in enumerate(bills):
        supdoc_id = f"BILL-{recordno}"
        cur = conn.execute(
            "INSERT INTO _sandbox_supdoc (supdocid, supdocname, folder, description, "
            "creationdate, createdby, whenmodified) VALUES (?, ?, 'Vendor bills', ?, ?, ?, ?)",
            (
                supdoc_id,
                f"Backup for {bill_no}",
                f"Scanned bill {bill_no}",
                str(created)[:10],
                "sandbox_user",
                str(modified or created),
            ),
        )
        files = [("bill", "pdf", DEMO_LARGE_BYTES if index == 2 else 700 + 37 * index)]
        if index % 2:
            files.append(("remittance", "txt", 120 + index))
        for position, (name, kind, size) in enumerate(files, start=1):
            conn.execute(
                "INSERT INTO _sandbox_supdoc_attachment (supdoc, position, attachmentname, "
                "attachmenttype, attachmentdata) VALUES (?, ?, ?, ?, ?)",
                (cur.lastrowid, position, name, kind, _demo_file(supdoc_id, position, size)),
            )
        conn.execute(
            'UPDATE "APBILL" SET "SUPDOCID" = ? WHERE "RECORDNO" = ?', (supdoc_id, recordno)
        )


def stored_documents(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every stored supporting document with its files (GET /_sandbox/attachments):
    header columns as stored, per file name, type, size in bytes and the base64 data."""
    if not tables_exist(conn):
        return []
    out = []
    for row in conn.execute(
        "SELECT recordno, supdocid, supdocname, folder, description, creationdate, createdby, "
        "whenmodified FROM _sandbox_supdoc ORDER BY recordno"
    ).fetchall():
        names = ("RECORDNO", "SUPDOCID", "SUPDOCNAME", "FOLDER", "DESCRIPTION")
        document: dict[str, Any] = dict(zip(names, row[:5], strict=True))
        document.update(CREATIONDATE=row[5], CREATEDBY=row[6], WHENMODIFIED=row[7])
        document["ATTACHMENTS"] = [
            {
                "NAME": name,
                "TYPE": kind,
                "SIZE": len(base64.b64decode(data or "")),
                "CONTENT": data,
            }
            for name, kind, data in conn.execute(
                "SELECT attachmentname, attachmenttype, attachmentdata "
                "FROM _sandbox_supdoc_attachment WHERE supdoc = ? ORDER BY position",
                (row[0],),
            )
        ]
        out.append(document)
    return out
