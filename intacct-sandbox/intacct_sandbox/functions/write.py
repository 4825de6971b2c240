"""Generic `create`, `update` and `delete` (docs/protocol.md §4.10).

One function may carry several objects, even of different types; each is validated by
`rules`, completed by `derive`, stored through `db`, posted to GLDETAIL by `posting` and
audited by `audit`. A function is all or nothing: the first failing record fails the
function with its error chain and a `<data listtype="objects" count="0"/>`, and the
gateway rolls back the function's savepoint, so no partial rows remain. Handlers only use
`ctx.conn` and never COMMIT.

The record engine (`create_record`, `update_record`, `delete_record`) is shared with the
legacy functions (`legacy.py`), which translate their ordered payloads into the same
`RecordInput`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from intacct_sandbox import db
from intacct_sandbox.catalog import ObjectDef, get_object
from intacct_sandbox.functions import audit, derive, payments, posting, recordnos, rules
from intacct_sandbox.functions import lines as line_rows
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.common import (
    CallContext,
    ErrorSpec,
    FunctionError,
    FunctionOutcome,
    child_text,
    generic_error,
    object_not_found,
    register,
)
from intacct_sandbox.functions.write_input import RecordInput, read_record
from intacct_sandbox.xmlout import element as xml_element
from intacct_sandbox.xmlout import empty_tag, wrap

log = logging.getLogger(__name__)

EMPTY_RESULT = empty_tag("data", {"listtype": "objects", "count": "0"})


@dataclass
class Written:
    """A record the function wrote: echoed as `<object><RECORDNO/><ID/></object>`."""

    obj: ObjectDef
    record: dict[str, Any]


# ---- handlers ----


@register("create")
def create(ctx: CallContext, element: Element) -> FunctionOutcome:
    return _write_objects(ctx, element, "create")


@register("update")
def update(ctx: CallContext, element: Element) -> FunctionOutcome:
    return _write_objects(ctx, element, "update")


@register("delete")
def delete(ctx: CallContext, element: Element) -> FunctionOutcome:
    """`<delete><object>X</object><keys>1,2</keys></delete>`: status-only success."""
    name = child_text(element, "object") or ""
    keys = [k.strip() for k in (child_text(element, "keys") or "").split(",") if k.strip()]
    obj = get_object(name) if name else None
    if obj is None:
        return FunctionOutcome.failure(object_not_found(name or "(none)", errs.GENERIC))
    try:
        rules.check_write_permission(ctx, obj, "DELETE")
        if not keys:
            raise FunctionError(errs.delete_missing(obj.name, ""))
        for key in keys:
            delete_record(ctx, obj, key)
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    except (ArithmeticError, ValueError, OverflowError):
        log.exception("unexpected value error in delete")
        return FunctionOutcome.failure(generic_error())
    return FunctionOutcome.success("", writes=True)


def _write_objects(ctx: CallContext, element: Element, verb: str) -> FunctionOutcome:
    written: list[Written] = []
    cache = rules.LookupCache()
    try:
        nodes = [n for n in element if isinstance(n.tag, str)]
        if not nodes:
            raise FunctionError(
                ErrorSpec(
                    errs.GENERIC,
                    "",
                    f"No object was given to {verb}.",
                    f"Put one or more object elements inside <{verb}>.",
                )
            )
        for node in nodes:
            obj = get_object(node.tag)
            if obj is None:
                raise FunctionError(object_not_found(node.tag, errs.GENERIC))
            rules.check_write_permission(ctx, obj, verb.upper())
            record_input = read_record(node, obj)
            if verb == "create":
                written.append(Written(obj, create_record(ctx, obj, record_input, cache)))
            else:
                written.append(Written(obj, update_record(ctx, obj, record_input, cache)))
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors, body=EMPTY_RESULT)
    except (ArithmeticError, ValueError, OverflowError):
        log.exception("unexpected value error in %s", verb)
        return FunctionOutcome.failure(generic_error(), body=EMPTY_RESULT)
    return FunctionOutcome.success(echo(written), writes=True)


def echo(written: Iterable[Written]) -> str:
    """`<data listtype="objects" count="N">` with RECORDNO (+ ID field) per record."""
    items = []
    for item in written:
        inner = xml_element("RECORDNO", str(item.record[item.obj.key_field]))
        if item.obj.id_field:
            value = item.record.get(item.obj.id_field)
            inner += xml_element(item.obj.id_field, "" if value is None else str(value))
        items.append(wrap(item.obj.name.lower(), inner))
    return wrap("data", "".join(items), {"listtype": "objects", "count": str(len(items))})


# ---- the record engine ----


def _action(record_input: RecordInput) -> str | None:
    for key, value in record_input.fields.items():
        if key.upper() == "ACTION":
            return value
    return None


def create_record(
    ctx: CallContext, obj: ObjectDef, record_input: RecordInput, cache: rules.LookupCache
) -> dict[str, Any]:
    """Validate, complete and insert one record (with its lines); returns the stored row."""
    verb = rules.Verb("create", obj)
    header = rules.coerce_fields(ctx, verb, obj, record_input.fields)
    derive.header_defaults(obj, header, _action(record_input))
    _term_due_date(ctx, obj, header, cache)
    skip = _required_skips(obj, header)
    rules.check_required(verb, obj, header, skip)
    _check_due_date(verb, obj, header, skip)
    rules.check_references(ctx, verb, obj, header, cache)
    rules.check_duplicate(ctx, verb, obj, header)
    derive.stamp_create(ctx, obj, header)
    derive.derive_header(ctx, obj, header, _party(ctx, obj, header, cache))
    lines: list[dict[str, Any]] = []
    line_obj = _line_object(obj)
    if line_obj is not None:
        lines = line_rows.prepare(
            ctx,
            verb,
            obj=obj,
            line_obj=line_obj,
            header=header,
            raw_lines=record_input.lines or [],
            cache=cache,
        )
        derive.header_totals(obj, line_obj, header, lines)
    header[obj.key_field] = recordnos.next_recordno(ctx.conn, obj)
    db.insert_record(ctx.conn, obj, header)
    audit.record_write(ctx, obj, header, audit.CREATE)
    if line_obj is not None:
        line_rows.insert(ctx, obj, line_obj, header, lines)
        if payments.applies(obj):
            payments.apply(ctx, verb, obj, header, lines)
        if posting.posts(obj):
            posting.post(ctx, obj, header, lines)
    return header


def update_record(
    ctx: CallContext, obj: ObjectDef, record_input: RecordInput, cache: rules.LookupCache
) -> dict[str, Any]:
    """Find the record by RECORDNO or ID field, apply the given fields, re-post lines."""
    verb = rules.Verb("update", obj)
    existing = _find_for_update(ctx, obj, record_input)
    recordno = int(existing[obj.key_field])
    given = {k: v for k, v in record_input.fields.items() if k.upper() != obj.key_field}
    changes = rules.coerce_fields(ctx, verb, obj, given)
    merged = {**existing, **changes}
    if obj.name in derive.SUBLEDGER and _action(record_input) is not None:
        derive.header_defaults(obj, merged, _action(record_input))
        changes.update({k: merged[k] for k in ("STATE", "RAWSTATE") if k in merged})
    skip = _required_skips(obj, merged)
    rules.check_required(verb, obj, merged, skip)
    _check_due_date(verb, obj, merged, skip)
    rules.check_references(ctx, verb, obj, merged, cache, only=changes.keys())
    if obj.id_field and obj.id_field in changes:
        rules.check_duplicate(ctx, verb, obj, merged, own=recordno)
    derive.stamp_update(ctx, obj, merged)
    derive.derive_header(ctx, obj, merged, _party(ctx, obj, merged, cache))
    line_obj = _line_object(obj)
    lines: list[dict[str, Any]] = []
    if line_obj is not None and payments.applies(obj):
        payments.apply(
            ctx, verb, obj, existing, line_rows.load(ctx, obj, line_obj, recordno), sign=-1
        )
    if line_obj is not None:
        if record_input.lines is not None:
            lines = line_rows.prepare(
                ctx,
                verb,
                obj=obj,
                line_obj=line_obj,
                header=merged,
                raw_lines=record_input.lines,
                cache=cache,
            )
            line_rows.delete(ctx, obj, line_obj, recordno)
            line_rows.insert(ctx, obj, line_obj, merged, lines)
        else:
            lines = line_rows.refresh(ctx, obj, line_obj, merged)
        derive.header_totals(obj, line_obj, merged, lines)
        if payments.applies(obj):
            payments.apply(ctx, verb, obj, merged, lines)
    db.update_record(ctx.conn, obj, recordno, merged)
    audit.record_write(ctx, obj, merged, audit.MODIFY)
    if posting.posts(obj):
        _audit_view_deletes(ctx, posting.remove(ctx, obj, recordno))
        posting.post(ctx, obj, merged, lines)
    return merged


def delete_record(ctx: CallContext, obj: ObjectDef, key: str) -> None:
    """Delete by RECORDNO with its lines and GLDETAIL rows; audit rows for each."""
    existing = None
    if key.isdigit():
        existing = db.fetch_record(ctx.conn, obj, int(key))
    if existing is None or not _visible(ctx, obj, existing):
        raise FunctionError(errs.delete_missing(obj.name, key))
    recordno = int(existing[obj.key_field])
    user = rules.referenced_by(ctx, obj, existing)
    if user is not None:
        raise FunctionError(*errs.in_use(obj.name, key, *user))
    line_obj = _line_object(obj)
    if posting.posts(obj):
        _audit_view_deletes(ctx, posting.remove(ctx, obj, recordno))
    if line_obj is not None:
        if payments.applies(obj):
            old = line_rows.load(ctx, obj, line_obj, recordno)
            payments.apply(ctx, rules.Verb("delete", obj), obj, existing, old, sign=-1)
        line_rows.delete(ctx, obj, line_obj, recordno)
    recordnos.pin(ctx.conn, obj)
    ctx.conn.execute(
        f"DELETE FROM {db.table(obj)} WHERE {db.quote_ident(obj.key_field)} = ?", (recordno,)
    )
    audit.record_write(ctx, obj, existing, audit.DELETE)


# ---- helpers ----


def _visible(ctx: CallContext, obj: ObjectDef, row: dict[str, Any]) -> bool:
    """An entity session only reaches its own records and shared (top-level) ones."""
    if not obj.multi_entity or not ctx.entity_id:
        return True
    owner = row.get("MEGAENTITYID")
    return owner is None or owner == ctx.entity_id


def _find_for_update(ctx: CallContext, obj: ObjectDef, record_input: RecordInput) -> dict[str, Any]:
    fields = {k.upper(): v for k, v in record_input.fields.items()}
    key_text = fields.get(obj.key_field, "").strip()
    if key_text:
        row = db.fetch_record(ctx.conn, obj, int(key_text)) if key_text.isdigit() else None
        if row is None or not _visible(ctx, obj, row):
            raise FunctionError(errs.update_missing(obj.name, obj.key_field, key_text))
        return row
    id_value = fields.get(obj.id_field.upper(), "").strip() if obj.id_field else ""
    if obj.id_field and id_value:
        row = db.find_by_id(ctx.conn, obj, id_value)
        if row is None or not _visible(ctx, obj, row):
            raise FunctionError(errs.update_missing(obj.name, obj.id_field, id_value))
        return row
    raise rules.Verb("update", obj).fail(errs.key_needed(obj.name, obj.id_field))


def _line_object(obj: ObjectDef) -> ObjectDef | None:
    if not obj.owned:
        return None
    return get_object(obj.owned[0].child_object)


def _required_skips(obj: ObjectDef, header: dict[str, Any]) -> list[str]:
    """WHENDUE may be omitted on a Draft or when a term gives the due date (DOC-BILL)."""
    skips = []
    if obj.name in ("APBILL", "ARINVOICE") and (
        derive.is_draft(obj, header) or header.get("TERMNAME")
    ):
        skips.append("WHENDUE")
    return skips


def _check_due_date(
    verb: rules.Verb, obj: ObjectDef, header: dict[str, Any], skip: list[str]
) -> None:
    """Bills and invoices need WHENDUE unless Draft or a term supplies it (DOC-BILL)."""
    definition = obj.field("WHENDUE")
    if obj.name not in ("APBILL", "ARINVOICE") or definition is None or "WHENDUE" in skip:
        return
    if not header.get("WHENDUE"):
        raise verb.fail(errs.required_field("WHENDUE", definition.label))


def _term_due_date(
    ctx: CallContext, obj: ObjectDef, header: dict[str, Any], cache: rules.LookupCache
) -> None:
    if obj.field("WHENDUE") is None or header.get("WHENDUE") or not header.get("TERMNAME"):
        return
    term_object = rules.term_object(obj.name)
    if term_object is None:
        return
    term = rules.find_reference(ctx, cache, term_object, "NAME", str(header["TERMNAME"]))
    due = derive.due_date_from_term(term, header.get("WHENCREATED"))
    if due is not None:
        header["WHENDUE"] = due


def _party(
    ctx: CallContext, obj: ObjectDef, header: dict[str, Any], cache: rules.LookupCache
) -> dict[str, Any] | None:
    """The vendor/customer a subledger header names (for VENDORNAME/CUSTOMERNAME)."""
    if obj.name not in derive.SUBLEDGER:
        return None
    _, _, _, ref_field, ref_object = derive.SUBLEDGER[obj.name]
    value = header.get(ref_field)
    if not value:
        return None
    return rules.find_reference(ctx, cache, ref_object, ref_field, str(value))


def _audit_view_deletes(ctx: CallContext, detail_keys: list[int]) -> None:
    """GLDETAIL rows that disappear get Delete audit rows too, so taps can see them go."""
    detail = get_object("GLDETAIL")
    if detail is None:
        return
    gone = [{detail.key_field: key} for key in detail_keys]
    audit.record_writes(ctx, detail, gone, audit.DELETE)
