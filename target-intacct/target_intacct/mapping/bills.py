"""Bills -> APBILL with APBILLITEMS/APBILLITEM (generic create/update)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from intacct_client import filters as f

from target_intacct.mapping.attached import WithAttachments
from target_intacct.mapping.base import Prepared, Refs, WriteSettings, drop_empty
from target_intacct.mapping.common import GenericWriteSpec, item_lines, plan_document, resolve_party
from target_intacct.records import InputRecord
from target_intacct.validation import validate_document, validate_schema
from target_intacct.values import iso_date


def optional_date(value: Any) -> date | None:
    """Read an optional ISO date; None when absent."""
    return iso_date(value) if value else None


def wire(header: Mapping[str, Any], settings: WriteSettings) -> dict[str, Any]:
    """Dates in the form requests carry; everything else is already wire-ready."""
    return {k: settings.wire_date(v) if isinstance(v, date) else v for k, v in header.items()}


class BillsSpec(WithAttachments, GenericWriteSpec):
    """Natural key: bill number (RECORDID) + vendor (VENDORID)."""

    stream = "Bills"
    object_name = "APBILL"
    key_fields: ClassVar[tuple[str, ...]] = ("RECORDID", "VENDORID")
    line_object: ClassVar[str | None] = "APBILLITEM"
    line_parent_field: ClassVar[str] = "RECORDKEY"
    id_source: ClassVar[str] = "billNumber"

    def validate(self, item: InputRecord, settings: WriteSettings) -> None:
        """Check the bill's schema, vendor, dates, lines and attachments."""
        validate_schema(item)
        validate_document(item, "vendor")
        self.check_attachments(item, settings)

    def prepare(self, item: InputRecord, refs: Refs, settings: WriteSettings) -> Prepared:
        """Map a bill to an APBILL payload keyed by bill number and vendor."""
        data = item.data
        vendor = resolve_party(refs, data, "vendor")
        header = drop_empty(
            {
                "RECORDID": str(data["billNumber"]),
                "VENDORID": vendor,
                "WHENCREATED": iso_date(data["issueDate"]),
                "WHENPOSTED": optional_date(data.get("postingDate")),
                "WHENDUE": optional_date(data.get("dueDate")),
                "TERMNAME": data.get("paymentTerm"),
                "DOCNUMBER": data.get("reference"),
                "DESCRIPTION": data.get("description"),
                "CURRENCY": data.get("currency"),
                "SUPDOCID": self.supdoc_of(item),
            }
        )
        items = item_lines(refs, data)
        return Prepared(
            item=item,
            natural_key=(str(data["billNumber"]), vendor),
            payload={**wire(header, settings), "APBILLITEMS": {"APBILLITEM": items}},
            header=header,
            lines=[dict(line) for line in items],
        )

    def planned(self, prepared: Prepared, documents: dict[tuple[str, str, str], Decimal]) -> None:
        """Note the bill so payments of the same input can name it in a dry run."""
        plan_document(self.object_name, prepared, documents)

    def lookup_filter(self, batch: Sequence[Prepared]) -> Any:
        """Find existing bills by bill number."""
        return f.in_("RECORDID", sorted({p.natural_key[0] for p in batch}))

    def row_keys(self, row: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """A bill is known by its number and vendor."""
        return [(str(row.get("RECORDID")), str(row.get("VENDORID")))]
