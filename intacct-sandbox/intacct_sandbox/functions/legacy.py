"""Legacy (2.1-style) write functions: create_invoice, create_bill, create_gltransaction,
create_class and the delete_* family (docs/protocol.md §4.11; element order from
Intacct's v3.0 api.xsd).

Their payloads are lower-case, strictly ordered (`xs:sequence`), and dates are
`<year>/<month>/<day>` objects. The element order is checked against the sequences below:
an element out of order or unknown to the function is refused with a function-level
XL03000003 "XML Parse schema error" (sandbox choice: the real gateway validates the whole
request against the DTD; the sandbox reports it on the function so the other functions of
the request still run). Missing required values are business errors from the record
engine, as the real gateway's BL03002101 for a line without amount suggests. `action` and
`batchkey` may come in either order (the PHP SDK writes them swapped).

Payloads are translated into the generic engine's `RecordInput`, so legacy and generic
writes share every rule, total, posting and audit row. Success returns `<key>`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from xml.etree.ElementTree import Element

from intacct_sandbox import db, values
from intacct_sandbox.catalog import ObjectDef, get_object
from intacct_sandbox.functions import rules, write
from intacct_sandbox.functions import write_errors as errs
from intacct_sandbox.functions.common import (
    CallContext,
    ErrorSpec,
    FunctionError,
    FunctionOutcome,
    generic_error,
    register,
)
from intacct_sandbox.functions.write_input import RecordInput
from intacct_sandbox.xmlout import element as xml_element

log = logging.getLogger(__name__)

Sequence_ = Sequence[tuple[str, ...]]

INVOICE_SEQUENCE: Sequence_ = (
    ("customerid",), ("datecreated",), ("dateposted",), ("datedue",), ("termname",),
    ("batchkey", "action"), ("invoiceno",), ("ponumber",), ("description",), ("externalid",),
    ("billto",), ("shipto",), ("basecurr",), ("currency",), ("exchratedate",),
    ("exchratetype",), ("exchrate",), ("nogl",), ("supdocid",), ("customfields",),
    ("taxsolutionid",), ("invoiceitems",),
)  # fmt: skip
BILL_SEQUENCE: Sequence_ = (
    ("vendorid",), ("datecreated",), ("dateposted",), ("datedue",), ("termname",),
    ("batchkey", "action"), ("billno",), ("ponumber",), ("onhold",), ("description",),
    ("externalid",), ("payto",), ("returnto",), ("basecurr",), ("currency",),
    ("exchratedate",), ("exchratetype",), ("exchrate",), ("nogl",), ("supdocid",),
    ("customfields",), ("inclusivetax",), ("taxsolutionid",), ("billitems",),
)  # fmt: skip
_LINE_DIMENSIONS: tuple[tuple[str, ...], ...] = (
    ("projectid",), ("taskid",), ("costtypeid",), ("customerid",), ("vendorid",),
    ("employeeid",), ("itemid",), ("classid",), ("contractid",), ("warehouseid",),
)  # fmt: skip
INVOICE_LINE_SEQUENCE: Sequence_ = (
    ("glaccountno", "accountlabel"), ("offsetglaccountno",), ("amount",), ("allocationid",),
    ("memo",), ("locationid",), ("departmentid",), ("key",), ("totalpaid",), ("totaldue",),
    ("customfields",), ("revrectemplate",), ("defrevaccount",), ("revrecstartdate",),
    ("revrecenddate",), ("renewalmacro",), *_LINE_DIMENSIONS, ("taxentries",),
)  # fmt: skip
BILL_LINE_SEQUENCE: Sequence_ = (
    ("glaccountno", "accountlabel"), ("offsetglaccountno",), ("amount",), ("allocationid",),
    ("memo",), ("locationid",), ("departmentid",), ("item1099",), ("form1099type",),
    ("form1099box",), ("key",), ("totalpaid",), ("totaldue",), ("customfields",),
    *_LINE_DIMENSIONS, ("billable",), ("totaltrxamount",), ("partialexempt",),
    ("paymenttaxcapture",), ("taxentries",),
)  # fmt: skip
GLTRANSACTION_SEQUENCE: Sequence_ = (
    ("journalid",), ("datecreated",), ("reversedate",), ("description",), ("referenceno",),
    ("sourceentity",), ("customfields",), ("state",), ("gltransactionentries",),
)  # fmt: skip
GLENTRY_SEQUENCE: Sequence_ = (
    ("trtype",), ("amount",), ("glaccountno",), ("document",), ("datecreated",), ("memo",),
    ("locationid",), ("departmentid",), ("customerid",), ("vendorid",), ("employeeid",),
    ("projectid",), ("taskid",), ("costtypeid",), ("itemid",), ("classid",), ("contractid",),
    ("warehouseid",), ("customfields",), ("recon_date",), ("currency",), ("exchratedate",),
    ("exchratetype",), ("exchrate",),
)  # fmt: skip
CLASS_SEQUENCE: Sequence_ = (("classid",), ("name",), ("description",), ("parentid",), ("status",))

# legacy element -> generic field (elements not listed are accepted by the schema but not kept)
INVOICE_FIELDS = {
    "customerid": "CUSTOMERID", "datecreated": "WHENCREATED", "dateposted": "WHENPOSTED",
    "datedue": "WHENDUE", "termname": "TERMNAME", "action": "ACTION", "invoiceno": "RECORDID",
    "ponumber": "DOCNUMBER", "description": "DESCRIPTION", "basecurr": "BASECURR",
    "currency": "CURRENCY", "supdocid": "SUPDOCID", "billto": "BILLTO.CONTACTNAME",
    "shipto": "SHIPTO.CONTACTNAME",
}  # fmt: skip
BILL_FIELDS = {
    "vendorid": "VENDORID", "datecreated": "WHENCREATED", "dateposted": "WHENPOSTED",
    "datedue": "WHENDUE", "termname": "TERMNAME", "action": "ACTION", "billno": "RECORDID",
    "ponumber": "DOCNUMBER", "onhold": "ONHOLD", "description": "DESCRIPTION",
    "basecurr": "BASECURR", "currency": "CURRENCY", "supdocid": "SUPDOCID",
}  # fmt: skip
DOCUMENT_LINE_FIELDS = {
    "glaccountno": "ACCOUNTNO", "accountlabel": "ACCOUNTLABEL", "amount": "TRX_AMOUNT",
    "memo": "ENTRYDESCRIPTION", "locationid": "LOCATIONID", "departmentid": "DEPARTMENTID",
    "projectid": "PROJECTID", "taskid": "TASKID", "customerid": "CUSTOMERID",
    "vendorid": "VENDORID", "employeeid": "EMPLOYEEID", "itemid": "ITEMID",
    "classid": "CLASSID", "billable": "BILLABLE",
}  # fmt: skip
GLTRANSACTION_FIELDS = {
    "journalid": "JOURNAL", "datecreated": "BATCH_DATE", "reversedate": "REVERSEDATE",
    "description": "BATCH_TITLE", "referenceno": "REFERENCENO", "state": "STATE",
}  # fmt: skip
GLENTRY_FIELDS = {
    "trtype": "TR_TYPE", "amount": "TRX_AMOUNT", "glaccountno": "ACCOUNTNO",
    "memo": "DESCRIPTION", "locationid": "LOCATION", "departmentid": "DEPARTMENT",
    "customerid": "CUSTOMERID", "vendorid": "VENDORID", "employeeid": "EMPLOYEEID",
    "projectid": "PROJECTID", "taskid": "TASKID", "itemid": "ITEMID", "classid": "CLASSID",
    "currency": "CURRENCY",
}  # fmt: skip
CLASS_FIELDS = {
    "classid": "CLASSID", "name": "NAME", "description": "DESCRIPTION",
    "parentid": "PARENTID", "status": "STATUS",
}  # fmt: skip
DATE_ELEMENTS = frozenset({"datecreated", "dateposted", "datedue", "reversedate"})
CONTACT_ELEMENTS = frozenset({"billto", "shipto", "payto", "returnto"})
TR_TYPES = {"debit": "1", "credit": "-1", "1": "1", "-1": "-1"}


# ---- schema checks ----


def apply_line_change(
    lines: list[dict[str, str]], item: Element, change: dict[str, str], *, appended: bool
) -> None:
    """A legacy line-numbered update: append a new line, or change line `line_num`."""
    if appended:
        lines.append(change)
        return
    number = (item.get("line_num") or "").strip()
    if not number.isdigit() or not 1 <= int(number) <= len(lines):
        raise FunctionError(
            errs.bad_format("line_num", number, f"a line number from 1 to {len(lines)}")
        )
    lines[int(number) - 1].update(change)


def _tag(node: Element) -> str:
    return node.tag if isinstance(node.tag, str) else ""


def check_sequence(parent: Element, sequence: Sequence_) -> None:
    """Children must be known to the sequence and appear in its order (DTD xs:sequence)."""
    rank = {name: i for i, group in enumerate(sequence) for name in group}
    expected = ", ".join(group[0] if len(group) == 1 else "|".join(group) for group in sequence)
    last, last_tag = -1, ""
    for child in parent:
        tag = _tag(child)
        if not tag:
            continue
        position = rank.get(tag)
        if position is None:
            raise FunctionError(
                errs.schema_error(
                    f"Element '{tag}': This element is not expected in '{parent.tag}'. "
                    f"Expected is one of ( {expected} )."
                )
            )
        if position < last:
            raise FunctionError(
                errs.schema_error(
                    f"Element '{tag}': This element is not expected after '{last_tag}' "
                    f"in '{parent.tag}'. Expected order is ( {expected} )."
                )
            )
        last, last_tag = position, tag


# ---- value translation ----


def legacy_date(node: Element, label: str) -> str:
    """`<year/><month/><day/>` -> `MM/DD/YYYY`; a bad date is a format error (DOC-PF)."""
    parts = {(_tag(c)).lower(): (c.text or "").strip() for c in node}
    text = "/".join(parts.get(k, "") for k in ("month", "day", "year"))
    try:
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (KeyError, ValueError):
        raise FunctionError(
            errs.bad_format(label, text, "a date as <year>, <month>, <day>")
        ) from None
    return value.strftime("%m/%d/%Y")


def _value(child: Element) -> str:
    tag = _tag(child)
    if tag in DATE_ELEMENTS:
        return legacy_date(child, tag)
    if tag in CONTACT_ELEMENTS:
        return next(((c.text or "").strip() for c in child if _tag(c) == "contactname"), "")
    return (child.text or "").strip()


def translate(node: Element, mapping: dict[str, str]) -> dict[str, str]:
    """Mapped legacy elements -> generic field texts; custom fields by their own name."""
    fields: dict[str, str] = {}
    for child in node:
        tag = _tag(child)
        if tag == "customfields":
            fields.update(_custom_fields(child))
        elif tag in mapping:
            fields[mapping[tag]] = _value(child)
    return fields


def _custom_fields(node: Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in node:
        name = value = ""
        for part in item:
            if _tag(part) == "customfieldname":
                name = (part.text or "").strip()
            elif _tag(part) == "customfieldvalue":
                value = (part.text or "").strip()
        if name:
            out[name.upper()] = value
    return out


def _lines(
    container: Element | None, item_tag: str, sequence: Sequence_, mapping: dict[str, str]
) -> list[dict[str, str]]:
    lines: list[dict[str, str]] = []
    if container is None:
        return lines
    for item in container:
        if _tag(item) != item_tag:
            raise FunctionError(
                errs.schema_error(
                    f"Element '{_tag(item)}': This element is not expected in "
                    f"'{container.tag}'. Expected is ( {item_tag} )."
                )
            )
        check_sequence(item, sequence)
        line = translate(item, mapping)
        if "TR_TYPE" in line:
            line["TR_TYPE"] = TR_TYPES.get(line["TR_TYPE"].lower(), line["TR_TYPE"])
        lines.append(line)
    return lines


def _child(node: Element, tag: str) -> Element | None:
    return next((c for c in node if _tag(c) == tag), None)


# ---- running a translated record ----


def _object(name: str) -> ObjectDef:
    obj = get_object(name)
    if obj is None:  # pragma: no cover - the core catalog always has these
        raise FunctionError(ErrorSpec(errs.GENERIC, "", f"Object definition {name} not found"))
    return obj


def _create(ctx: CallContext, name: str, record_input: RecordInput) -> dict[str, object]:
    obj = _object(name)
    rules.check_write_permission(ctx, obj, "CREATE")
    return write.create_record(ctx, obj, record_input, rules.LookupCache())


def _key_outcome(value: object) -> FunctionOutcome:
    return FunctionOutcome.success(xml_element("key", str(value)), writes=True)


def _guarded(run: Callable[[], FunctionOutcome]) -> FunctionOutcome:
    """Run a legacy body; FunctionErrors become failures without a `<data>` element."""
    try:
        return run()
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors)
    except (ArithmeticError, ValueError, OverflowError):
        log.exception("unexpected value error in a legacy function")
        return FunctionOutcome.failure(generic_error())


# ---- handlers ----


def _create_document(
    ctx: CallContext,
    element: Element,
    *,
    object_name: str,
    header: tuple[Sequence_, dict[str, str]],
    container: str,
    line_tag: str,
    line: tuple[Sequence_, dict[str, str]],
) -> FunctionOutcome:
    """A header with lines: order checked (header, then each line), `<key>` is RECORDNO."""
    header_sequence, header_fields = header
    line_sequence, line_fields = line

    def run() -> FunctionOutcome:
        check_sequence(element, header_sequence)
        lines = _lines(_child(element, container), line_tag, line_sequence, line_fields)
        record = RecordInput(object_name, translate(element, header_fields), lines)
        return _key_outcome(_create(ctx, object_name, record)["RECORDNO"])

    return _guarded(run)


@register("create_invoice")
def create_invoice(ctx: CallContext, element: Element) -> FunctionOutcome:
    return _create_document(
        ctx,
        element,
        object_name="ARINVOICE",
        header=(INVOICE_SEQUENCE, INVOICE_FIELDS),
        container="invoiceitems",
        line_tag="lineitem",
        line=(INVOICE_LINE_SEQUENCE, DOCUMENT_LINE_FIELDS),
    )


@register("create_bill")
def create_bill(ctx: CallContext, element: Element) -> FunctionOutcome:
    return _create_document(
        ctx,
        element,
        object_name="APBILL",
        header=(BILL_SEQUENCE, BILL_FIELDS),
        container="billitems",
        line_tag="lineitem",
        line=(BILL_LINE_SEQUENCE, DOCUMENT_LINE_FIELDS),
    )


@register("create_gltransaction")
def create_gltransaction(ctx: CallContext, element: Element) -> FunctionOutcome:
    return _create_document(
        ctx,
        element,
        object_name="GLBATCH",
        header=(GLTRANSACTION_SEQUENCE, GLTRANSACTION_FIELDS),
        container="gltransactionentries",
        line_tag="glentry",
        line=(GLENTRY_SEQUENCE, GLENTRY_FIELDS),
    )


@register("create_class")
def create_class(ctx: CallContext, element: Element) -> FunctionOutcome:
    """`<key>` is the CLASSID for create_class (PHP ResultTest `<key>C1234</key>`)."""

    def run() -> FunctionOutcome:
        check_sequence(element, CLASS_SEQUENCE)
        created = _create(ctx, "CLASS", RecordInput("CLASS", translate(element, CLASS_FIELDS)))
        return _key_outcome(created["CLASSID"])

    return _guarded(run)


UPDATE_INVOICE_SEQUENCE: Sequence_ = (
    ("customerid",), ("datecreated",), ("dateposted",), ("datedue",), ("termname",),
    ("batchkey", "action"), ("invoiceno",), ("ponumber",), ("description",), ("payto",),
    ("returnto",), ("basecurr",), ("currency",), ("exchratedate",), ("exchratetype",),
    ("exchrate",), ("supdocid",), ("customfields",), ("updateinvoiceitems",),
)  # fmt: skip


def _stored_line_as_input(line_obj: ObjectDef, row: dict[str, object]) -> dict[str, str]:
    """An existing line back in wire form, so the engine can re-validate and re-post it."""
    skip = {line_obj.key_field, "LINE_NO", "RECORDKEY"}
    out: dict[str, str] = {}
    for definition in line_obj.fields:
        value = row.get(definition.id)
        if definition.readonly or definition.id in skip or value is None:
            continue
        text = str(value)
        out[definition.id] = values.us_date(text) if definition.datatype == "DATE" else text
    return out


@register("update_invoice")
def update_invoice(ctx: CallContext, element: Element) -> FunctionOutcome:
    """`<update_invoice key="RECORDNO">`: header fields, and in `updateinvoiceitems`
    `<lineitem>` appends a line while `<updatelineitem line_num="N">` changes line N
    (DOC "Update Invoice (Legacy)"). Lines not mentioned are kept. Status-only success."""

    def run() -> FunctionOutcome:
        obj = _object("ARINVOICE")
        line_obj = _object("ARINVOICEITEM")
        rules.check_write_permission(ctx, obj, "UPDATE")
        check_sequence(element, UPDATE_INVOICE_SEQUENCE)
        key = (element.get("key") or "").strip()
        existing = db.fetch_record(ctx.conn, obj, int(key)) if key.isdigit() else None
        if existing is None:
            raise FunctionError(errs.update_missing(obj.name, obj.key_field, key))
        fields = {obj.key_field: key, **translate(element, INVOICE_FIELDS)}
        items = _child(element, "updateinvoiceitems")
        lines = None
        if items is not None:
            cur = ctx.conn.execute(
                'SELECT * FROM "ARINVOICEITEM" WHERE "RECORDKEY" = ? '
                'ORDER BY "LINE_NO", "RECORDNO"',
                (int(key),),
            )
            names = [d[0] for d in cur.description]
            lines = [
                _stored_line_as_input(line_obj, dict(zip(names, r, strict=True)))
                for r in cur.fetchall()
            ]
            for item in items:
                tag = _tag(item)
                if tag not in ("lineitem", "updatelineitem"):
                    raise FunctionError(
                        errs.schema_error(
                            f"Element '{tag}': This element is not expected in "
                            "'updateinvoiceitems'. Expected is ( updatelineitem | lineitem )."
                        )
                    )
                check_sequence(item, INVOICE_LINE_SEQUENCE)
                change = translate(item, DOCUMENT_LINE_FIELDS)
                apply_line_change(lines, item, change, appended=tag == "lineitem")
        record = RecordInput("ARINVOICE", fields, lines)
        write.update_record(ctx, obj, record, rules.LookupCache())
        return FunctionOutcome.success("", writes=True)

    return _guarded(run)


# delete_<x>: function name -> (object, attribute, key kind: "id" field or "recordno")
LEGACY_DELETES: dict[str, tuple[str, str, str]] = {
    "delete_vendor": ("VENDOR", "vendorid", "id"),
    "delete_customer": ("CUSTOMER", "customerid", "id"),
    "delete_class": ("CLASS", "key", "id"),
    "delete_gltransaction": ("GLBATCH", "key", "recordno"),
    "delete_bill": ("APBILL", "key", "recordno"),
    "delete_invoice": ("ARINVOICE", "key", "recordno"),
}


def _legacy_delete(ctx: CallContext, element: Element) -> FunctionOutcome:
    object_name, attribute, kind = LEGACY_DELETES[_tag(element)]

    def run() -> FunctionOutcome:
        obj = _object(object_name)
        rules.check_write_permission(ctx, obj, "DELETE")
        value = (element.get(attribute) or "").strip()
        if kind == "id":
            row = db.find_by_id(ctx.conn, obj, value) if value else None
            if row is None:
                raise FunctionError(errs.delete_missing(obj.name, value))
            value = str(row[obj.key_field])
        write.delete_record(ctx, obj, value)
        return FunctionOutcome.success("", writes=True)

    return _guarded(run)


for _name in LEGACY_DELETES:
    register(_name)(_legacy_delete)

# legacy reads and attachments register themselves too
from intacct_sandbox.functions import attachments as _attachments  # noqa: E402, F401
from intacct_sandbox.functions import legacy_read as _legacy_read  # noqa: E402, F401
