"""JournalEntries -> GLBATCH with ENTRIES/GLENTRY (generic create/update)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from intacct_client import filters as f

from target_intacct.mapping.attached import WithAttachments
from target_intacct.mapping.base import Prepared, Refs, WriteSettings, drop_empty
from target_intacct.mapping.common import GenericWriteSpec
from target_intacct.mapping.dimensions import GLENTRY_DIMENSIONS, resolve_dimensions
from target_intacct.records import InputRecord
from target_intacct.validation import validate_journal_entry, validate_schema
from target_intacct.values import iso_date, positive_amount


class JournalEntriesSpec(WithAttachments, GenericWriteSpec):
    """The external id lives in REFERENCENO; with the journal it finds the entry again."""

    stream = "JournalEntries"
    object_name = "GLBATCH"
    key_fields: ClassVar[tuple[str, ...]] = ("REFERENCENO", "JOURNAL")
    line_object: ClassVar[str | None] = "GLENTRY"
    line_parent_field: ClassVar[str] = "BATCHNO"

    def validate(self, item: InputRecord, settings: WriteSettings) -> None:
        """Check the entry's schema, journal, dates, lines and attachments."""
        validate_schema(item)
        validate_journal_entry(item, settings.default_journal)
        self.check_attachments(item, settings)

    def prepare(self, item: InputRecord, refs: Refs, settings: WriteSettings) -> Prepared:
        """Map a journal entry to a GLBATCH payload keyed by id and journal."""
        data = item.data
        journal = str(data.get("journal") or settings.default_journal)
        batch_date = iso_date(data["transactionDate"])
        reverse = iso_date(data["reversalDate"]) if data.get("reversalDate") else None
        title = data.get("description") or str(data["id"])
        header: dict[str, Any] = drop_empty(
            {
                "JOURNAL": journal,
                "BATCH_DATE": batch_date,
                "BATCH_TITLE": title,
                "REFERENCENO": str(data["id"]),
                "REVERSEDATE": reverse,
                "STATE": data.get("state"),
                "SUPDOCID": self.supdoc_of(item),
            }
        )
        currency = data.get("currency")
        entries: list[dict[str, Any]] = []
        compare_lines: list[dict[str, Any]] = []
        for index, line in enumerate(data["lines"]):
            path = f"lines[{index}]"
            entry = drop_empty(
                {
                    "ACCOUNTNO": refs.account(path, line),
                    "TR_TYPE": 1 if line["postingType"] == "debit" else -1,
                    "TRX_AMOUNT": positive_amount(line["amount"]),
                    "DESCRIPTION": line.get("description"),
                    "CURRENCY": currency,
                    **resolve_dimensions(refs, path, line, GLENTRY_DIMENSIONS),
                }
            )
            entries.append(entry)
            compare_lines.append({k: v for k, v in entry.items() if k != "CURRENCY"})
        dated = {"BATCH_DATE", "REVERSEDATE"}
        payload = {
            **{k: settings.wire_date(v) if k in dated else v for k, v in header.items()},
            "ENTRIES": {"GLENTRY": entries},
        }
        return Prepared(
            item=item,
            natural_key=(str(data["id"]), journal),
            payload=payload,
            header=header,
            lines=compare_lines,
        )

    def lookup_filter(self, batch: Sequence[Prepared]) -> Any:
        """Find existing entries by reference number (the input id)."""
        return f.in_("REFERENCENO", sorted({p.natural_key[0] for p in batch}))

    def row_keys(self, row: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """An entry is known by its reference number and journal."""
        return [(str(row.get("REFERENCENO")), str(row.get("JOURNAL")))]
