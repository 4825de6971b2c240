"""Native streams: a stream named like an Intacct object (VENDOR, CLASS, a custom object).

Fields pass straight through to generic `create`; a record that carries RECORDNO, or the
ID of an existing record, becomes an `update` of that record instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from intacct_client import filters as f

from target_intacct.controlids import canonical_json
from target_intacct.mapping.base import Prepared, Refs, WriteSettings, drop_empty, flatten
from target_intacct.mapping.common import GenericWriteSpec
from target_intacct.records import InputRecord, RecordRejected
from target_intacct.references import REFERENCE_KINDS

# Objects whose ID field is not simply <OBJECT>ID.
ID_FIELDS: dict[str, str | None] = {
    "GLACCOUNT": "ACCOUNTNO",
    "STATACCOUNT": "ACCOUNTNO",
    "CONTACT": "CONTACTNAME",
    "GLBATCH": None,
    "APBILL": None,
    "ARINVOICE": None,
    "APPYMT": None,
    "ARPYMT": None,
}


def id_field_for(object_name: str) -> str | None:
    """The object's id field (``VENDORID`` for VENDOR), None for objects known to have none."""
    return ID_FIELDS.get(object_name, f"{object_name}ID")


class NativeSpec(GenericWriteSpec):
    """Pass-through writer for one Intacct object."""

    key_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, object_name: str) -> None:
        self.stream = object_name
        self.object_name = object_name
        self.id_field = id_field_for(object_name)

    def natural_id(self, data: Mapping[str, Any]) -> tuple[str, str] | None:
        """The record's natural key: RECORDNO when given, else the object's id field."""
        recordno = data.get("RECORDNO")
        if recordno not in (None, ""):
            return ("RECORDNO", str(recordno))
        if self.id_field and data.get(self.id_field) not in (None, ""):
            return (self.id_field, str(data[self.id_field]))
        return None

    def record_id(self, data: Mapping[str, Any]) -> str | None:  # type: ignore[override]
        """The id shown in messages: the RECORDNO or object id the record carries."""
        found = self.natural_id(data)
        return found[1] if found else None

    def validate(self, item: InputRecord, settings: WriteSettings) -> None:
        """Reject a non-integer RECORDNO and a record with nothing to write."""
        recordno = item.data.get("RECORDNO")
        if recordno not in (None, "") and not str(recordno).strip().isdigit():
            raise RecordRejected(item, "RECORDNO", recordno, "RECORDNO must be an integer")
        if not drop_empty(item.data):
            raise RecordRejected(item, None, None, "the record has no fields to write")

    def prepare(self, item: InputRecord, refs: Refs, settings: WriteSettings) -> Prepared:
        """Pass the record's fields through, checked against the object's known fields."""
        payload = drop_empty(item.data)
        refs.check_fields(
            self.object_name,
            [name for name, value in payload.items() if not isinstance(value, (Mapping, list))],
        )
        found = self.natural_id(item.data)
        natural_key = found if found else ("content", canonical_json(payload))
        flat = flatten(payload)
        header = {name: value for name, value in flat.items() if name != "RECORDNO"}
        # Repeated elements (lists) cannot be compared field by field: always update.
        comparable = not any(isinstance(value, list) for value in flat.values())
        if not comparable:
            header = {k: v for k, v in header.items() if not isinstance(v, list)}
        return Prepared(
            item=item,
            natural_key=natural_key,
            payload=payload,
            header=header,
            comparable=comparable,
            remember=self._reference(payload),
        )

    def _reference(self, payload: Mapping[str, Any]) -> tuple[str, str | None, str] | None:
        """Native masters (VENDOR, CLASS, ...) join the reference cache once written."""
        for kind_name, kind in REFERENCE_KINDS.items():
            if kind.object_name == self.object_name:
                ident = payload.get(kind.id_field)
                name = payload.get(kind.name_field) if kind.name_field else None
                if ident in (None, "") or name in (None, ""):
                    return None
                return (kind_name, str(ident), str(name))
        return None

    def query_fields(self, batch: Sequence[Prepared]) -> list[str]:
        """RECORDNO, WHENMODIFIED, the id field and every field the batch writes."""
        fields = ["RECORDNO", "WHENMODIFIED"]
        if self.id_field:
            fields.append(self.id_field)
        for prepared in batch:
            for name in prepared.header:
                if name not in fields:
                    fields.append(name)
        return fields

    def lookup_filter(self, batch: Sequence[Prepared]) -> Any:
        """Find existing records by RECORDNO or by the object's id field."""
        recordnos = sorted({p.natural_key[1] for p in batch if p.natural_key[0] == "RECORDNO"})
        ids = sorted(
            {p.natural_key[1] for p in batch if p.natural_key[0] not in {"RECORDNO", "content"}}
        )
        parts = []
        if recordnos:
            parts.append(f.in_("RECORDNO", recordnos))
        if ids and self.id_field:
            parts.append(f.in_(self.id_field, ids))
        return f.or_(*parts) if parts else None

    def row_keys(self, row: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """A native record is known by its RECORDNO and by its id field."""
        keys: list[tuple[str, ...]] = [("RECORDNO", str(row.get("RECORDNO") or ""))]
        if self.id_field:
            keys.append((self.id_field, str(row.get(self.id_field) or "")))
        return keys
