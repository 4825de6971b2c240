"""Find the records that already exist: one `in` query per object per lookup window.

Fields the gateway refuses to query are dropped (and remembered for the run), so a
comparison never fails the batch; such fields simply cannot prove a record unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from intacct_client import IntacctUnqueryableFieldsError
from intacct_client import filters as f

from target_intacct.mapping.base import Prepared, UnifiedSpec

logger = logging.getLogger(__name__)

QUERY_PAGE_SIZE = 2000
Existing = dict[int, tuple[list[Mapping[str, Any]], dict[str, list[Mapping[str, Any]]]]]


class ExistingFinder:
    """Looks up one stream's natural keys (and lines of the matches) in Intacct."""

    def __init__(self, spec: UnifiedSpec, client: Any, unqueryable: dict[str, set[str]]) -> None:
        self.spec = spec
        self.client = client
        self.unqueryable = unqueryable

    def find(self, wave: Sequence[Prepared]) -> Existing:
        """Position -> (matching header rows, lines by RECORDNO); one query per object."""
        lookup = self.spec.lookup_filter(wave)
        if lookup is None:
            return {}
        rows = self._query_all(self.spec.object_name, self.spec.query_fields(wave), lookup)
        found: dict[int, tuple[list[Mapping[str, Any]], dict[str, list[Mapping[str, Any]]]]]
        found = {}
        recordnos: set[str] = set()
        by_key: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
        for row in rows:
            for key in self.spec.row_keys(row):
                by_key.setdefault(key, []).append(row)
        for prepared in wave:
            matches = list(by_key.get(prepared.natural_key, []))
            found[prepared.item.position] = (matches, {})
            recordnos.update(str(row.get("RECORDNO")) for row in matches)
        if self.spec.line_object and recordnos:
            line_rows = self._query_all(
                self.spec.line_object,
                self.spec.line_query_fields(wave),
                f.in_(self.spec.line_parent_field, sorted(recordnos)),
            )
            by_parent: dict[str, list[Mapping[str, Any]]] = {}
            for row in line_rows:
                by_parent.setdefault(str(row.get(self.spec.line_parent_field)), []).append(row)
            for position, (header_rows, _) in list(found.items()):
                found[position] = (header_rows, by_parent)
        return found

    def query(self, object_name: str, fields: list[str], lookup: Any) -> list[dict[str, Any]]:
        """Return every row of an object that matches a lookup filter.

        Reads all pages of `object_name` (unqueryable fields dropped and remembered), for
        lookups a spec makes besides the natural keys.
        """
        return self._query_all(object_name, fields, lookup)

    def _query_all(self, object_name: str, fields: list[str], lookup: Any) -> list[dict[str, Any]]:
        refused = self.unqueryable.setdefault(object_name, set())
        usable = [name for name in fields if name not in refused]
        for _attempt in range(3):
            try:
                return self._pages(object_name, usable, lookup)
            except IntacctUnqueryableFieldsError as error:
                dropped = {name for name in error.fields if name in usable}
                if not dropped or "RECORDNO" in dropped:
                    raise
                logger.warning(
                    "%s: fields %s cannot be queried; records differing only there are "
                    "reported as updated",
                    object_name,
                    ", ".join(sorted(dropped)),
                )
                refused.update(dropped)
                usable = [name for name in usable if name not in dropped]
        return self._pages(object_name, usable, lookup)

    def _pages(self, object_name: str, fields: list[str], lookup: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = self.client.query(
                object_name,
                fields,
                filter=lookup,
                order_by=[("RECORDNO", "ascending")],
                page_size=QUERY_PAGE_SIZE,
                offset=offset,
            )
            rows.extend(page.records)
            if page.num_remaining <= 0 or not page.records:
                return rows
            offset += len(page.records)
