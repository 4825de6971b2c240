"""Object definitions as data: the catalog every read, write, inspect and lookup uses.

API (small on purpose; the write half imports it):

    get_object(name) -> ObjectDef | None     # case-insensitive ("vendor" -> VENDOR)
    all_objects() -> list[ObjectDef]          # sorted by name
    restricted_objects() -> frozenset[str]    # what the readonly user may not read

Every module in this package that defines `OBJECTS: list[ObjectDef]` is loaded (core.py
holds the core objects, custom.py the platform object, extended_*.py the rest). See
`model.py` for the definition format. Every standard object gets the common field
RECORD_URL here (`model.with_record_url`), so data modules need not list it.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from intacct_sandbox.catalog.model import (
    FieldDef,
    ObjectDef,
    OwnedCollection,
    Relationship,
    with_record_url,
)

__all__ = [
    "FieldDef",
    "ObjectDef",
    "OwnedCollection",
    "Relationship",
    "all_objects",
    "get_object",
    "restricted_objects",
]

_NOT_DATA = {"model"}


@cache
def _index() -> dict[str, ObjectDef]:
    objects: dict[str, ObjectDef] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in _NOT_DATA or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in getattr(module, "OBJECTS", ()):
            key = obj.name.upper()
            if key in objects:
                raise ValueError(f"duplicate object definition {obj.name}")
            objects[key] = with_record_url(obj)
    return objects


def get_object(name: str) -> ObjectDef | None:
    return _index().get(name.strip().upper())


def all_objects() -> list[ObjectDef]:
    return sorted(_index().values(), key=lambda o: o.name.upper())


def restricted_objects() -> frozenset[str]:
    return frozenset(o.name for o in _index().values() if o.restricted)
