"""Owned lines of a header (GLENTRY, APBILLITEM, ARINVOICEITEM, payment details).

Lines arrive in the header's collection (`ENTRIES/GLENTRY`...), are validated one by one
with their line number in errors, completed from the header (`derive.derive_line`),
stored as rows of the line object with the header's key, and audited. A JE also has to
balance (rules.check_balance).
"""

from __future__ import annotations

from typing import Any

from intacct_sandbox import db
from intacct_sandbox.catalog import ObjectDef
from intacct_sandbox.functions import audit, derive, recordnos, rules
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.common import CallContext

MIN_LINES = {"GLBATCH": 2}


def prepare(
    ctx: CallContext,
    verb: rules.Verb,
    *,
    obj: ObjectDef,
    line_obj: ObjectDef,
    header: dict[str, Any],
    raw_lines: list[dict[str, str]],
    cache: rules.LookupCache,
) -> list[dict[str, Any]]:
    """Validate and complete the owned lines; checks count and (for JEs) balance."""
    minimum = MIN_LINES.get(obj.name, 1)
    if len(raw_lines) < minimum:
        raise verb.fail(errs.too_few_lines(minimum, obj.label.lower()))
    parent_key = obj.owned[0].parent_key_field
    prepared: list[dict[str, Any]] = []
    for number, raw in enumerate(raw_lines, start=1):
        line_verb = rules.Verb(verb.name, obj, line=number)
        given = {k: v for k, v in raw.items() if k.upper() != parent_key.upper()}
        line = _coerce_line(ctx, line_verb, line_obj, given)
        _resolve_account_label(ctx, line_verb, line=line, raw=raw, cache=cache)
        derive.derive_line(
            obj, line_obj=line_obj, header=header, line=line, number=number, account=None
        )
        rules.check_required(line_verb, line_obj, line, skip=[parent_key])
        rules.check_references(ctx, line_verb, line_obj, line, cache)
        if obj.name == "GLBATCH":
            _check_tr_type(line_verb, line_obj, line)
        account = None
        if line.get("ACCOUNTNO"):
            account = rules.find_reference(
                ctx, cache, "GLACCOUNT", "ACCOUNTNO", str(line["ACCOUNTNO"])
            )
        derive.derive_line(
            obj, line_obj=line_obj, header=header, line=line, number=number, account=account
        )
        prepared.append(line)
    if obj.name == "GLBATCH":
        rules.check_balance(verb, prepared)
    return prepared


def _coerce_line(
    ctx: CallContext, verb: rules.Verb, line_obj: ObjectDef, given: dict[str, str]
) -> dict[str, Any]:
    """Lines accept AMOUNT as an alias of TRX_AMOUNT (the JE docs' samples use it)."""
    amount_alias = {k: v for k, v in given.items() if k.upper() == "AMOUNT"}
    definition = line_obj.field("AMOUNT")
    if amount_alias and definition is not None and definition.readonly:
        given = {k: v for k, v in given.items() if k.upper() != "AMOUNT"}
        if not any(k.upper() == "TRX_AMOUNT" for k in given):
            given["TRX_AMOUNT"] = next(iter(amount_alias.values()))
    return rules.coerce_fields(ctx, verb, line_obj, given)


def _resolve_account_label(
    ctx: CallContext,
    verb: rules.Verb,
    *,
    line: dict[str, Any],
    raw: dict[str, str],
    cache: rules.LookupCache,
) -> None:
    """ACCOUNTLABEL (sandbox choice: a GLACCOUNT TITLE) stands in for ACCOUNTNO."""
    if line.get("ACCOUNTNO"):
        return
    label = next((v for k, v in raw.items() if k.upper() == "ACCOUNTLABEL" and v), None)
    if label is None:
        return
    account = rules.find_reference(ctx, cache, "GLACCOUNT", "TITLE", label)
    if account is None:
        raise verb.fail(errs.invalid_reference("Account Label", label))
    line["ACCOUNTNO"] = account["ACCOUNTNO"]


def _check_tr_type(verb: rules.Verb, line_obj: ObjectDef, line: dict[str, Any]) -> None:
    if line.get("TR_TYPE") not in (1, -1):
        definition = line_obj.field("TR_TYPE")
        label = definition.label if definition else "Transaction type"
        raise verb.fail(errs.invalid_value(label, str(line.get("TR_TYPE")), ("1", "-1")))


def insert(
    ctx: CallContext,
    obj: ObjectDef,
    line_obj: ObjectDef,
    header: dict[str, Any],
    lines: list[dict[str, Any]],
) -> None:
    """Store the prepared lines under their header, then their Create audit rows (both
    in line order, one statement each: the keys are reserved up front)."""
    parent_key = obj.owned[0].parent_key_field
    first = recordnos.reserve(ctx.conn, line_obj, len(lines))
    entity_fields = [
        name
        for name in ("MEGAENTITYKEY", "MEGAENTITYID", "MEGAENTITYNAME")
        if line_obj.field(name) is not None
    ]
    for offset, line in enumerate(lines):
        line[line_obj.key_field] = first + offset
        line[parent_key] = header[obj.key_field]
        derive.stamp_create(ctx, line_obj, line)
        for entity_field in entity_fields:
            line[entity_field] = header.get(entity_field)
    db.insert_records(ctx.conn, line_obj, lines)
    audit.record_writes(ctx, line_obj, lines, audit.CREATE)


def delete(ctx: CallContext, obj: ObjectDef, line_obj: ObjectDef, recordno: int) -> None:
    parent_key = db.quote_ident(obj.owned[0].parent_key_field)
    keys = [
        int(r[0])
        for r in ctx.conn.execute(
            f"SELECT {db.quote_ident(line_obj.key_field)} FROM {db.table(line_obj)} "
            f"WHERE {parent_key} = ?",
            (recordno,),
        )
    ]
    recordnos.pin(ctx.conn, line_obj)
    ctx.conn.executemany(
        f"DELETE FROM {db.table(line_obj)} WHERE {db.quote_ident(line_obj.key_field)} = ?",
        [(key,) for key in keys],
    )
    gone = [{line_obj.key_field: key} for key in keys]
    audit.record_writes(ctx, line_obj, gone, audit.DELETE)


def load(
    ctx: CallContext, obj: ObjectDef, line_obj: ObjectDef, recordno: int
) -> list[dict[str, Any]]:
    parent_key = db.quote_ident(obj.owned[0].parent_key_field)
    cur = ctx.conn.execute(
        f"SELECT * FROM {db.table(line_obj)} WHERE {parent_key} = ? "
        f"ORDER BY {db.quote_ident(line_obj.key_field)}",
        (recordno,),
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def refresh(
    ctx: CallContext, obj: ObjectDef, line_obj: ObjectDef, header: dict[str, Any]
) -> list[dict[str, Any]]:
    """Header changed without new lines: keep the lines, refresh their header copies."""
    parent_key = db.quote_ident(obj.owned[0].parent_key_field)
    cur = ctx.conn.execute(
        f"SELECT * FROM {db.table(line_obj)} WHERE {parent_key} = ? "
        f"ORDER BY {db.quote_ident(line_obj.key_field)}",
        (header[obj.key_field],),
    )
    names = [d[0] for d in cur.description]
    lines = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for line in lines:
        number = line.get("LINE_NO") or 1
        derive.derive_line(
            obj, line_obj=line_obj, header=header, line=line, number=int(number), account=None
        )
        derive.stamp_update(ctx, line_obj, line)
        db.update_record(ctx.conn, line_obj, int(line[line_obj.key_field]), line)
    return lines
