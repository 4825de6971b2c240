"""Invoices -> ARINVOICE through legacy create_invoice / update_invoice (ordered elements)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from intacct_client import Function
from intacct_client import filters as f

from target_intacct.mapping.attached import WithAttachments
from target_intacct.mapping.base import Prepared, Refs, WriteSettings, drop_empty
from target_intacct.mapping.common import (
    item_lines,
    numbered_line_changes,
    plan_document,
    resolve_party,
)
from target_intacct.records import InputRecord
from target_intacct.validation import validate_document, validate_schema
from target_intacct.values import iso_date, legacy_date

# Order of lineitem children required by the create_invoice sequence (subset we use).
LINE_ORDER: tuple[tuple[str, str], ...] = (
    ("ACCOUNTNO", "glaccountno"),
    ("TRX_AMOUNT", "amount"),
    ("ENTRYDESCRIPTION", "memo"),
    ("LOCATIONID", "locationid"),
    ("DEPARTMENTID", "departmentid"),
    ("PROJECTID", "projectid"),
    ("CUSTOMERID", "customerid"),
    ("VENDORID", "vendorid"),
    ("EMPLOYEEID", "employeeid"),
    ("ITEMID", "itemid"),
    ("CLASSID", "classid"),
)


class InvoicesSpec(WithAttachments):
    """Natural key: invoice number (RECORDID) + customer (CUSTOMERID)."""

    stream = "Invoices"
    object_name = "ARINVOICE"
    key_fields: ClassVar[tuple[str, ...]] = ("RECORDID", "CUSTOMERID")
    line_object: ClassVar[str | None] = "ARINVOICEITEM"
    line_parent_field: ClassVar[str] = "RECORDKEY"
    id_source: ClassVar[str] = "invoiceNumber"

    def validate(self, item: InputRecord, settings: WriteSettings) -> None:
        """Check the invoice's schema, customer, dates, lines and attachments."""
        validate_schema(item)
        validate_document(item, "customer")
        self.check_attachments(item, settings)

    def prepare(self, item: InputRecord, refs: Refs, settings: WriteSettings) -> Prepared:
        """Map an invoice to a ``create_invoice`` payload keyed by invoice number and customer."""
        data = item.data
        customer = resolve_party(refs, data, "customer")
        issued = iso_date(data["issueDate"])
        due = iso_date(data["dueDate"]) if data.get("dueDate") else None
        header = drop_empty(
            {
                "RECORDID": str(data["invoiceNumber"]),
                "CUSTOMERID": customer,
                "WHENCREATED": issued,
                "WHENDUE": due,
                "TERMNAME": data.get("paymentTerm"),
                "DOCNUMBER": data.get("poNumber"),
                "DESCRIPTION": data.get("description"),
                "CURRENCY": data.get("currency"),
                "SUPDOCID": self.supdoc_of(item),
            }
        )
        lines = item_lines(refs, data)
        payload = self._legacy_payload(
            customer, issued, due, data, lines, supdoc=header.get("SUPDOCID")
        )
        return Prepared(
            item=item,
            natural_key=(str(data["invoiceNumber"]), customer),
            payload=payload,
            header=header,
            lines=lines,
        )

    @staticmethod
    def _legacy_payload(
        customer: str,
        issued: date,
        due: date | None,
        data: Mapping[str, Any],
        lines: Sequence[Mapping[str, Any]],
        *,
        supdoc: str | None = None,
    ) -> dict[str, Any]:
        """Elements in the order of the create_invoice sequence."""
        ordered: dict[str, Any] = {"customerid": customer, "datecreated": legacy_date(issued)}
        if due is not None:
            ordered["datedue"] = legacy_date(due)
        if data.get("paymentTerm"):
            ordered["termname"] = data["paymentTerm"]
        ordered["invoiceno"] = str(data["invoiceNumber"])
        if data.get("poNumber"):
            ordered["ponumber"] = data["poNumber"]
        if data.get("description"):
            ordered["description"] = data["description"]
        if data.get("currency"):
            ordered["currency"] = data["currency"]
        if supdoc:
            ordered["supdocid"] = supdoc
        ordered["invoiceitems"] = {
            "lineitem": [
                {legacy: line[field] for field, legacy in LINE_ORDER if field in line}
                for line in lines
            ]
        }
        return ordered

    def planned(self, prepared: Prepared, documents: dict[tuple[str, str, str], Decimal]) -> None:
        """Note the invoice so receipts of the same input can name it in a dry run."""
        plan_document(self.object_name, prepared, documents)

    def lookup_filter(self, batch: Sequence[Prepared]) -> Any:
        """Find existing invoices by invoice number."""
        return f.in_("RECORDID", sorted({p.natural_key[0] for p in batch}))

    def row_keys(self, row: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """An invoice is known by its number and customer."""
        return [(str(row.get("RECORDID")), str(row.get("CUSTOMERID")))]

    def create_function(self, prepared: Prepared, controlid: str) -> Function:
        """Build the legacy ``create_invoice`` function."""
        return Function("create_invoice", prepared.payload, controlid=controlid)

    def update_function(
        self,
        prepared: Prepared,
        existing: Mapping[str, Any],
        controlid: str,
        existing_lines: Sequence[Mapping[str, Any]] = (),
    ) -> Function:
        """Build the legacy ``update_invoice`` function, changing lines by number.

        Line N is changed with updatelineitem line_num=N, extra lines are
        appended; it cannot remove lines, so fewer lines than Intacct has is refused.
        """
        body: dict[str, Any] = {k: v for k, v in prepared.payload.items() if k != "customerid"}
        body["updateinvoiceitems"] = numbered_line_changes(
            prepared,
            "lineItems",
            body.pop("invoiceitems")["lineitem"],
            existing_lines,
            document=f"invoice RECORDNO {existing.get('RECORDNO')}",
            function="update_invoice",
            tags=("updatelineitem", "lineitem"),
            advice=" (reverse or delete it first)",
        )
        return Function(
            "update_invoice",
            body,
            controlid=controlid,
            attributes={"key": str(existing["RECORDNO"])},
        )
