"""From Intacct `lookup` definitions to Singer stream specs (schema, keys, replication).

Properties keep Intacct's field names. Every property is nullable: Intacct leaves any
field empty on some record, and a target must never reject a real row for that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

REPLICATION_KEY = "WHENMODIFIED"
# Objects without WHENMODIFIED that still have an append-time to replicate on.
OTHER_REPLICATION_KEYS: dict[str, str] = {"AUDITHISTORY": "ACCESSTIME"}
DELETED_AT = "_sdc_deleted_at"
KEY_CANDIDATES: tuple[str, ...] = ("RECORDNO", "ID", "id", "recordno")

_NUMBER_TYPES = frozenset({"DECIMAL", "CURRENCY", "PERCENT", "NUMBER", "DOUBLE"})


def json_type(datatype: str) -> dict[str, Any]:
    """JSON schema for one Intacct DATATYPE (unknown types are strings, which is safe)."""
    kind = datatype.strip().upper()
    if kind == "INTEGER":
        return {"type": ["integer", "null"]}
    if kind in _NUMBER_TYPES:
        return {"type": ["number", "null"]}
    if kind == "BOOLEAN":
        return {"type": ["boolean", "null"]}
    if kind == "DATE":
        return {"type": ["string", "null"], "format": "date"}
    if kind in ("TIMESTAMP", "DATETIME"):
        return {"type": ["string", "null"], "format": "date-time"}
    return {"type": ["string", "null"]}


def deleted_at_property() -> dict[str, Any]:
    """Schema of `_sdc_deleted_at`, the deletion time of a soft-delete record."""
    return {"type": ["string", "null"], "format": "date-time"}


@dataclass(frozen=True)
class StreamSpec:
    """Everything needed to build one stream, whether from `lookup` or from a catalog."""

    object_name: str
    stream_name: str
    schema: dict[str, Any]
    key_properties: tuple[str, ...]
    replication_key: str | None
    query_fields: tuple[str, ...] = field(default=())

    @property
    def key_field(self) -> str | None:
        """The single field used for keyset paging (RECORDNO for most objects)."""
        return self.key_properties[0] if len(self.key_properties) == 1 else None


def choose_key(field_ids: Iterable[str]) -> tuple[str, ...]:
    """RECORDNO (or another record-number field) when the object has one, else no key."""
    ids = list(field_ids)
    for candidate in KEY_CANDIDATES:
        if candidate in ids:
            return (candidate,)
    return ()


def build_spec(object_name: str, fields: Iterable[tuple[str, str]]) -> StreamSpec:
    """Spec for an object from (field id, DATATYPE) pairs as `lookup` lists them."""
    properties: dict[str, Any] = {}
    for field_id, datatype in fields:
        properties[field_id] = json_type(datatype)
    replication_key: str | None = None
    if REPLICATION_KEY in properties:
        replication_key = REPLICATION_KEY
    elif OTHER_REPLICATION_KEYS.get(object_name.upper()) in properties:
        replication_key = OTHER_REPLICATION_KEYS[object_name.upper()]
    query_fields = tuple(properties)
    if replication_key == REPLICATION_KEY:
        properties[DELETED_AT] = deleted_at_property()
    return StreamSpec(
        object_name=object_name,
        stream_name=object_name.lower(),
        schema={"type": "object", "properties": properties},
        key_properties=choose_key(query_fields),
        replication_key=replication_key,
        query_fields=query_fields,
    )


def spec_from_catalog_entry(entry: Mapping[str, Any]) -> StreamSpec:
    """Spec from a catalog entry dict, so a sync with a catalog makes no discovery call."""
    metadata = {
        tuple(item.get("breadcrumb", ())): item.get("metadata", {})
        for item in entry.get("metadata", [])
    }
    root = metadata.get((), {})
    schema = entry.get("schema") or {"type": "object", "properties": {}}
    keys = entry.get("key_properties") or root.get("table-key-properties") or ()
    replication_key = (
        entry.get("replication_key") or ((root.get("valid-replication-keys") or [None])[0])
    )
    stream_name = entry.get("stream") or entry["tap_stream_id"]
    object_name = entry.get("table_name") or stream_name.upper()
    query_fields = tuple(
        name for name in schema.get("properties", {}) if not name.startswith("_sdc_")
    )
    return StreamSpec(
        object_name=object_name,
        stream_name=stream_name,
        schema=schema,
        key_properties=tuple(keys),
        replication_key=replication_key,
        query_fields=query_fields,
    )
