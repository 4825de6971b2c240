"""Turn a generic `<create>`/`<update>` object element into flat field paths.

Intacct's generic write payloads nest groups (`DISPLAYCONTACT/MAILADDRESS/CITY`) and
owned line collections (`ENTRIES/GLENTRY`, `APBILLITEMS/APBILLITEM`). The catalog stores
nested groups as dot-path fields (`DISPLAYCONTACT.MAILADDRESS.CITY`) and lines as rows of
their own object, so the payload is flattened here once and every later rule works on
plain `{FIELD: text}` mappings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from intacct_sandbox.catalog import ObjectDef

MULTI_VALUE_GLUE = "#~#"  # multi-pick values are joined this way (docs/protocol.md §5.3)


@dataclass
class RecordInput:
    """One object element of a write: header fields plus its owned lines (if any)."""

    tag: str
    fields: dict[str, str] = field(default_factory=dict)
    lines: list[dict[str, str]] | None = None


def _tag(node: Element) -> str:
    return node.tag if isinstance(node.tag, str) else ""


def _text(node: Element) -> str:
    return (node.text or "").strip()


def flatten(node: Element, prefix: str, into: dict[str, str]) -> None:
    """Leaf children become `PREFIX.TAG` entries; repeated leaves join with `#~#`."""
    for child in node:
        tag = _tag(child).upper()
        if not tag:
            continue
        path = f"{prefix}{tag}"
        if len(child):
            flatten(child, f"{path}.", into)
        elif into.get(path):
            into[path] = f"{into[path]}{MULTI_VALUE_GLUE}{_text(child)}"
        else:
            into[path] = _text(child)


def read_record(node: Element, obj: ObjectDef) -> RecordInput:
    """Flatten one object element of the catalog object `obj`."""
    record = RecordInput(tag=_tag(node))
    collection = obj.owned[0] if obj.owned else None
    for child in node:
        tag = _tag(child).upper()
        if not tag:
            continue
        if collection is not None and tag == collection.collection.upper():
            items = record.lines if record.lines is not None else []
            for item in child:
                line: dict[str, str] = {}
                flatten(item, "", line)
                items.append(line)
            record.lines = items
        elif len(child):
            flatten(child, f"{tag}.", record.fields)
        elif record.fields.get(tag):
            record.fields[tag] = f"{record.fields[tag]}{MULTI_VALUE_GLUE}{_text(child)}"
        else:
            record.fields[tag] = _text(child)
    return record
