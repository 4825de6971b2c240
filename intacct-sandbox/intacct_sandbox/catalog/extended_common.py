"""Shared builder for the extended object definitions (the `extended_*` data modules).

Every standard Intacct object has the integer key RECORDNO, the audit fields and, on
multi-entity companies, the MEGAENTITY* owner fields (docs/protocol.md §7 "Common conventions"), so
`std` adds those around the object-specific fields. Sources name the page of Sage's XML
API reference (developer.intacct.com/api/<area>/<page>/) the object and field names are
from; the page paths are recalled from the reference's layout (no network here to re-check
them) and field sets are the commonly used subset, not every field the page lists.

This module defines no objects itself (no `OBJECTS`); the catalog loader skips it.
"""

from __future__ import annotations

from intacct_sandbox.catalog.model import (
    FieldDef,
    ObjectDef,
    OwnedCollection,
    Relationship,
    audit_fields,
    entity_fields,
    fld,
    recordno,
    status_field,
)

__all__ = [
    "BOOL",
    "CUR",
    "DATE",
    "DEC",
    "INT",
    "PCT",
    "TS",
    "OwnedCollection",
    "Relationship",
    "api_page",
    "dims",
    "fld",
    "status_field",
    "std",
]

CUR = "CURRENCY"
DEC = "DECIMAL"
PCT = "PERCENT"
DATE = "DATE"
INT = "INTEGER"
BOOL = "BOOLEAN"
TS = "TIMESTAMP"

API_ROOT = "developer.intacct.com/api/"


def api_page(path: str, note: str = "") -> str:
    """`source=` text: the reference page, plus an optional note on what is a choice."""
    text = f"{API_ROOT}{path.strip('/')}/"
    return f"{text} ({note})" if note else text


def std(
    name: str,
    label: str,
    module: str,
    source: str,
    fields: tuple[FieldDef, ...],
    *,
    id_field: str | None = None,
    plural: str = "",
    entity: bool = True,
    whencreated: str = "TIMESTAMP",
    relationships: tuple[Relationship, ...] = (),
    owned: tuple[OwnedCollection, ...] = (),
    readonly_object: bool = False,
    restricted: bool = False,
    custom: bool = False,
    description: str = "",
) -> ObjectDef:
    """An ObjectDef with RECORDNO first, then `fields`, audit and (optionally) entity fields."""
    audit = audit_fields(whencreated=whencreated)
    return ObjectDef(
        name=name,
        label=label,
        plural=plural or f"{label}s",
        module=module,
        id_field=id_field,
        source=source,
        fields=(recordno(), *fields, *audit, *(entity_fields() if entity else ())),
        relationships=relationships,
        owned=owned,
        readonly_object=readonly_object,
        restricted=restricted,
        custom=custom,
        description=description,
    )


def dims(*names: str) -> tuple[FieldDef, ...]:
    """Dimension ID references on transaction lines (LOCATIONID, DEPARTMENTID, ...)."""
    labels = {
        "LOCATIONID": "Location",
        "DEPARTMENTID": "Department",
        "PROJECTID": "Project",
        "TASKID": "Task",
        "CUSTOMERID": "Customer",
        "VENDORID": "Vendor",
        "EMPLOYEEID": "Employee",
        "ITEMID": "Item",
        "CLASSID": "Class",
        "WAREHOUSEID": "Warehouse",
        "CONTRACTID": "Contract",
    }
    chosen = names or ("LOCATIONID", "DEPARTMENTID", "PROJECTID", "CLASSID")
    return tuple(fld(n, labels.get(n, n.title())) for n in chosen)
