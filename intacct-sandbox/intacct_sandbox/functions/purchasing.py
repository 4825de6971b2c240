"""Purchasing transactions through the legacy `create_potransaction` / `update_potransaction`.

Element order follows the sequences the official PHP SDK writes
(`src/Intacct/Functions/Purchasing/PurchasingTransactionCreate.php`, `...Update.php`,
`PurchasingTransactionLineCreate.php`, `PurchasingTransactionLineUpdate.php`); an element
out of order or unknown is the function-level XL03000003 schema error, as for the other
legacy functions. A transaction is stored as PODOCUMENT with PODOCUMENTENTRY lines through
the generic record engine, so rules, audit rows and RECORDNOs are shared.

- `transactiontype` names a PODOCUMENTPARAMS definition (DOCID); `documentno` becomes
  DOCNO, and DOCID is `<transactiontype>-<documentno>`, unique per company (sandbox
  choice: a repeated document number of one definition is a duplicate). Without a
  `documentno` the sandbox numbers the document `PO<RECORDNO>`; so it does for a
  definition with ENABLE_NUMBERING under the variant `po_document_number=sequence`.
- `<key>` of a create is the DOCID (`Purchase Order-PO0001`), which `update_potransaction
  key=` takes; `updatepotransitem line_num="N"` changes line N (1-based), `potransitem`
  appends a line, other lines are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from xml.etree.ElementTree import Element

from intacct_sandbox import db, values, variants
from intacct_sandbox.catalog import ObjectDef, get_object
from intacct_sandbox.functions import rules, write
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.common import CallContext as Ctx
from intacct_sandbox.functions.common import (
    ErrorSpec,
    FunctionError,
    FunctionOutcome,
    register,
)
from intacct_sandbox.functions.legacy import (
    Sequence_,
    apply_line_change,
    check_sequence,
    translate,
)
from intacct_sandbox.functions.write_input import RecordInput
from intacct_sandbox.xmlout import element as xml_element

CENT = Decimal("0.01")
_TAIL: Sequence_ = (
    ("message",), ("shippingmethod",), ("returnto",), ("payto",), ("supdocid",),
    ("externalid",), ("basecurr",), ("currency",), ("exchratedate",),
    ("exchratetype", "exchrate"), ("customfields",), ("state",),
)  # fmt: skip
CREATE_SEQUENCE: Sequence_ = (
    ("transactiontype",), ("datecreated",), ("dateposted",), ("createdfrom",), ("vendorid",),
    ("documentno",), ("referenceno",), ("vendordocno",), ("termname",), ("datedue",),
    *_TAIL, ("potransitems",), ("subtotals",),
)  # fmt: skip
UPDATE_SEQUENCE: Sequence_ = (
    ("datecreated",), ("dateposted",), ("referenceno",), ("vendordocno",), ("termname",),
    ("datedue",), *_TAIL, ("updatepotransitems",), ("updatesubtotals",),
)  # fmt: skip
LINE_SEQUENCE: Sequence_ = (
    ("itemid",), ("itemdesc",), ("taxable",), ("warehouseid",), ("quantity",), ("unit",),
    ("price",), ("overridetaxamount",), ("tax",), ("locationid",), ("departmentid",),
    ("memo",), ("itemdetails",), ("form1099",), ("customfields",), ("projectid",),
    ("customerid",), ("vendorid",), ("employeeid",), ("classid",), ("contractid",),
    ("billable",),
)  # fmt: skip
HEADER_FIELDS = {
    "transactiontype": "DOCPARID", "datecreated": "WHENCREATED", "vendorid": "CUSTVENDID",
    "documentno": "DOCNO", "referenceno": "PONUMBER", "termname": "TERM.NAME",
    "datedue": "WHENDUE", "message": "MESSAGE", "supdocid": "SUPDOCID",
    "basecurr": "BASECURR", "currency": "CURRENCY", "state": "STATE",
}  # fmt: skip
LINE_FIELDS = {
    "itemid": "ITEMID", "itemdesc": "ITEMDESC", "warehouseid": "WAREHOUSEID",
    "quantity": "QUANTITY", "unit": "UNIT", "price": "PRICE", "locationid": "LOCATIONID",
    "departmentid": "DEPARTMENTID", "memo": "MEMO", "projectid": "PROJECTID",
}  # fmt: skip


def _object(name: str) -> ObjectDef:
    obj = get_object(name)
    if obj is None:  # pragma: no cover - the extended catalog always has these
        raise FunctionError(ErrorSpec(errs.GENERIC, "", f"Object definition {name} not found"))
    return obj


def _tag(node: Element) -> str:
    return node.tag if isinstance(node.tag, str) else ""


def _child(node: Element, tag: str) -> Element | None:
    return next((c for c in node if _tag(c) == tag), None)


def _line(item: Element) -> dict[str, str]:
    check_sequence(item, LINE_SEQUENCE)
    return translate(item, LINE_FIELDS)


def _items(container: Element | None, allowed: tuple[str, ...]) -> list[tuple[Element, str]]:
    if container is None:
        return []
    found: list[tuple[Element, str]] = []
    for item in container:
        tag = _tag(item)
        if tag not in allowed:
            raise FunctionError(
                errs.schema_error(
                    f"Element '{tag}': This element is not expected in '{container.tag}'. "
                    f"Expected is ( {' | '.join(allowed)} )."
                )
            )
        found.append((item, tag))
    return found


def _numbers_itself(ctx: Ctx, name: str) -> bool:
    """The definition numbers its documents (ENABLE_NUMBERING)."""
    row = db.find_by_id(ctx.conn, _object("PODOCUMENTPARAMS"), name)
    return row is not None and str(row.get("ENABLE_NUMBERING") or "").lower() in ("true", "t", "1")


def _check_definition(ctx: Ctx, name: str) -> None:
    params = _object("PODOCUMENTPARAMS")
    if db.find_by_id(ctx.conn, params, name) is None:
        raise FunctionError(errs.invalid_reference("Transaction Definition", name))


def _finish(ctx: Ctx, obj: ObjectDef, recordno: int, docid: str, docno: str) -> None:
    """What Intacct fills in: DOCID on the header and lines, line and document totals."""
    total = Decimal(0)
    rows = ctx.conn.execute(
        'SELECT "RECORDNO", "QUANTITY", "PRICE" FROM "PODOCUMENTENTRY" WHERE "DOCHDRNO" = ?',
        (recordno,),
    ).fetchall()
    for line_no, quantity, price in rows:
        extended = (Decimal(str(quantity or 0)) * Decimal(str(price or 0))).quantize(CENT)
        total += extended
        ctx.conn.execute(
            'UPDATE "PODOCUMENTENTRY" SET "DOCHDRID" = ?, "TOTAL" = ? WHERE "RECORDNO" = ?',
            (docid, values.format_decimal(extended), line_no),
        )
    text = values.format_decimal(total)
    db.update_record(
        ctx.conn,
        obj,
        recordno,
        {"DOCID": docid, "DOCNO": docno, "SUBTOTAL": text, "TOTAL": text, "TRX_TOTAL": text},
    )


def _guarded(run: Callable[[], FunctionOutcome]) -> FunctionOutcome:
    try:
        return run()
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)


@register("create_potransaction")
def create_potransaction(ctx: Ctx, element: Element) -> FunctionOutcome:
    """`<key>` is the new DOCID."""

    def run() -> FunctionOutcome:
        obj = _object("PODOCUMENT")
        rules.check_write_permission(ctx, obj, "CREATE")
        check_sequence(element, CREATE_SEQUENCE)
        fields = translate(element, HEADER_FIELDS)
        definition = fields.get("DOCPARID", "")
        if not definition:
            raise FunctionError(errs.required_field("transactiontype", "Transaction type"))
        _check_definition(ctx, definition)
        docno = fields.get("DOCNO", "")
        if _numbers_itself(ctx, definition) and variants.active("po_document_number") == "sequence":
            docno = ""
        if docno:
            taken = ctx.conn.execute(
                'SELECT 1 FROM "PODOCUMENT" WHERE "DOCPARID" = ? AND "DOCNO" = ?',
                (definition, docno),
            ).fetchone()
            if taken:
                raise FunctionError(errs.duplicate("Purchasing Transaction", docno))
        items = _items(_child(element, "potransitems"), ("potransitem",))
        lines = [_line(item) for item, _tag_name in items]
        record = RecordInput("PODOCUMENT", fields, lines)
        created = write.create_record(ctx, obj, record, rules.LookupCache())
        recordno = int(str(created["RECORDNO"]))
        docno = docno or f"PO{recordno}"
        docid = f"{definition}-{docno}"
        _finish(ctx, obj, recordno, docid, docno)
        return FunctionOutcome.success(xml_element("key", docid), writes=True)

    return _guarded(run)


def _stored_lines(ctx: Ctx, recordno: int) -> list[dict[str, str]]:
    cur = ctx.conn.execute(
        'SELECT * FROM "PODOCUMENTENTRY" WHERE "DOCHDRNO" = ? ORDER BY "LINE_NO", "RECORDNO"',
        (recordno,),
    )
    names = [d[0] for d in cur.description]
    kept = set(LINE_FIELDS.values())
    lines: list[dict[str, str]] = []
    for row in cur.fetchall():
        stored = dict(zip(names, row, strict=True))
        lines.append({k: str(v) for k, v in stored.items() if k in kept and v is not None})
    return lines


@register("update_potransaction")
def update_potransaction(ctx: Ctx, element: Element) -> FunctionOutcome:
    """`key` is the DOCID; status-only success."""

    def run() -> FunctionOutcome:
        obj = _object("PODOCUMENT")
        rules.check_write_permission(ctx, obj, "UPDATE")
        check_sequence(element, UPDATE_SEQUENCE)
        key = (element.get("key") or "").strip()
        existing = db.find_by_id(ctx.conn, obj, key) if key else None
        if existing is None:
            raise FunctionError(errs.update_missing(obj.name, "DOCID", key))
        recordno = int(existing[obj.key_field])
        fields = {obj.key_field: str(recordno), **translate(element, HEADER_FIELDS)}
        container = _child(element, "updatepotransitems")
        lines = None
        if container is not None:
            lines = _stored_lines(ctx, recordno)
            for item, tag in _items(container, ("updatepotransitem", "potransitem")):
                apply_line_change(lines, item, _line(item), appended=tag == "potransitem")
        write.update_record(ctx, obj, RecordInput("PODOCUMENT", fields, lines), rules.LookupCache())
        _finish(ctx, obj, recordno, str(existing["DOCID"]), str(existing["DOCNO"]))
        return FunctionOutcome.success("", writes=True)

    return _guarded(run)
