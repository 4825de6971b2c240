"""Resolve references (accounts, vendors, customers, dimensions) by ID, else by exact name.

Each object is listed once per run (one `query`, more pages only past 2000 rows) and
cached; records never cause queries of their own. A name that matches nothing, or more
than one record, is a rejection that lists the candidates: never a silent guess.
"""

from __future__ import annotations

import difflib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from intacct_client import IntacctError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReferenceKind:
    """How one Intacct object is referred to: its ID field and its name field."""

    object_name: str
    id_field: str
    name_field: str | None
    label: str


REFERENCE_KINDS: dict[str, ReferenceKind] = {
    "account": ReferenceKind("GLACCOUNT", "ACCOUNTNO", "TITLE", "GL account"),
    "vendor": ReferenceKind("VENDOR", "VENDORID", "NAME", "vendor"),
    "customer": ReferenceKind("CUSTOMER", "CUSTOMERID", "NAME", "customer"),
    "location": ReferenceKind("LOCATION", "LOCATIONID", "NAME", "location"),
    "department": ReferenceKind("DEPARTMENT", "DEPARTMENTID", "TITLE", "department"),
    "class": ReferenceKind("CLASS", "CLASSID", "NAME", "class"),
    "project": ReferenceKind("PROJECT", "PROJECTID", "NAME", "project"),
    "employee": ReferenceKind("EMPLOYEE", "EMPLOYEEID", "CONTACT.CONTACTNAME", "employee"),
    "item": ReferenceKind("ITEM", "ITEMID", "NAME", "item"),
}


class QueryClient(Protocol):
    """The part of intacct_client.IntacctClient the resolver needs."""

    def query(
        self,
        object_name: str,
        fields: Sequence[str],
        *,
        order_by: Sequence[tuple[str, str]] = ...,
        page_size: int = ...,
        offset: int = ...,
    ) -> Any:
        """Read one page of a ``query`` over ``object_name``."""

    def lookup(self, object_name: str) -> Any:
        """Describe an object's fields."""


class ReferenceProblem(Exception):  # noqa: N818 - becomes a record rejection
    """A value that does not resolve to exactly one record."""


