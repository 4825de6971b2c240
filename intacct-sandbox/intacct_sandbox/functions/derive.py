"""Values Intacct fills in itself when a record is written.

Audit stamps (WHENCREATED/WHENMODIFIED/CREATEDBY/MODIFIEDBY, AUWHENCREATED), the owning
entity of an entity-level session (MEGAENTITY*), header defaults (STATUS active, GLBATCH
STATE Posted, bill/invoice record types and states), copies of header values on lines
(LINE_NO, ENTRY_DATE, ACCOUNTKEY/ACCOUNTTITLE) and totals computed with Decimal.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from intacct_sandbox import db, values
from intacct_sandbox.catalog import ObjectDef
from intacct_sandbox.functions.common import CallContext

BASE_CURRENCY = "USD"

# Header object -> (RECORDTYPE, MODULEKEY, name field, reference field, referenced object)
SUBLEDGER: dict[str, tuple[str, str, str, str, str]] = {
    "APBILL": ("pi", "3.AP", "VENDORNAME", "VENDORID", "VENDOR"),
    "ARINVOICE": ("ri", "4.AR", "CUSTOMERNAME", "CUSTOMERID", "CUSTOMER"),
    "APPYMT": ("pp", "3.AP", "VENDORNAME", "VENDORID", "VENDOR"),
    "ARPYMT": ("rp", "4.AR", "CUSTOMERNAME", "CUSTOMERID", "CUSTOMER"),
}
# Line amount field and its base-currency twin, per line object.
LINE_AMOUNTS: dict[str, tuple[str, str]] = {
    "GLENTRY": ("TRX_AMOUNT", "AMOUNT"),
    "APBILLITEM": ("TRX_AMOUNT", "AMOUNT"),
    "ARINVOICEITEM": ("TRX_AMOUNT", "AMOUNT"),
    "APPYMTDETAIL": ("TRX_PAYMENTAMOUNT", "PAYMENTAMOUNT"),
    "ARPYMTDETAIL": ("TRX_PAYMENTAMOUNT", "PAYMENTAMOUNT"),
}
# Header date that lines inherit as ENTRY_DATE.
HEADER_DATE: dict[str, str] = {
    "GLBATCH": "BATCH_DATE",
    "APBILL": "WHENCREATED",
    "ARINVOICE": "WHENCREATED",
    "APPYMT": "PAYMENTDATE",
    "ARPYMT": "RECEIPTDATE",
}
CENT = Decimal("0.01")


def _put(obj: ObjectDef, record: dict[str, Any], field_id: str, value: Any) -> None:
    """Set a field only when the object defines it (objects differ in their columns)."""
    if obj.field(field_id) is not None:
        record[field_id] = value


def _default(obj: ObjectDef, record: dict[str, Any], field_id: str, value: Any) -> None:
    if obj.field(field_id) is not None and record.get(field_id) in (None, ""):
        record[field_id] = value


def stamp_create(ctx: CallContext, obj: ObjectDef, record: dict[str, Any]) -> None:
    now = db.utc_text(ctx.now)
    created = obj.field("WHENCREATED")
    if created is not None and created.datatype == "TIMESTAMP":
        record["WHENCREATED"] = now
    _put(obj, record, "AUWHENCREATED", now)
    _put(obj, record, "WHENMODIFIED", now)
    _put(obj, record, "CREATEDBY", ctx.user_recordno)
    _put(obj, record, "MODIFIEDBY", ctx.user_recordno)
    if obj.multi_entity:
        record.update(entity_stamp(ctx))


def stamp_update(ctx: CallContext, obj: ObjectDef, record: dict[str, Any]) -> None:
    _put(obj, record, "WHENMODIFIED", db.utc_text(ctx.now))
    _put(obj, record, "MODIFIEDBY", ctx.user_recordno)


def entity_stamp(ctx: CallContext) -> dict[str, Any]:
    """MEGAENTITY* of the session's entity; NULLs (shared record) at top level."""
    if not ctx.entity_id:
        return {"MEGAENTITYKEY": None, "MEGAENTITYID": None, "MEGAENTITYNAME": None}
    row = db.entity_row(ctx.conn, ctx.entity_id) or {}
    return {
        "MEGAENTITYKEY": row.get("RECORDNO"),
        "MEGAENTITYID": row.get("LOCATIONID", ctx.entity_id),
        "MEGAENTITYNAME": row.get("NAME"),
    }


