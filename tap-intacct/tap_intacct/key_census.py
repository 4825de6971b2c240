"""Deleted line rows found by counting keys, for objects whose deletes may not be audited.

Intacct's audit trail is known for headers; whether it records owned lines (GLENTRY,
APBILLITEM, ...) and the GLDETAIL reporting view is not documented, and public sync code
treats them as unaudited. A journal entry updated with new lines, or a deleted bill,
then removes lines that no AUDITHISTORY row reports. The census finds them by key:

* The stream's state keeps the set of live RECORDNOs the tap knows, as sorted inclusive
  ranges `[[lo, hi], ...]`. Lines are created in contiguous key runs, so the list holds
  about one range plus one per hole (about 16 bytes per hole with 6-digit keys).
* During a run the keys of emitted rows are gathered in memory (rows come in
  WHENMODIFIED order, so a half-built set can have many holes); STATE keeps the set of
  the last finished census plus `live_keys_open`. A run stopped before its census thus
  leaves a small STATE, and the next run reads the keys above the stored maximum once.
* After each incremental run's rows: one `query` of `RECORDNO <= max(set)` with page
  size 1 gives Intacct's count: the row returned plus `numremaining` (the attribute the
  tap's paging already stops on; `totalcount` is not used). Equal to the set's size:
  nothing to do.
* Otherwise bisect the key interval: count the left half (one call; the right half's
  count is the parent's minus the left's), follow only halves whose count differs from
  the set's, and once a half holds at most a page of known keys, read its keys (paged,
  keys only). Known keys not returned are deleted; keys returned but unknown are live
  rows the tap has not emitted (visible late) and are added to the set, so later counts
  stay exact.
* Cost: 1 call per object per run, plus about log2(key span / page size) + 1 calls per
  run of deleted keys. A deletion and an unknown live row in the same interval cancel
  out in the count; the late row is emitted by the next run's lookback, after which
  the deletion is found: a deletion can be reported one run late, never lost.

A key that shows up again (were Intacct to reuse one) is just a row again: emitted by
its WHENMODIFIED and added back to the set.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from intacct_client import QueryPage
from intacct_client import filters as f

from tap_intacct.keyset import ASCENDING, record_key
from tap_intacct.pages import PageRequest

STATE_KEY = "live_keys"
# Set in STATE while a run is between its first page and its census: a run stopped there
# emitted keys the stored set lacks, so the next run reads the keys above its maximum.
OPEN_KEY = "live_keys_open"

# Line objects whose deletes the census finds: owned lines (read nested by `read`,
# created with their header) and the GLDETAIL reporting view. ARADJUSTMENT is a header,
# listed because public sync code treats it as unaudited too.
LINE_OBJECTS: tuple[str, ...] = (
    "GLENTRY",
    "GLDETAIL",
    "APBILLITEM",
    "APADJUSTMENTITEM",
    "APPYMTDETAIL",
    "ARINVOICEITEM",
    "ARADJUSTMENT",
    "ARADJUSTMENTITEM",
    "ARPYMTDETAIL",
    "PODOCUMENTENTRY",
    "SODOCUMENTENTRY",
    "INVDOCUMENTENTRY",
    "CCTRANSACTIONENTRY",
    "EEXPENSESITEM",
    "GLBUDGETITEM",
    "TIMESHEETENTRY",
)


class KeyRanges:
    """A set of integer keys as sorted, disjoint, non-adjacent inclusive ranges."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        self._lo: list[int] = []
        self._hi: list[int] = []
        self._size = 0
        self._merge(sorted((int(lo), int(hi)) for lo, hi in ranges))

    @classmethod
    def from_state(cls, value: Any) -> KeyRanges | None:
        """The set kept in STATE, or None when absent or not a list of [lo, hi] pairs."""
        if not isinstance(value, list):
            return None
        pairs: list[tuple[int, int]] = []
        for item in value:
            if not (isinstance(item, list) and len(item) == 2):
                return None
            lo, hi = item
            if not (isinstance(lo, int) and isinstance(hi, int)) or lo > hi:
                return None
            pairs.append((lo, hi))
        return cls(pairs)

    def to_state(self) -> list[list[int]]:
        """JSON form for STATE: `[[lo, hi], ...]`."""
        return [[lo, hi] for lo, hi in zip(self._lo, self._hi, strict=True)]

    def __len__(self) -> int:
        return self._size

    @property
    def range_count(self) -> int:
        """Number of ranges (one plus the number of holes)."""
        return len(self._lo)

    def min(self) -> int:
        """Smallest key held."""
        return self._lo[0]

    def max(self) -> int:
        """Largest key held."""
        return self._hi[-1]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int):
            return False
        index = bisect_right(self._lo, key) - 1
        return index >= 0 and key <= self._hi[index]

    def add(self, keys: Iterable[int]) -> None:
        """Add keys, merging them into ranges.

        Keys may come in any order and repeat: one sort and one linear merge, so a
        large batch costs O(n log n + ranges) however the keys interleave.
        """
        runs: list[tuple[int, int]] = []
        for key in sorted(keys):
            if runs and key <= runs[-1][1] + 1:
                if key > runs[-1][1]:
                    runs[-1] = (runs[-1][0], key)
                continue
            runs.append((key, key))
        self._merge(runs)

    def _merge(self, runs: list[tuple[int, int]]) -> None:
        """Merge sorted (lo, hi) runs into the ranges, joining overlapping or adjacent ones."""
        if not runs:
            return
        lows: list[int] = []
        highs: list[int] = []
        mine = 0
        theirs = 0
        while mine < len(self._lo) or theirs < len(runs):
            if theirs >= len(runs) or (mine < len(self._lo) and self._lo[mine] <= runs[theirs][0]):
                lo, hi = self._lo[mine], self._hi[mine]
                mine += 1
            else:
                lo, hi = runs[theirs]
                theirs += 1
            if highs and lo <= highs[-1] + 1:
                highs[-1] = max(highs[-1], hi)
            else:
                lows.append(lo)
                highs.append(hi)
        self._lo, self._hi = lows, highs
        self._size = sum(hi - lo + 1 for lo, hi in zip(lows, highs, strict=True))

    def discard(self, keys: Iterable[int]) -> None:
        """Remove keys (absent ones are ignored)."""
        for key in keys:
            index = bisect_right(self._lo, key) - 1
            if index < 0 or key > self._hi[index]:
                continue
            lo, hi = self._lo[index], self._hi[index]
            pieces = [(a, b) for a, b in ((lo, key - 1), (key + 1, hi)) if a <= b]
            self._lo[index : index + 1] = [a for a, _ in pieces]
            self._hi[index : index + 1] = [b for _, b in pieces]
            self._size -= 1

    def count_between(self, lo: int, hi: int) -> int:
        """How many keys k with lo <= k <= hi."""
        total = 0
        index = max(bisect_right(self._lo, lo) - 1, 0)
        while index < len(self._lo) and self._lo[index] <= hi:
            overlap = min(hi, self._hi[index]) - max(lo, self._lo[index]) + 1
            total += max(overlap, 0)
            index += 1
        return total

    def keys_between(self, lo: int, hi: int) -> Iterator[int]:
        """The keys k with lo <= k <= hi, ascending."""
        index = max(bisect_right(self._lo, lo) - 1, 0)
        while index < len(self._lo) and self._lo[index] <= hi:
            yield from range(max(lo, self._lo[index]), min(hi, self._hi[index]) + 1)
            index += 1


