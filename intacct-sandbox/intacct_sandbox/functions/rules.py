"""Business rules a loader meets on generic writes: fields, formats, references, duplicates.

Every check raises `WriteRuleError` with the error chain of protocol.md §6.2 (specific error first,
then the `Could not create ... record!` wrappers). The checks run in a fixed order so a
client sees one deterministic cause: permission, unknown field, format, required field,
invalid reference, duplicate ID, line rules (count, balance).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from intacct_sandbox import db, values, variants
from intacct_sandbox.catalog import FieldDef, ObjectDef, all_objects, get_object
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.common import CallContext, ErrorSpec

# Input-only fields some objects accept without storing them (docs/protocol.md §7 create rows).
PSEUDO_FIELDS: dict[str, frozenset[str]] = {
    "APBILL": frozenset({"ACTION"}),
    "ARINVOICE": frozenset({"ACTION"}),
}

# Reference fields by name -> (object, field it must match). Catalog relationships add to
# these; dimension fields on lines have no relationship but must exist (protocol.md §7, DOC-JE).
REFERENCES: dict[str, tuple[str, str]] = {
    "LOCATION": ("LOCATION", "LOCATIONID"),
    "LOCATIONID": ("LOCATION", "LOCATIONID"),
    "DEPARTMENT": ("DEPARTMENT", "DEPARTMENTID"),
    "DEPARTMENTID": ("DEPARTMENT", "DEPARTMENTID"),
    "PROJECTID": ("PROJECT", "PROJECTID"),
    "TASKID": ("TASK", "TASKID"),
    "CUSTOMERID": ("CUSTOMER", "CUSTOMERID"),
    "VENDORID": ("VENDOR", "VENDORID"),
    "EMPLOYEEID": ("EMPLOYEE", "EMPLOYEEID"),
    "ITEMID": ("ITEM", "ITEMID"),
    "CLASSID": ("CLASS", "CLASSID"),
    "ACCOUNTNO": ("GLACCOUNT", "ACCOUNTNO"),
    "GLACCOUNTNO": ("GLACCOUNT", "ACCOUNTNO"),
    "CLOSINGACCOUNTNO": ("GLACCOUNT", "ACCOUNTNO"),
    "JOURNAL": ("GLJOURNAL", "SYMBOL"),
    "FINANCIALENTITY": ("CHECKINGACCOUNT", "BANKACCOUNTID"),
    "UNDEPOSITEDACCOUNTNO": ("GLACCOUNT", "ACCOUNTNO"),
}
# Payment terms live in different objects for payables and receivables.
TERM_OBJECTS: dict[str, str] = {
    "APBILL": "APTERM",
    "VENDOR": "APTERM",
    "ARINVOICE": "ARTERM",
    "CUSTOMER": "ARTERM",
}

CENT = Decimal("0.01")
SQLITE_MAX_INT = 2**63 - 1
SQLITE_MIN_INT = -(2**63)


def term_object(object_name: str) -> str | None:
    """The terms object for this header; APTERM stands in while ARTERM is not defined."""
    term = TERM_OBJECTS.get(object_name)
    if term is not None and get_object(term) is None:
        return "APTERM" if get_object("APTERM") is not None else None
    return term


_EXPECTED = {
    "DATE": "a date in MM/DD/YYYY format",
    "TIMESTAMP": "a timestamp in MM/DD/YYYY HH:MM:SS format",
    "INTEGER": "a whole number",
    "DECIMAL": "a number without thousands separators",
    "CURRENCY": "an amount without thousands separators",
    "PERCENT": "a number without thousands separators",
    "BOOLEAN": "true or false",
}


@dataclass
class Verb:
    """What the write is doing, for error wrappers and permission names."""

    name: str  # create | update
    obj: ObjectDef
    line: int | None = None  # 1-based line number when checking a line

    def fail(self, specific: ErrorSpec) -> errs.WriteRuleError:
        return errs.WriteRuleError(
            specific, verb=self.name, object_name=self.obj.name, label=self.obj.label
        )


@dataclass
class LookupCache:
    """Per-function cache of reference lookups (a JE repeats the same accounts)."""

    rows: dict[tuple[str, str, str], dict[str, Any] | None] = field(default_factory=dict)


def _where(line: int | None) -> str:
    return f" on line {line}" if line else ""


# ---- permission ----


def check_write_permission(ctx: CallContext, obj: ObjectDef, operation: str) -> None:
    """Readonly users, objects denied to the user, and views may not be written."""
    row = db.user_row(ctx.conn, ctx.user_id)
    may_write = row.can_write if row is not None else True
    if not may_write or obj.name in ctx.permissions or obj.name.upper() in ctx.permissions:
        raise errs.WriteDeniedError(errs.write_denied(operation, obj.name))
    if obj.readonly_object or is_line_object(obj):
        raise errs.WriteDeniedError(
            ErrorSpec(
                errs.GENERIC,
                "",
                f"API operation '{operation}' cannot be performed on objects of type "
                f"{obj.name.lower()}",
                "",
            )
        )


def is_line_object(obj: ObjectDef) -> bool:
    """Lines are written through their header's owned collection, never on their own."""
    return obj.name.upper() in _line_object_names()


