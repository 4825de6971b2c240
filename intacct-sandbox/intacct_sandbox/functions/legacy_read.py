"""Legacy `get_list` / `get` and attachments (`create_supdoc`, `create_supdocfolder`).

Shapes (spec 4.11, 5.5): `get_list` answers a sibling `<listtype start end total>` before
a `<data>` of lower-case records with lower-case fields; `get` answers `<data>` with one
record. Legacy records are keyed by `<key>` (the object's ID field, else RECORDNO).

Attachments are not catalog objects yet (issue 9), so they live in three sandbox tables
created on first use: `_sandbox_supdocfolder`, `_sandbox_supdoc` and
`_sandbox_supdoc_attachment` (base64 data kept as sent). They are written through the
request's connection, so they roll back with the function like every other write.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from xml.etree.ElementTree import Element

from intacct_sandbox import db, values
from intacct_sandbox.catalog import ObjectDef, get_object
from intacct_sandbox.functions import audit
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.common import (
    CallContext,
    ErrorSpec,
    FunctionError,
    FunctionOutcome,
    child_text,
    find_child,
    permission_denied,
    register,
)
from intacct_sandbox.store import write_audit
from intacct_sandbox.xmlout import attrs, element, wrap

DEFAULT_MAX_ITEMS = 100
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


def ensure_supdoc_tables(conn: sqlite3.Connection) -> None:
    for ddl in SUPDOC_DDL:
        conn.execute(ddl)


# ---- get_list / get for catalog objects ----


def _legacy_name(field_id: str) -> str:
    return field_id.lower().replace(".", "_")


def _legacy_record(obj: ObjectDef, row: dict[str, Any], zone: str) -> str:
    """Lower-case record: `<key>` first, then every stored field (legacy style names)."""
    key = row.get(obj.id_field) if obj.id_field else row.get(obj.key_field)
    parts = [element("key", "" if key is None else str(key))]
    for definition in obj.fields:
        rendered = values.renderer(definition, zone)(row.get(definition.id))
        parts.append(element(_legacy_name(definition.id), rendered))
    return wrap(obj.name.lower(), "".join(parts))


def _int_attr(node: Element, name: str, default: int) -> int:
    text = (node.get(name) or "").strip()
    return int(text) if text.isdigit() else default


def _listtype(name: str, start: int, count: int, total: int) -> str:
    end = start + count - 1 if count else start
    return f"<listtype{attrs({'start': start, 'end': end, 'total': total})}>{name}</listtype>"


def _readable(ctx: CallContext, obj: ObjectDef, operation: str) -> None:
    if obj.name in ctx.permissions:
        raise FunctionError(permission_denied(operation, obj.name))


@register("get_list")
def get_list(ctx: CallContext, node: Element) -> FunctionOutcome:
    """`<get_list object="class" maxitems="N" start="S"/>` ordered by RECORDNO."""
    name = (node.get("object") or "").strip()
    start = _int_attr(node, "start", 0)
    limit = _int_attr(node, "maxitems", DEFAULT_MAX_ITEMS)
    try:
        if name.lower() == "supdoc":
            return _supdoc_list(ctx, start, limit)
        obj = get_object(name)
        if obj is None:
            raise FunctionError(ErrorSpec(errs.GENERIC, "", f"Object definition {name} not found"))
        _readable(ctx, obj, "GET_LIST")
        clause, params = db.visibility_sql(obj, ctx.entity_id, True)
        where = f" WHERE {clause}" if clause else ""
        total = int(
            ctx.conn.execute(f"SELECT COUNT(*) FROM {db.table(obj)}{where}", params).fetchone()[0]
        )
        cur = ctx.conn.execute(
            f"SELECT * FROM {db.table(obj)}{where} ORDER BY {db.quote_ident(obj.key_field)} "
            "LIMIT ? OFFSET ?",
            [*params, limit, start],
        )
        names = [d[0] for d in cur.description]
        records = [
            _legacy_record(obj, dict(zip(names, r, strict=True)), ctx.timezone)
            for r in cur.fetchall()
        ]
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    body = _listtype(obj.name.lower(), start, len(records), total) + wrap("data", "".join(records))
    return FunctionOutcome.success(body)


@register("get")
def get(ctx: CallContext, node: Element) -> FunctionOutcome:
    """`<get object="class" key="C1"/>`: key is the ID field (RECORDNO without one)."""
    name = (node.get("object") or "").strip()
    key = (node.get("key") or "").strip()
    try:
        if name.lower() == "supdoc":
            return FunctionOutcome.success(wrap("data", _supdoc_records(ctx, key)))
        obj = get_object(name)
        if obj is None:
            raise FunctionError(ErrorSpec(errs.GENERIC, "", f"Object definition {name} not found"))
        _readable(ctx, obj, "GET")
        if obj.id_field:
            row = db.find_by_id(ctx.conn, obj, key)
        else:
            row = db.fetch_record(ctx.conn, obj, int(key)) if key.isdigit() else None
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    inner = _legacy_record(obj, row, ctx.timezone) if row is not None else ""
    return FunctionOutcome.success(wrap("data", inner))


# ---- attachments ----


def _supdoc_list(ctx: CallContext, start: int, limit: int) -> FunctionOutcome:
    ensure_supdoc_tables(ctx.conn)
    total = int(ctx.conn.execute("SELECT COUNT(*) FROM _sandbox_supdoc").fetchone()[0])
    ids = [
        str(r[0])
        for r in ctx.conn.execute(
            "SELECT supdocid FROM _sandbox_supdoc ORDER BY recordno LIMIT ? OFFSET ?",
            (limit, start),
        )
    ]
    records = "".join(_supdoc_records(ctx, supdoc_id) for supdoc_id in ids)
    return FunctionOutcome.success(
        _listtype("supdoc", start, len(ids), total) + wrap("data", records)
    )


def _supdoc_records(ctx: CallContext, supdoc_id: str) -> str:
    ensure_supdoc_tables(ctx.conn)
    row = ctx.conn.execute(
        "SELECT recordno, supdocid, supdocname, folder, description, creationdate, createdby "
        "FROM _sandbox_supdoc WHERE supdocid = ?",
        (supdoc_id,),
    ).fetchone()
    if row is None:
        return ""
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
    inner = "".join(
        element(n, "" if v is None else str(v)) for n, v in zip(names, row, strict=False)
    )
    inner += element("creationdate", values.render_date(row[5]))
    inner += element("createdby", row[6])
    inner += wrap("attachments", attachments)
    return wrap("supdoc", inner)


def _require(node: Element, tag: str, label: str) -> str:
    value = child_text(node, tag) or ""
    if not value:
        raise FunctionError(errs.required_field(tag, label))
    return value


def _check_attachment_permission(ctx: CallContext) -> None:
    row = db.user_row(ctx.conn, ctx.user_id)
    if row is not None and not row.can_write:
        raise FunctionError(errs.write_denied("CREATE", "supdoc"))


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
        attachments = find_child(node, "attachments")
        for position, item in enumerate(attachments if attachments is not None else [], 1):
            ctx.conn.execute(
                "INSERT INTO _sandbox_supdoc_attachment (supdoc, position, attachmentname, "
                "attachmenttype, attachmentdata) VALUES (?, ?, ?, ?, ?)",
                (
                    recordno,
                    position,
                    child_text(item, "attachmentname"),
                    child_text(item, "attachmenttype"),
                    child_text(item, "attachmentdata"),
                ),
            )
        write_audit(
            ctx.conn, "supdoc", recordno, audit.CREATE,
            user_id=ctx.user_id, now=ctx.now, description=supdoc_id,
        )  # fmt: skip
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    return FunctionOutcome.success(element("key", supdoc_id), writes=True)
