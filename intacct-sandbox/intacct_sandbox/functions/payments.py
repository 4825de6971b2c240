"""AP payments and AR receipts applied to the bills and invoices they pay.

`APPYMTDETAIL` / `ARPYMTDETAIL` lines name a bill / invoice (RECORDKEY) and an amount
(TRX_PAYMENTAMOUNT). Applying a payment raises the document's TOTALPAID, lowers TOTALDUE
and moves its STATE to `Partially Paid` or `Paid` (WHENPAID = payment date); deleting the
payment reverses that. The document must belong to the payment's vendor/customer. An
overpaid line is refused, or (variant `payment_overpayment=accept`) applied in full so the
amount due goes negative. A receipt names a bank account (FINANCIALENTITY) or an
undeposited-funds account (UNDEPOSITEDACCOUNTNO). Payments that are Draft apply nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from intacct_sandbox import db, values, variants
from intacct_sandbox.catalog import ObjectDef, get_object
from intacct_sandbox.functions import audit, derive, rules
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.common import CallContext, ErrorSpec

# payment object -> (document object, party field, payment date field)
DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "APPYMT": ("APBILL", "VENDORID", "PAYMENTDATE"),
    "ARPYMT": ("ARINVOICE", "CUSTOMERID", "RECEIPTDATE"),
}
CHECK_NUMBER_BASE = 10000
DEPOSIT_FIELDS = ("FINANCIALENTITY", "UNDEPOSITEDACCOUNTNO")
RAW_STATES = {"Paid": "P", "Partially Paid": "T", "Posted": "A"}


def applies(obj: ObjectDef) -> bool:
    return obj.name in DOCUMENTS


def _money(value: Any) -> Decimal:
    return derive.amount(value).quantize(derive.CENT)


def overpaid(label: str, key: Any, paying: Decimal, due: Decimal) -> ErrorSpec:
    """EMULATOR-INVENTED: a payment line larger than what is still due."""
    return ErrorSpec(
        errs.GENERIC,
        "Payment exceeds amount due",
        f"The payment amount {values.format_decimal(paying)} exceeds the amount due "
        f"{values.format_decimal(due)} of {label} {key}.",
        "Pay at most the amount due, then try again.",
    )


def apply(
    ctx: CallContext,
    verb: rules.Verb,
    obj: ObjectDef,
    header: dict[str, Any],
    lines: Sequence[Mapping[str, Any]],
    *,
    sign: int = 1,
) -> None:
    """Add (sign=1) or take back (sign=-1) the lines' amounts on their documents."""
    if obj.name == "ARPYMT" and sign > 0 and not _deposit_account(header):
        raise rules.Verb(verb.name, obj).fail(
            errs.required_field("FINANCIALENTITY", "Bank account or undeposited funds account")
        )
    if verb.name == "create" and sign > 0:
        _assign_check_number(ctx, obj, header)
    if str(header.get("STATE") or "") == "Draft":
        return
    document_name, party_field, date_field = DOCUMENTS[obj.name]
    document = get_object(document_name)
    if document is None:
        return
    for number, line in enumerate(lines, start=1):
        key = line.get("RECORDKEY")
        row = db.fetch_record(ctx.conn, document, int(key)) if key is not None else None
        line_verb = rules.Verb(verb.name, obj, line=number)
        if row is None or str(row.get(party_field)) != str(header.get(party_field)):
            if sign < 0:
                continue  # the document went away or changed hands: nothing to reverse
            raise line_verb.fail(errs.invalid_reference(document.label, str(key)))
        paying = _money(line.get("TRX_PAYMENTAMOUNT")) * sign
        due = _money(
            row.get("TRX_TOTALDUE") if row.get("TRX_TOTALDUE") is not None else row.get("TOTALDUE")
        )
        if sign > 0 and paying > due and variants.active("payment_overpayment") == "refuse":
            raise line_verb.fail(overpaid(document.label, key, paying, due))
        _update_document(ctx, document, row, paying, header.get(date_field))


def _assign_check_number(ctx: CallContext, obj: ObjectDef, header: dict[str, Any]) -> None:
    """Variant check_docnumber=check_number: a Printed Check AP payment's DOCNUMBER becomes
    its check number (10000 + RECORDNO), as when Intacct prints the check."""
    if obj.name != "APPYMT" or variants.active("check_docnumber") != "check_number":
        return
    if str(header.get("PAYMENTMETHOD") or "").lower() != "printed check":
        return
    number = str(CHECK_NUMBER_BASE + int(header[obj.key_field]))
    header["DOCNUMBER"] = number
    db.update_record(ctx.conn, obj, int(header[obj.key_field]), {"DOCNUMBER": number})


def _deposit_account(header: Mapping[str, Any]) -> bool:
    return any(str(header.get(name) or "").strip() for name in DEPOSIT_FIELDS)


def _update_document(
    ctx: CallContext, document: ObjectDef, row: dict[str, Any], paying: Decimal, paid_on: Any
) -> None:
    fmt = values.format_decimal
    changes: dict[str, Any] = {}
    for paid_field, due_field in (("TOTALPAID", "TOTALDUE"), ("TRX_TOTALPAID", "TRX_TOTALDUE")):
        if document.field(paid_field) is not None:
            changes[paid_field] = fmt(_money(row.get(paid_field)) + paying)
        if document.field(due_field) is not None:
            changes[due_field] = fmt(_money(row.get(due_field)) - paying)
    remaining = _money(changes.get("TOTALDUE", row.get("TOTALDUE")))
    paid = _money(changes.get("TOTALPAID", row.get("TOTALPAID")))
    state = "Paid" if remaining <= 0 else ("Partially Paid" if paid > 0 else "Posted")
    changes["STATE"] = state
    if document.field("RAWSTATE") is not None:
        changes["RAWSTATE"] = RAW_STATES[state]
    if document.field("WHENPAID") is not None:
        changes["WHENPAID"] = paid_on if state == "Paid" else None
    derive.stamp_update(ctx, document, changes)
    db.update_record(ctx.conn, document, int(row[document.key_field]), changes)
    audit.record_write(ctx, document, {**row, **changes}, audit.MODIFY)
