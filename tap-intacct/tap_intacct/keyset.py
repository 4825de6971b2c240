"""Keyset paging cursors: the filter for the next page and what a page changes.

Why keyset and not offsets: `query` offsets are independent queries over a mutable
ordering, so a row modified mid-sync shifts every later row and one gets skipped.
A cursor on (WHENMODIFIED, RECORDNO) instead asks "rows after the last one I emitted",
which stays correct while rows change.

Incremental pass (objects with WHENMODIFIED): rows with
    lower <= WHENMODIFIED <= upper, and after (last WHENMODIFIED, last RECORDNO),
ordered by (WHENMODIFIED, RECORDNO) ascending, OR'ed with
    WHENMODIFIED isnull and RECORDNO > last null RECORDNO
so rows that were never modified are captured in the same calls, whichever end of the
ordering the server puts nulls at. `upper` is fixed at the start of the run: rows
modified during the run get a later WHENMODIFIED and are read by the next run.

Wire timestamps have no zone and repeat during a DST fall-back hour; the server reads an
ambiguous literal as its first occurrence, which can only widen a `>` filter. Rows read
again because of that are dropped by (RECORDNO, WHENMODIFIED) (a `recent` window; a row
modified again is a new version and is kept), and a page that brings nothing new moves
on by offset under the same filter, so the pass cannot loop.

These classes are pure (no I/O): the stream feeds them pages.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from intacct_client import filters as f

ASCENDING = "ascending"
MODIFIED = "WHENMODIFIED"
RECENT_WINDOW = timedelta(hours=3)

Record = Mapping[str, Any]
Filter = Any


def record_key(record: Record, key_field: str) -> int:
    """The integer key of a raw record."""
    return int(str(record[key_field]).strip())


@dataclass
class IncrementalCursor:
    """Progress of one incremental pass; see the module docstring."""

    key_field: str
    upper: str
    lower: str | None = None
    modified_field: str = MODIFIED
    parse_modified: Callable[[str], datetime | None] = field(default=lambda _text: None)
    # A WHENMODIFIED as an answer wrote it -> the literal a filter sends (the user's date
    # format may differ from the form requests carry).
    literal: Callable[[str], str] = field(default=lambda text: text)
    last_modified: str | None = None
    last_key: int | None = None
    null_after_key: int | None = None
    include_nulls: bool = True
    modified_done: bool = False
    nulls_done: bool = False
    offset: int = 0
    finished: bool = False
    _last_kind: str | None = None
    _recent: deque[tuple[datetime, tuple[int, str]]] = field(default_factory=deque)
    _recent_keys: set[tuple[int, str]] = field(default_factory=set)
    _newest: datetime | None = None

    def order_by(self) -> list[tuple[str, str]]:
        """(WHENMODIFIED, key) ascending."""
        return [(self.modified_field, ASCENDING), (self.key_field, ASCENDING)]

    def _modified_filter(self) -> Filter:
        field_name = self.modified_field
        parts: list[Filter] = []
        if self.lower is not None:
            parts.append(f.ge(field_name, self.lower))
        parts.append(f.le(field_name, self.upper))
        if self.last_modified is not None and self.last_key is not None:
            parts.append(
                f.or_(
                    f.gt(field_name, self.literal(self.last_modified)),
                    f.and_(
                        f.eq(field_name, self.literal(self.last_modified)),
                        f.gt(self.key_field, self.last_key),
                    ),
                )
            )
        return f.and_(*parts)

    def _null_filter(self) -> Filter:
        if self.null_after_key is None:
            return f.is_null(self.modified_field)
        return f.and_(f.is_null(self.modified_field), f.gt(self.key_field, self.null_after_key))

    def filter(self) -> Filter:
        """Filter for the next page."""
        parts: list[Filter] = []
        if not self.modified_done:
            parts.append(self._modified_filter())
        if self.include_nulls and not self.nulls_done:
            parts.append(self._null_filter())
        return f.or_(*parts)

    def _remember(self, moment: datetime | None, key: tuple[int, str]) -> None:
        if moment is None:
            return
        if self._newest is None or moment > self._newest:
            self._newest = moment
        self._recent.append((moment, key))
        self._recent_keys.add(key)
        horizon = self._newest - RECENT_WINDOW
        while self._recent and self._recent[0][0] < horizon:
            _, old = self._recent.popleft()
            self._recent_keys.discard(old)

    def advance(self, records: Sequence[Record], num_remaining: int) -> list[Record]:
        """Move past a page; return its records that were not emitted before, in order."""
        fresh: list[Record] = []
        for record in records:
            key = record_key(record, self.key_field)
            modified = record.get(self.modified_field) or None
            if modified is None:
                if self._last_kind == "modified":
                    self.modified_done = True  # the server sorts nulls last
                if self.null_after_key is not None and key <= self.null_after_key:
                    continue
                self.null_after_key = key
                self._last_kind = "null"
                fresh.append(record)
                continue
            if self._last_kind == "null":
                self.nulls_done = True  # the server sorts nulls first
            self._last_kind = "modified"
            seen = (key, str(modified))  # the same row, read again (not a new version)
            if seen in self._recent_keys:
                continue
            self.last_modified = str(modified)
            self.last_key = key
            self._remember(self.parse_modified(str(modified)), seen)
            fresh.append(record)
        if records and not fresh:
            self.offset += len(records)
        else:
            self.offset = 0
        if num_remaining <= 0 or not records:
            self.finished = True
        return fresh


@dataclass
class KeyCursor:
    """Full-table pass: keyset on the record number alone."""

    key_field: str
    last_key: int | None = None
    finished: bool = False
    offset: int = 0

    def order_by(self) -> list[tuple[str, str]]:
        """Key ascending."""
        return [(self.key_field, ASCENDING)]

    def filter(self) -> Filter | None:
        """Rows after the last key (no filter on the first page)."""
        return None if self.last_key is None else f.gt(self.key_field, self.last_key)

    def advance(self, records: Sequence[Record], num_remaining: int) -> list[Record]:
        """Move past a page; return its new records."""
        fresh = []
        for record in records:
            key = record_key(record, self.key_field)
            if self.last_key is not None and key <= self.last_key:
                continue
            self.last_key = key
            fresh.append(record)
        if num_remaining <= 0 or not fresh:
            self.finished = True
        return fresh


@dataclass
class OffsetCursor:
    """Last resort for objects without an integer key: offsets (documented risk)."""

    order_field: str | None = None
    offset: int = 0
    finished: bool = False

    def order_by(self) -> list[tuple[str, str]]:
        """Some stable order when there is a field to order on."""
        return [(self.order_field, ASCENDING)] if self.order_field else []

    def filter(self) -> Filter | None:
        """No filter."""
        return None

    def advance(self, records: Sequence[Record], num_remaining: int) -> list[Record]:
        """Move the offset past the page."""
        self.offset += len(records)
        if num_remaining <= 0 or not records:
            self.finished = True
        return list(records)