def header_defaults(obj: ObjectDef, record: dict[str, Any], action: str | None) -> None:
    """Defaults applied before required-field checks (so defaults satisfy them)."""
    _default(obj, record, "STATUS", "active")
    if obj.name == "GLBATCH":
        _default(obj, record, "STATE", "Posted")
    if obj.name in SUBLEDGER:
        draft = (action or "").strip().lower() == "draft"
        record_type, module, *_ = SUBLEDGER[obj.name]
        _put(obj, record, "RECORDTYPE", record_type)
        _put(obj, record, "MODULEKEY", module)
        if obj.field("STATE") is not None and obj.name in ("APBILL", "ARINVOICE"):
            record["STATE"] = "Draft" if draft else "Posted"
            _put(obj, record, "RAWSTATE", "D" if draft else "A")
        elif obj.field("STATE") is not None:
            record["STATE"] = "Draft" if draft else "Complete"
        _default(obj, record, "CURRENCY", BASE_CURRENCY)
        _default(obj, record, "BASECURR", BASE_CURRENCY)
        if obj.field("WHENPOSTED") is not None and record.get("WHENPOSTED") is None:
            record["WHENPOSTED"] = record.get("WHENCREATED")
        _default(obj, record, "ONHOLD", "false")
        if obj.name in ("APPYMT", "ARPYMT"):
            # a payment's transaction date is its payment/receipt date (as in the seed)
            _default(obj, record, "WHENCREATED", record.get(HEADER_DATE[obj.name]))
    if obj.name in ("VENDOR", "CUSTOMER"):
        _default(obj, record, "DISPLAYCONTACT.PRINTAS", record.get("NAME"))
        id_value = record.get(obj.id_field or "")
        contact = f"{record.get('NAME')} ({id_value})" if id_value else record.get("NAME")
        _default(obj, record, "DISPLAYCONTACT.CONTACTNAME", contact)
        _default(obj, record, "ONETIME", "false")
        _default(obj, record, "ONHOLD", "false")


def due_date_from_term(term: Mapping[str, Any] | None, start: str | None) -> str | None:
    """WHENDUE from a term and the transaction date (stored ISO dates).

    DUEFROM `from invoice/bill date` adds DUEDAYS days; `of the month of invoice/bill date`
    means day DUEDAYS of the transaction's month (clamped to the month's length)."""
    if not term or not start:
        return None
    try:
        days = int(term.get("DUEDAYS") or 0)
    except (TypeError, ValueError):
        days = 0
    begin = date.fromisoformat(start)
    if str(term.get("DUEFROM") or "").lower().startswith("of the month"):
        last_day = calendar.monthrange(begin.year, begin.month)[1]
        return begin.replace(day=min(max(days, 1), last_day)).isoformat()
    return (begin + timedelta(days=days)).isoformat()


def is_draft(obj: ObjectDef, record: Mapping[str, Any]) -> bool:
    return str(record.get("STATE") or "") == "Draft"


def derive_header(
    ctx: CallContext, obj: ObjectDef, record: dict[str, Any], referenced: Mapping[str, Any] | None
) -> None:
    """Header values that depend on validated data (names of referenced records, numbers)."""
    if obj.name == "GLBATCH":
        _put(obj, record, "MODULE", "2.GL")
        if record.get("BATCHNO") is None:
            # the next journal-entry number; indexed on first use (scaled seeds: 40k+ batches)
            ctx.conn.execute(
                'CREATE INDEX IF NOT EXISTS "ix_glbatch_batchno" ON "GLBATCH" ("BATCHNO")'
            )
            row = ctx.conn.execute(
                'SELECT COALESCE(MAX("BATCHNO"), 0) + 1 FROM "GLBATCH"'
            ).fetchone()
            record["BATCHNO"] = int(row[0])
    if obj.name in SUBLEDGER and referenced is not None:
        name_field = SUBLEDGER[obj.name][2]
        _put(obj, record, name_field, referenced.get("NAME"))


