"""Object metadata from ``inspect`` and ``lookup`` answers."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from intacct_client.results import FieldDefinition, ObjectDefinition, ObjectSummary, Relationship
from intacct_client.values import parse_bool


def _text(parent: Element, tag: str) -> str:
    found = parent.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _flag(parent: Element, tag: str) -> bool:
    try:
        return bool(parse_bool(_text(parent, tag)))
    except ValueError:
        return False


def object_summaries(data: Element | None) -> list[ObjectSummary]:
    """``<type typename="APBILL">AP Bill</type>`` children of an ``inspect *`` answer."""
    if data is None:
        return []
    return [
        ObjectSummary(name=item.get("typename", ""), label=(item.text or "").strip())
        for item in data.iter("type")
        if item.get("typename")
    ]


def object_definition(data: Element | None, object_name: str) -> ObjectDefinition:
    """The ``<Type><Fields><Field>...`` tree of a ``lookup`` answer."""
    type_element = None
    if data is not None:
        type_element = data.find("Type")
        if type_element is None:
            type_element = data.find("type")
    if type_element is None:
        return ObjectDefinition(name=object_name, fields=())
    fields = tuple(
        FieldDefinition(
            id=_text(field, "ID"),
            label=_text(field, "LABEL"),
            description=_text(field, "DESCRIPTION"),
            datatype=_text(field, "DATATYPE").upper(),
            required=_flag(field, "REQUIRED"),
            readonly=_flag(field, "READONLY"),
            is_custom=_flag(field, "ISCUSTOM"),
            valid_values=tuple(
                (value.text or "") for value in field.iterfind("VALIDVALUES/VALIDVALUE")
            ),
        )
        for field in type_element.iterfind("Fields/Field")
    )
    relationships = tuple(
        Relationship(
            object_path=_text(rel, "OBJECTPATH"),
            object_name=_text(rel, "OBJECTNAME"),
            relationship_type=_text(rel, "RELATIONSHIPTYPE"),
            related_by=_text(rel, "RELATEDBY"),
        )
        for rel in type_element.iterfind("Relationships/Relationship")
    )
    return ObjectDefinition(
        name=type_element.get("Name") or object_name,
        fields=fields,
        relationships=relationships,
    )
