"""Legacy `get_list` / `get` (docs/protocol.md §4.11, §5.5) for catalog objects and attachments.

`get_list` answers a sibling `<listtype start end total>` before a `<data>` of lower-case
records with lower-case fields; `get` answers `<data>` with one record. Catalog records are
keyed by `<key>` (the object's ID field, else RECORDNO), dot paths become `_`. Attachment
records (`supdoc`, `supdocfolder`) come from `attachments.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element

from intacct_sandbox import db, values
from intacct_sandbox.catalog import ObjectDef, get_object
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.attachments import LegacyRecord, folder_rows, supdoc_rows
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
from intacct_sandbox.xmlout import attrs, wrap

DEFAULT_MAX_ITEMS = 100


# ---- legacy records ----


def _legacy_name(field_id: str) -> str:
    return field_id.lower().replace(".", "_")


def _catalog_record(obj: ObjectDef, row: dict[str, Any], zone: str) -> LegacyRecord:
    """`<key>` (ID field, else RECORDNO) first, then every field with a legacy name."""
    key = row.get(obj.id_field) if obj.id_field else row.get(obj.key_field)
    fields = {"key": "" if key is None else str(key)}
    for definition in obj.fields:
        fields[_legacy_name(definition.id)] = values.renderer(definition, zone)(
            row.get(definition.id)
        )
    return LegacyRecord(fields)


def _catalog_rows(
    ctx: CallContext, obj: ObjectDef, limit: int | None = None, offset: int = 0
) -> tuple[list[LegacyRecord], int]:
    clause, params = db.visibility_sql(obj, ctx.entity_id, True)
    where = f" WHERE {clause}" if clause else ""
    total = int(
        ctx.conn.execute(f"SELECT COUNT(*) FROM {db.table(obj)}{where}", params).fetchone()[0]
    )
    sql = f"SELECT * FROM {db.table(obj)}{where} ORDER BY {db.quote_ident(obj.key_field)}"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    cur = ctx.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    records = [
        _catalog_record(obj, dict(zip(names, r, strict=True)), ctx.timezone) for r in cur.fetchall()
    ]
    return records, total


# ---- get_list filters, sorts and field lists ----

_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})(?: (\d{2}:\d{2}:\d{2}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$")


def _rendered_date(text: str) -> str | None:
    """A value as this answer renders it (the user's date format) -> `YYYY-MM-DD[ time]`."""
    day_part, _, clock = text.partition(" ")
    try:
        parsed = datetime.strptime(day_part, values.date_pattern()).date()
    except ValueError:
        return None
    return f"{parsed.isoformat()} {clock}"


def _comparable(text: str, *, rendered: bool = False) -> tuple[int, Any]:
    """Numbers compare as numbers, dates as dates (record values in the user's date
    format, filter values as MM/DD/YYYY or ISO), everything else as text."""
    try:
        return (0, Decimal(text))
    except (InvalidOperation, ValueError):
        pass
    if rendered:
        as_date = _rendered_date(text)
        if as_date is not None:
            return (1, as_date)
    match = _DATE.match(text)
    if match:
        month, day, year, clock = match.groups()
        return (1, f"{year}-{month}-{day} {clock or ''}")
    iso = _ISO_DATE.match(text)  # the form requests use for users not on MM/DD/YYYY
    if iso:
        year, month, day, clock = iso.groups()
        return (1, f"{year}-{month}-{day} {clock or ''}")
    return (2, text)


def _like(pattern: str, text: str) -> bool:
    regex = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, text, flags=re.DOTALL) is not None


def _compare(operator: str, actual: str, wanted: str) -> bool:
    op = " ".join(operator.lower().split())
    if op in ("is null", "isnull"):
        return actual == ""
    if op in ("is not null", "isnotnull"):
        return actual != ""
    if op == "like":
        return _like(wanted, actual)
    if op == "not like":
        return not _like(wanted, actual)
    if op == "in":
        return actual in [v.strip() for v in wanted.split(",")]
    left, right = _comparable(actual, rendered=True), _comparable(wanted)
    if left[0] != right[0]:
        left, right = (2, actual), (2, wanted)
    checks = {
        "=": left == right,
        "!=": left != right,
        "<>": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }
    if op not in checks:
        raise FunctionError(
            ErrorSpec(errs.GENERIC, "", f"Invalid operator '{operator}' in filter expression.")
        )
    return checks[op]


def _matches(node: Element, record: LegacyRecord) -> bool:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag == "expression":
        field = (child_text(node, "field") or "").lower()
        operator = child_text(node, "operator") or "="
        wanted = child_text(node, "value") or ""
        return _compare(operator, record.fields.get(field, ""), wanted)
    if tag == "logical":
        parts = [_matches(c, record) for c in node if isinstance(c.tag, str)]
        if (node.get("logical_operator") or "and").lower() == "or":
            return any(parts)
        return all(parts)
    if tag == "filter":
        return all(_matches(c, record) for c in node if isinstance(c.tag, str))
    return True