@cache
def _line_object_names() -> frozenset[str]:
    return frozenset(o.child_object.upper() for p in all_objects() for o in p.owned)


# ---- field coercion ----


def coerce_fields(
    ctx: CallContext, verb: Verb, obj: ObjectDef, given: Mapping[str, str]
) -> dict[str, Any]:
    """Wire text -> stored values; read-only fields dropped; unknown fields refused, or
    dropped silently under the variant `unknown_fields=ignore`."""
    pseudo = PSEUDO_FIELDS.get(obj.name, frozenset())
    ignore_unknown = variants.active("unknown_fields") == "ignore"
    out: dict[str, Any] = {}
    for path, text in given.items():
        definition = obj.field(path)
        if definition is None:
            if path.upper() in pseudo or ignore_unknown:
                continue
            raise verb.fail(errs.unknown_field(obj.name, path + _where(verb.line)))
        if definition.readonly:
            continue
        out[definition.id] = coerce_value(ctx, verb, definition, text)
    return out


def coerce_value(ctx: CallContext, verb: Verb, definition: FieldDef, text: str) -> Any:
    """One value; enumerations accept their valid values (any case) and internal codes."""
    if definition.validvalues and text.strip():
        return _enum_value(verb, definition, text.strip())
    try:
        if definition.datatype == "CURRENCY" and text.strip():
            # amounts with more than 2 decimals are rounded half-up to the cent (protocol.md §5.3)
            rounded = values.parse_decimal(text).quantize(CENT, rounding=ROUND_HALF_UP)
            return values.format_decimal(rounded)
        value = values.parse_input(definition, text, ctx.timezone)
        if isinstance(value, int) and not SQLITE_MIN_INT <= value <= SQLITE_MAX_INT:
            raise ValueError("integer out of range")
        return value
    except (ValueError, ArithmeticError):
        expected = _EXPECTED.get(definition.datatype, "a valid value")
        raise verb.fail(
            errs.bad_format(definition.label + _where(verb.line), text, expected)
        ) from None


def _enum_value(verb: Verb, definition: FieldDef, text: str) -> Any:
    folded = {v.lower(): v for v in definition.validvalues}
    chosen = folded.get(text.lower()) or definition.alias_map.get(text)
    if chosen is None:
        raise verb.fail(
            errs.invalid_value(definition.label + _where(verb.line), text, definition.validvalues)
        )
    return int(chosen) if definition.datatype == "INTEGER" else chosen


# ---- required fields ----