@dataclass
class CensusResult:
    """What one census found, and the API calls it spent."""

    deleted: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    count_calls: int = 0
    key_calls: int = 0

    @property
    def calls(self) -> int:
        """All API calls the census spent."""
        return self.count_calls + self.key_calls


# count(lo, hi): Intacct's number of rows with lo <= key <= hi (lo None = no lower bound)
Count = Callable[[int | None, int], int]
# read_keys(lo, hi): every key lo <= key <= hi in Intacct, and the calls spent reading them
ReadKeys = Callable[[int, int], tuple[list[int], int]]


def read_above(known: KeyRanges, read_keys: ReadKeys, after: int) -> CensusResult:
    """Compare every key in (after, max(known)] exactly, by reading them (keys only).

    For a set that may lack keys there: no stored set yet, or a run that stopped between
    its first page and its census (`OPEN_KEY`). `known` is not changed.
    """
    top = known.max()
    present, calls = read_keys(after + 1, top)
    found = set(present)
    return CensusResult(
        deleted=[key for key in known.keys_between(after + 1, top) if key not in found],
        unknown=[key for key in sorted(found) if key not in known],
        key_calls=calls,
    )


def take_census(
    known: KeyRanges, count: Count, read_keys: ReadKeys, leaf_size: int
) -> CensusResult:
    """Compare `known` with Intacct's keys up to max(known); see the module docstring.

    `known` is not changed: the caller removes `deleted` and adds `unknown` once the
    deletes are emitted.
    """
    result = CensusResult()
    if not len(known):
        return result
    top = known.max()
    actual = count(None, top)
    result.count_calls += 1
    pending = [(min(0, known.min()), top, actual)]
    while pending:
        lo, hi, actual = pending.pop()
        expected = known.count_between(lo, hi)
        if actual == expected:
            continue
        if expected <= leaf_size or lo == hi:
            present, calls = read_keys(lo, hi)
            result.key_calls += calls
            found = set(present)
            result.deleted.extend(k for k in known.keys_between(lo, hi) if k not in found)
            result.unknown.extend(k for k in sorted(found) if k not in known)
            continue
        middle = (lo + hi) // 2
        left = count(lo, middle)
        result.count_calls += 1
        pending.append((middle + 1, hi, actual - left))
        pending.append((lo, middle, left))
    result.deleted.sort()
    return result


