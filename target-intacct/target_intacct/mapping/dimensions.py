"""Dimension references on lines: unified name -> (reference kind, Intacct field per object)."""

from __future__ import annotations

from typing import Any

from target_intacct.mapping.base import Refs

# unified field -> field name on GLENTRY (generic), APBILLITEM (generic), legacy lineitem
GLENTRY_DIMENSIONS: dict[str, str] = {
    "location": "LOCATION",
    "department": "DEPARTMENT",
    "class": "CLASSID",
    "project": "PROJECTID",
    "customer": "CUSTOMERID",
    "vendor": "VENDORID",
    "employee": "EMPLOYEEID",
    "item": "ITEMID",
}
ITEM_DIMENSIONS: dict[str, str] = {
    "location": "LOCATIONID",
    "department": "DEPARTMENTID",
    "class": "CLASSID",
    "project": "PROJECTID",
    "customer": "CUSTOMERID",
    "vendor": "VENDORID",
    "employee": "EMPLOYEEID",
    "item": "ITEMID",
}


def resolve_dimensions(
    refs: Refs, path: str, line: dict[str, Any], names: dict[str, str]
) -> dict[str, str]:
    """{Intacct field: ID} for every dimension the line gives (ID or exact name)."""
    resolved: dict[str, str] = {}
    for unified, intacct_field in names.items():
        value = line.get(unified)
        ident = refs.optional(unified, f"{path}.{unified}", value)
        if ident is not None:
            resolved[intacct_field] = ident
    return resolved