def check_required(
    verb: Verb, obj: ObjectDef, record: Mapping[str, Any], skip: Iterable[str] = ()
) -> None:
    skipped = {s.upper() for s in skip}
    for definition in obj.fields:
        if not definition.required or definition.readonly or definition.id in skipped:
            continue
        value = record.get(definition.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise verb.fail(errs.required_field(definition.id, definition.label, _where(verb.line)))


# ---- references ----


def reference_targets(obj: ObjectDef) -> dict[str, tuple[str, str]]:
    """Fields of `obj` that must name an existing record, and where to look (cached:
    the catalog does not change while the process runs)."""
    found = _TARGETS.get(obj.name)
    if found is None:
        found = _TARGETS[obj.name] = _reference_targets(obj)
    return found


_TARGETS: dict[str, dict[str, tuple[str, str]]] = {}


def _reference_targets(obj: ObjectDef) -> dict[str, tuple[str, str]]:
    targets: dict[str, tuple[str, str]] = {}
    parent_keys = {o.parent_key_field.upper() for p in _parents_of(obj) for o in p.owned}
    for rel in obj.relationships:
        if rel.related_by.upper() in parent_keys or rel.object_name.upper() == obj.name.upper():
            continue
        targets[rel.related_by.upper()] = (rel.object_name, rel.target_field)
    for field_id, target in REFERENCES.items():
        if obj.field(field_id) is not None:
            targets.setdefault(field_id, target)
    term = term_object(obj.name)
    if term and obj.field("TERMNAME") is not None:
        targets["TERMNAME"] = (term, "NAME")
    if obj.id_field:
        targets.pop(obj.id_field.upper(), None)
    return {k: v for k, v in targets.items() if get_object(v[0]) is not None}


def _parents_of(obj: ObjectDef) -> list[ObjectDef]:
    return [p for p in all_objects() if any(o.child_object.upper() == obj.name for o in p.owned)]


def find_reference(
    ctx: CallContext, cache: LookupCache, object_name: str, field_id: str, value: str
) -> dict[str, Any] | None:
    """The referenced record visible to this session, or None."""
    key = (object_name, field_id, value)
    if key in cache.rows:
        return cache.rows[key]
    target = get_object(object_name)
    row: dict[str, Any] | None = None
    if target is not None and target.field(field_id) is not None:
        clause, params = db.visibility_sql(target, ctx.entity_id, True)
        column = db.quote_ident(target.field(field_id).id)  # type: ignore[union-attr]
        sql = f"SELECT * FROM {db.table(target)} WHERE {column} = ?"
        if clause:
            sql += f" AND {clause}"
        cur = ctx.conn.execute(sql + " LIMIT 1", [value, *params])
        found = cur.fetchone()
        if found is not None:
            row = {d[0]: v for d, v in zip(cur.description, found, strict=True)}
    cache.rows[key] = row
    return row


def check_references(
    ctx: CallContext,
    verb: Verb,
    obj: ObjectDef,
    record: Mapping[str, Any],
    cache: LookupCache,
    *,
    only: Iterable[str] | None = None,
) -> None:
    """Each non-empty reference field must name an existing (visible) record."""
    wanted = None if only is None else {o.upper() for o in only}
    for field_id, (target_name, target_field) in reference_targets(obj).items():
        if wanted is not None and field_id not in wanted:
            continue
        definition = obj.field(field_id)
        if definition is None:
            continue
        value = record.get(definition.id)
        if value is None or value == "":
            continue
        if find_reference(ctx, cache, target_name, target_field, str(value)) is None:
            target = get_object(target_name)
            label = target.label if target else target_name
            raise verb.fail(errs.invalid_reference(label, str(value)))


# ---- duplicates ----


def check_duplicate(
    ctx: CallContext, verb: Verb, obj: ObjectDef, record: Mapping[str, Any], own: int | None = None
) -> None:
    """An object's ID field is unique (case-insensitively, as Intacct IDs are)."""
    if not obj.id_field:
        return
    value = record.get(obj.id_field)
    if value is None or value == "":
        return
    sql = (
        f"SELECT {db.quote_ident(obj.key_field)} FROM {db.table(obj)} "
        f"WHERE {db.quote_ident(obj.id_field)} = ? COLLATE NOCASE"
    )
    params: list[Any] = [value]
    if own is not None:
        sql += f" AND {db.quote_ident(obj.key_field)} <> ?"
        params.append(own)
    if ctx.conn.execute(sql + " LIMIT 1", params).fetchone() is None:
        return
    if obj.name == "GLACCOUNT":
        raise errs.duplicate_account(str(value))
    raise verb.fail(errs.duplicate(obj.label, str(value)))


def existing_ids(conn: sqlite3.Connection, obj: ObjectDef, value: str) -> bool:
    if not obj.id_field:
        return False
    row = conn.execute(
        f"SELECT 1 FROM {db.table(obj)} WHERE {db.quote_ident(obj.id_field)} = ? LIMIT 1",
        (value,),
    ).fetchone()
    return row is not None


# ---- journal balance ----


def check_balance(verb: Verb, lines: Iterable[Mapping[str, Any]]) -> None:
    """Debits equal credits per currency, to the cent (DOC-JE); Decimal arithmetic only."""
    debits: dict[str, Decimal] = {}
    credits: dict[str, Decimal] = {}
    for line in lines:
        currency = str(line.get("CURRENCY") or "USD")
        value = Decimal(str(line.get("TRX_AMOUNT") or 0))
        side = debits if int(line.get("TR_TYPE") or 1) == 1 else credits
        side[currency] = side.get(currency, Decimal(0)) + value
    for currency in sorted(set(debits) | set(credits)):
        debit = debits.get(currency, Decimal(0)).quantize(CENT)
        credit = credits.get(currency, Decimal(0)).quantize(CENT)
        if debit != credit:
            raise verb.fail(
                errs.unbalanced(
                    currency, values.format_decimal(debit), values.format_decimal(credit)
                )
            )


# ---- records in use ----


def referenced_by(
    ctx: CallContext, obj: ObjectDef, record: Mapping[str, Any]
) -> tuple[str, str] | None:
    """(object, field) of a stored record that still names `record`, or None.

    Views (GLDETAIL, AUDITHISTORY) and the record's own lines do not count: they go with
    it. Checked before a delete, as Intacct refuses to delete what transactions use."""
    owned = {o.child_object.upper() for o in obj.owned}
    for other in all_objects():
        if other.readonly_object or other.name.upper() in owned:
            continue
        for field_id, (target_name, target_field) in reference_targets(other).items():
            if target_name.upper() != obj.name.upper():
                continue
            value = record.get(target_field)
            if value is None or value == "":
                continue
            definition = other.field(field_id)
            if definition is None:
                continue
            sql = f"SELECT 1 FROM {db.table(other)} WHERE {db.quote_ident(definition.id)} = ?"
            params: list[Any] = [value]
            if other.name == obj.name:
                sql += f" AND {db.quote_ident(obj.key_field)} <> ?"
                params.append(record.get(obj.key_field))
            if ctx.conn.execute(sql + " LIMIT 1", params).fetchone() is not None:
                return other.name, definition.id
    return None
