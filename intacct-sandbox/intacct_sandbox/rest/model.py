"""The model service: `GET /services/core/model` describes an object's fields.

Per Sage's model-service description (docs/protocol-rest.md §3.4) an object model lists
its own `fields`, nested `groups` and references to other objects (`refs`), each field
with its JSON type and, where the OpenAPI has one, its format; `lists` names the owned
line objects. Without `name`, the answer lists the objects the sandbox serves.
"""

from __future__ import annotations

from typing import Any

from intacct_sandbox.catalog import FieldDef
from intacct_sandbox.rest.convert import decimals_as_numbers, is_key_path
from intacct_sandbox.rest.objects import REST_OBJECTS, RestObject

WRITABLE_OBJECTS = frozenset(
    {
        "accounts-payable/vendor",
        "accounts-receivable/customer",
        "accounts-payable/bill",
        "accounts-receivable/invoice",
        "general-ledger/journal-entry",
        "general-ledger/account",
        "company-config/location",
        "company-config/department",
        "company-config/class",
        "projects/project",
        "company-config/employee",
        "inventory-control/item",
    }
)


def describe_field(rest: RestObject, path: str, fdef: FieldDef) -> dict[str, Any]:
    out: dict[str, Any]
    kind = fdef.datatype
    if is_key_path(path):
        out = {"type": "string"}
    elif kind == "INTEGER":
        out = {"type": "integer"}
    elif kind in {"CURRENCY", "DECIMAL", "PERCENT"} and decimals_as_numbers():
        out = {"type": "number"}
    elif kind == "CURRENCY":
        out = {"type": "string", "format": "decimal-precision-2"}
    elif kind in {"DECIMAL", "PERCENT"}:
        out = {"type": "string", "format": "decimal"}
    elif kind == "BOOLEAN":
        out = {"type": "boolean"}
    elif kind == "DATE":
        out = {"type": "string", "format": "date"}
    elif kind == "TIMESTAMP":
        out = {"type": "string", "format": "date-time"}
    else:
        out = {"type": "string"}
    codes = rest.codes.get(path)
    if codes:
        out["enum"] = sorted(codes)
    elif kind == "ENUM" and fdef.validvalues:
        out["enum"] = list(fdef.validvalues)
    out["readOnly"] = bool(fdef.readonly or path == "key")
    out["required"] = bool(fdef.required)
    out["mutable"] = not out["readOnly"]
    return out


def _tree(rest: RestObject, entries: list[tuple[list[str], str, FieldDef]]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    nested: dict[str, list[tuple[list[str], str, FieldDef]]] = {}
    for parts, path, fdef in entries:
        if len(parts) == 1:
            fields[parts[0]] = describe_field(rest, path, fdef)
        else:
            nested.setdefault(parts[0], []).append((parts[1:], path, fdef))
    out: dict[str, Any] = {"fields": fields}
    groups: dict[str, Any] = {}
    refs: dict[str, Any] = {}
    for name, children in nested.items():
        sub = _tree(rest, children)
        if any(len(p) == 1 and p[0] in {"key", "id"} for p, _, _ in children):
            refs[name] = sub
        else:
            groups[name] = sub
    if groups:
        out["groups"] = groups
    if refs:
        out["refs"] = refs
    return out


def describe(rest: RestObject) -> dict[str, Any]:
    entries = [(path.split("."), path, fdef) for path, fdef in rest.paths.items()]
    model = _tree(rest, entries)
    model["fields"]["href"] = {
        "type": "string",
        "readOnly": True,
        "required": False,
        "mutable": False,
    }
    if rest.lines is not None:
        model["lists"] = {"lines": {"apiObject": rest.lines}}
    methods = "GET,POST,PATCH,DELETE" if rest.name in WRITABLE_OBJECTS else "GET"
    return {"apiObject": rest.name, "httpMethods": methods, **model}


def object_list() -> list[dict[str, Any]]:
    return [
        {"apiObject": name, "type": "object", "href": f"/objects/{name}"}
        for name in sorted(REST_OBJECTS)
    ]