@dataclass
class ReferenceIndex:
    """IDs and names of one object, as listed from Intacct (plus records we created)."""

    kind: ReferenceKind
    names_by_id: dict[str, str | None] = field(default_factory=dict)
    ids_by_name: dict[str, list[str]] = field(default_factory=dict)
    load_error: str | None = None

    def add(self, record_id: str, name: str | None) -> None:
        """Add or rename a record, keeping the name index consistent."""
        old_name = self.names_by_id.get(record_id)
        if old_name is not None and old_name != name:
            ids = self.ids_by_name.get(old_name, [])
            if record_id in ids:
                ids.remove(record_id)
        self.names_by_id[record_id] = name
        if name is not None:
            ids = self.ids_by_name.setdefault(name, [])
            if record_id not in ids:
                ids.append(record_id)

    def resolve(self, value: str, mode: str = "either") -> str:
        """mode: "id" (ID only), "name" (exact name only) or "either" (ID, else name)."""
        label = self.kind.label
        if self.load_error:
            raise ReferenceProblem(f"cannot check {label} {value!r}: {self.load_error}")
        if mode != "name" and value in self.names_by_id:
            return value
        if mode == "id":
            raise ReferenceProblem(self._unknown_message(value, mode=mode))
        matches = self.ids_by_name.get(value, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = ", ".join(
                f"{self.kind.id_field} {candidate!r}" for candidate in sorted(matches)
            )
            raise ReferenceProblem(
                f"ambiguous {label} name: {len(matches)} records are named {value!r} "
                f"({listed}); give the ID instead"
            )
        raise ReferenceProblem(self._unknown_message(value, mode=mode))

    def _unknown_message(self, value: str, *, mode: str) -> str:
        label = self.kind.label
        names = [name for name in self.ids_by_name if self.ids_by_name[name]]
        pool = {"name": names, "id": list(self.names_by_id)}.get(
            mode, names + list(self.names_by_id)
        )
        close = difflib.get_close_matches(value, pool, n=5, cutoff=0.5)
        what = {"name": "name", "id": self.kind.id_field}.get(mode, "ID or name")
        message = f"unknown {label} {what} {value!r}"
        if close:
            message += f"; closest candidates: {', '.join(repr(c) for c in close)}"
        else:
            message += f" ({len(self.names_by_id)} {label} records exist, none close)"
        return message


class ReferenceResolver:
    """Per-run cache of reference indexes, loaded lazily, one object at a time."""

    def __init__(self, client: QueryClient, page_size: int = 2000) -> None:
        self._client = client
        self._page_size = page_size
        self._indexes: dict[str, ReferenceIndex] = {}
        self._pending: dict[str, list[tuple[str, str | None]]] = {}
        self._fields: dict[str, frozenset[str] | None] = {}
        self._lock = threading.Lock()

    def index(self, kind_name: str) -> ReferenceIndex:
        """Return the index of a reference kind, listing it from Intacct on first use."""
        with self._lock:
            existing = self._indexes.get(kind_name)
            if existing is not None:
                return existing
            index = self._load(REFERENCE_KINDS[kind_name])
            for record_id, name in self._pending.pop(kind_name, []):
                index.add(record_id, name)
            self._indexes[kind_name] = index
            return index

    def known_fields(self, object_name: str) -> frozenset[str] | None:
        """The field names `lookup` lists for an object (one call per object per run).

        None when the definition cannot be read: the write then goes out unchecked and
        Intacct judges it.
        """
        with self._lock:
            if object_name not in self._fields:
                try:
                    definition = self._client.lookup(object_name)
                except IntacctError as exc:
                    logger.warning(
                        "lookup of %s failed (%s); its fields go unchecked", object_name, exc
                    )
                    self._fields[object_name] = None
                else:
                    self._fields[object_name] = frozenset(
                        spec.id.upper() for spec in definition.fields
                    )
            return self._fields[object_name]

    def loaded(self, kind_name: str) -> bool:
        """Whether the reference kind has been listed already."""
        return kind_name in self._indexes

    def resolve(self, kind_name: str, value: str, mode: str = "either") -> str:
        """The ID of the one record whose ID, else exact name, is `value`."""
        return self.index(kind_name).resolve(value, mode)

    def remember(self, kind_name: str, record_id: str, name: str | None) -> None:
        """Add a record this run created (or, in a dry run, would create)."""
        with self._lock:
            index = self._indexes.get(kind_name)
            if index is None:
                self._pending.setdefault(kind_name, []).append((record_id, name))
                return
        index.add(record_id, name)

    def _load(self, kind: ReferenceKind) -> ReferenceIndex:
        index = ReferenceIndex(kind)
        fields = [kind.id_field] + ([kind.name_field] if kind.name_field else [])
        try:
            rows = self._list_all(kind.object_name, fields)
        except IntacctError as exc:  # any failure becomes a clear rejection
            unqueryable = getattr(exc, "fields", ())
            if kind.name_field and kind.name_field in unqueryable:
                logger.warning(
                    "%s names cannot be queried; %s references must use IDs",
                    kind.object_name,
                    kind.label,
                )
                try:
                    rows = self._list_all(kind.object_name, [kind.id_field])
                except IntacctError as retry_exc:
                    index.load_error = f"listing {kind.object_name} failed: {retry_exc}"
                    return index
            else:
                index.load_error = f"listing {kind.object_name} failed: {exc}"
                return index
        for row in rows:
            record_id = row.get(kind.id_field)
            if not record_id:
                continue
            name = row.get(kind.name_field) if kind.name_field else None
            index.add(str(record_id), str(name) if name not in (None, "") else None)
        logger.info(
            "Loaded %d %s records for reference lookups", len(index.names_by_id), kind.object_name
        )
        return index

    def _list_all(self, object_name: str, fields: list[str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = self._client.query(
                object_name,
                fields,
                order_by=[(fields[0], "ascending")],
                page_size=self._page_size,
                offset=offset,
            )
            rows.extend(page.records)
            if page.num_remaining <= 0 or not page.records:
                return rows
            offset += len(page.records)