@dataclass(frozen=True)
class KeyQueries:
    """The two `query` shapes the census needs, for one object."""

    fetch: Callable[[PageRequest], QueryPage]
    object_name: str
    key_field: str
    page_size: int
    show_private: bool

    def count(self, lo: int | None, hi: int) -> int:
        """Rows with lo <= key <= hi: one call of page size 1.

        The count is the rows returned plus `numremaining`, the attribute every paged
        read already relies on to stop; `totalcount`, which nothing else needs, is not
        trusted for it.
        """
        upper = f.le(self.key_field, hi)
        condition = upper if lo is None else f.and_(f.ge(self.key_field, lo), upper)
        page = self.fetch(self._request(condition, page_size=1, ordered=False))
        return len(page.records) + page.num_remaining

    def read_keys(self, lo: int, hi: int) -> tuple[list[int], int]:
        """Every key lo <= key <= hi, keys only, paged on the key; with the calls spent."""
        keys: list[int] = []
        calls = 0
        after: int | None = None
        while True:
            lower = f.ge(self.key_field, lo) if after is None else f.gt(self.key_field, after)
            page = self.fetch(
                self._request(f.and_(lower, f.le(self.key_field, hi)), self.page_size)
            )
            calls += 1
            batch = [record_key(row, self.key_field) for row in page.records]
            keys.extend(batch)
            if page.num_remaining <= 0 or not batch:
                return keys, calls
            after = max(batch)

    def _request(self, condition: Any, page_size: int, *, ordered: bool = True) -> PageRequest:
        return PageRequest(
            object_name=self.object_name,
            fields=(self.key_field,),
            filter=condition,
            order_by=((self.key_field, ASCENDING),) if ordered else (),
            page_size=page_size,
            show_private=self.show_private,
        )