def _sort_key(name: str) -> Callable[[LegacyRecord], tuple[int, Any]]:
    def key(record: LegacyRecord) -> tuple[int, Any]:
        return _comparable(record.fields.get(name, ""))

    return key


def _sorted(records: list[LegacyRecord], sorts: Element | None) -> list[LegacyRecord]:
    if sorts is None:
        return records
    for sortfield in reversed([c for c in sorts if isinstance(c.tag, str)]):
        name = (sortfield.text or "").strip().lower()
        descending = (sortfield.get("order") or "asc").lower().startswith("desc")
        records = sorted(records, key=_sort_key(name), reverse=descending)
    return records


def _int_attr(node: Element, name: str, default: int) -> int:
    text = (node.get(name) or "").strip()
    return int(text) if text.isdigit() else default


def _listtype(name: str, start: int, count: int, total: int) -> str:
    end = start + count - 1 if count else start
    return f"<listtype{attrs({'start': start, 'end': end, 'total': total})}>{name}</listtype>"


def _readable(ctx: CallContext, obj: ObjectDef, operation: str) -> None:
    if obj.name in ctx.permissions:
        raise FunctionError(permission_denied(operation, obj.name))


def _unknown(name: str) -> FunctionError:
    return FunctionError(ErrorSpec(errs.GENERIC, "", f"Object definition {name} not found"))


@register("get_list")
def get_list(ctx: CallContext, node: Element) -> FunctionOutcome:
    """`<get_list object="class" start="0" maxitems="100">` with optional `filter`
    (`expression` field/operator/value, `logical logical_operator="and|or"`), `sorts`
    (`sortfield order="asc|desc"`) and `fields/field`. Ordered by RECORDNO otherwise."""
    name = (node.get("object") or "").strip()
    start = _int_attr(node, "start", 0)
    limit = _int_attr(node, "maxitems", DEFAULT_MAX_ITEMS)
    filter_node = find_child(node, "filter")
    sorts = find_child(node, "sorts")
    fields_node = find_child(node, "fields")
    only = [(c.text or "").strip().lower() for c in fields_node] if fields_node is not None else []
    try:
        tag = name.lower()
        if tag == "supdoc":
            records, total = supdoc_rows(ctx), -1
        elif tag == "supdocfolder":
            records, total = folder_rows(ctx), -1
        else:
            obj = get_object(name)
            if obj is None:
                raise _unknown(name)
            _readable(ctx, obj, "GET_LIST")
            tag = obj.name.lower()
            if filter_node is None and sorts is None:
                records, total = _catalog_rows(ctx, obj, limit, start)
                page = records
            else:
                records, total = _catalog_rows(ctx, obj)[0], -1
        if total < 0:
            if filter_node is not None:
                records = [r for r in records if _matches(filter_node, r)]
            records = _sorted(records, sorts)
            total = len(records)
            page = records[start : start + limit]
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    data = "".join(r.render(tag, only or None) for r in page)
    return FunctionOutcome.success(_listtype(tag, start, len(page), total) + wrap("data", data))


@register("get")
def get(ctx: CallContext, node: Element) -> FunctionOutcome:
    """`<get object="class" key="C1"/>`: key is the ID field (RECORDNO without one);
    supdoc by SUPDOCID, supdocfolder by name. A key that names no record fails."""
    name = (node.get("object") or "").strip()
    key = (node.get("key") or "").strip()
    try:
        tag = name.lower()
        if tag == "supdoc":
            records = supdoc_rows(ctx, key)
        elif tag == "supdocfolder":
            records = folder_rows(ctx, key)
        else:
            obj = get_object(name)
            if obj is None:
                raise _unknown(name)
            _readable(ctx, obj, "GET")
            tag = obj.name.lower()
            if obj.id_field:
                row = db.find_by_id(ctx.conn, obj, key)
            else:
                row = db.fetch_record(ctx.conn, obj, int(key)) if key.isdigit() else None
            records = [] if row is None else [_catalog_record(obj, row, ctx.timezone)]
        if not records:
            raise FunctionError(_missing_key(tag, key))
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    return FunctionOutcome.success(wrap("data", "".join(r.render(tag) for r in records)))


def _missing_key(tag: str, key: str) -> ErrorSpec:
    """A `get` of a key that names no record fails the function, as a legacy delete of a
    missing key does (PHP SDK 1.x ClassObjTest capture: BL01001973 "Cannot find class with
    key 'UT01' to delete."); the wording without "to delete" is the sandbox's."""
    return ErrorSpec(errs.GENERIC, "", f"Cannot find {tag} with key '{key}'.", "")