def amount(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def derive_line(
    obj: ObjectDef,
    *,
    line_obj: ObjectDef,
    header: Mapping[str, Any],
    line: dict[str, Any],
    number: int,
    account: Mapping[str, Any] | None,
) -> None:
    """Copies of header values on one line, its number, account key and base amount."""
    _put(line_obj, line, "LINE_NO", number)
    trx_field, base_field = LINE_AMOUNTS.get(line_obj.name, ("TRX_AMOUNT", "AMOUNT"))
    if line.get(trx_field) is None and line.get(base_field) is not None:
        line[trx_field] = line[base_field]
    if line.get(trx_field) is not None and line_obj.field(base_field) is not None:
        rate = amount(line.get("EXCHANGE_RATE")) if line.get("EXCHANGE_RATE") else Decimal(1)
        line[base_field] = values.format_decimal((amount(line[trx_field]) * rate).quantize(CENT))
    _default(line_obj, line, "CURRENCY", header.get("CURRENCY") or BASE_CURRENCY)
    header_date = HEADER_DATE.get(obj.name)
    if header_date:
        _put(line_obj, line, "ENTRY_DATE", header.get(header_date))
    if obj.name == "GLBATCH":
        _put(line_obj, line, "BATCH_NUMBER", header.get("BATCHNO"))
        _put(line_obj, line, "BATCH_DATE", header.get("BATCH_DATE"))
        _put(line_obj, line, "BATCHTITLE", header.get("BATCH_TITLE"))
        _default(line_obj, line, "STATISTICAL", "F")
    if account is not None:
        _put(line_obj, line, "ACCOUNTKEY", account.get("RECORDNO"))
        _put(line_obj, line, "ACCOUNTTITLE", account.get("TITLE"))
    for entity_field in ("MEGAENTITYKEY", "MEGAENTITYID", "MEGAENTITYNAME"):
        if line_obj.field(entity_field) is not None and entity_field in header:
            line[entity_field] = header[entity_field]


def header_totals(
    obj: ObjectDef, line_obj: ObjectDef, header: dict[str, Any], lines: list[dict[str, Any]]
) -> None:
    """TOTALENTERED/TOTALDUE/TRX_* of bills, invoices and payments (Decimal, 2 places)."""
    trx_field, base_field = LINE_AMOUNTS.get(line_obj.name, ("TRX_AMOUNT", "AMOUNT"))
    trx_total = sum((amount(line.get(trx_field)) for line in lines), Decimal(0)).quantize(CENT)
    base_total = sum(
        (amount(line.get(base_field) or line.get(trx_field)) for line in lines), Decimal(0)
    ).quantize(CENT)
    paid = amount(header.get("TOTALPAID")).quantize(CENT)
    trx_paid = amount(header.get("TRX_TOTALPAID")).quantize(CENT)
    fmt = values.format_decimal
    _put(obj, header, "TOTALENTERED", fmt(base_total))
    _put(obj, header, "TRX_TOTALENTERED", fmt(trx_total))
    if obj.name in ("APBILL", "ARINVOICE"):
        _put(obj, header, "TOTALPAID", fmt(paid))
        _put(obj, header, "TRX_TOTALPAID", fmt(trx_paid))
        _put(obj, header, "TOTALDUE", fmt(base_total - paid))
        _put(obj, header, "TRX_TOTALDUE", fmt(trx_total - trx_paid))
    elif obj.name in ("APPYMT", "ARPYMT"):
        _put(obj, header, "TOTALPAID", fmt(base_total))
