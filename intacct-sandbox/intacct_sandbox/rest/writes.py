"""REST create/update/delete bodies -> the XML half's `<create>`/`<update>`/`<delete>`.

Writes run through the same function handlers as XML writes (functions/write.py), so
the same business rules, derived fields, GL posting and AUDITHISTORY rows apply. This
module only translates: REST paths to catalog field ids (nested elements for dot-path
ids, `lines` to the owned line collection) and back to the REST answer.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement

from intacct_sandbox.rest.convert import flatten, to_text
from intacct_sandbox.rest.errors import bad_request
from intacct_sandbox.rest.objects import RestObject, rest_object


def _put(parent: Element, column: str, text: str) -> None:
    """`A.B.C` -> `<A><B><C>text</C></B></A>`, reusing groups already written."""
    node = parent
    parts = column.split(".")
    for part in parts[:-1]:
        child = node.find(part)
        node = child if child is not None else SubElement(node, part)
    SubElement(node, parts[-1]).text = text


def _fill(rest: RestObject, target: Element, payload: dict[str, Any], where: str) -> None:
    if not isinstance(payload, dict):
        raise bad_request(f"{where} must be a JSON object.")
    for path, value in flatten(payload).items():
        if path in {"lines", "href"}:
            continue
        fdef = rest.field_for(path)
        if fdef is None:
            raise bad_request(f"{where}: '{path}' is not a field of {rest.name}.", "REST-1016")
        if path in {"key", rest.parent_ref} or fdef.id == rest.catalog.key_field:
            continue  # identifies the record; never written as a value
        if fdef.readonly:
            raise bad_request(
                f"{where}: field '{path}' of {rest.name} is read-only (value {value!r}).",
                "REST-1016",
            )
        try:
            text = to_text(fdef, path, value, rest.codes.get(path))
        except ValueError as exc:
            raise bad_request(f"{where}: {exc}") from exc
        _put(target, fdef.id, text)


def _lines(rest: RestObject, record: Element, payload: dict[str, Any]) -> None:
    lines = payload.get("lines")
    if lines is None:
        return
    line_rest = rest_object(rest.lines) if rest.lines else None
    if line_rest is None or not rest.catalog.owned:
        raise bad_request(f"{rest.name} has no lines.")
    if not isinstance(lines, list):
        raise bad_request(f"{rest.name}: 'lines' must be a list.")
    owned = rest.catalog.owned[0]
    collection = SubElement(record, owned.collection)
    for number, line in enumerate(lines, start=1):
        item = SubElement(collection, owned.child_object)
        _fill(line_rest, item, line, f"{rest.name} line {number}")


def create_element(rest: RestObject, payload: dict[str, Any]) -> Element:
    root = Element("create")
    record = SubElement(root, rest.catalog.name)
    _fill(rest, record, payload, rest.name)
    _lines(rest, record, payload)
    return root


def update_element(rest: RestObject, key: str, payload: dict[str, Any]) -> Element:
    root = Element("update")
    record = SubElement(root, rest.catalog.name)
    SubElement(record, rest.catalog.key_field).text = key
    _fill(rest, record, payload, f"{rest.name} {key}")
    _lines(rest, record, payload)
    return root


def delete_element(rest: RestObject, key: str) -> Element:
    root = Element("delete")
    SubElement(root, "object").text = rest.catalog.name
    SubElement(root, "keys").text = key
    return root
