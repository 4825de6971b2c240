"""Key census: the range set and the bisection, against an in-memory key table.

The census logic is pure (count and read functions are passed in); these tests give it
a Python set as "Intacct" and check what it finds and how many calls it spends. The
tap-level behaviour against a real sandbox is in tests/reliability/test_variant_matrix.py.
"""

from __future__ import annotations

import json
import math
import random

import pytest
from tap_intacct.key_census import CensusResult, KeyRanges, take_census


class Table:
    """Keys in "Intacct", with the calls made against them."""

    def __init__(self, keys: set[int], page_size: int) -> None:
        self.keys = keys
        self.page_size = page_size
        self.counts = 0
        self.reads = 0

    def count(self, lo: int | None, hi: int) -> int:
        self.counts += 1
        return sum(1 for k in self.keys if (lo is None or k >= lo) and k <= hi)

    def read_keys(self, lo: int, hi: int) -> tuple[list[int], int]:
        found = sorted(k for k in self.keys if lo <= k <= hi)
        calls = max(1, math.ceil(len(found) / self.page_size))
        self.reads += calls
        return found, calls


def test_ranges_merge_split_and_count() -> None:
    ranges = KeyRanges()
    ranges.add([5, 3, 4, 10, 11, 7])
    assert ranges.to_state() == [[3, 5], [7, 7], [10, 11]]
    ranges.add([6, 8, 9])
    assert ranges.to_state() == [[3, 11]]
    assert len(ranges) == 9
    ranges.discard([3, 7, 11, 99])
    assert ranges.to_state() == [[4, 6], [8, 10]]
    assert len(ranges) == 6
    assert ranges.count_between(5, 9) == 4
    assert list(ranges.keys_between(0, 100)) == [4, 5, 6, 8, 9, 10]
    assert 8 in ranges
    assert 7 not in ranges
    assert KeyRanges.from_state(ranges.to_state()).to_state() == ranges.to_state()  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", [None, "x", [[1]], [[2, 1]], [["1", 2]], {"a": 1}])
def test_ranges_from_bad_state_is_none(bad: object) -> None:
    assert KeyRanges.from_state(bad) is None


def test_nothing_deleted_costs_one_count() -> None:
    keys = set(range(1, 50_001))
    table = Table(set(keys), page_size=2000)
    result = take_census(KeyRanges([(1, 50_000)]), table.count, table.read_keys, 2000)
    assert result == CensusResult(count_calls=1)
    assert (table.counts, table.reads) == (1, 0)


def test_one_deleted_run_costs_about_log2_calls() -> None:
    known = KeyRanges([(1, 1_000_000)])
    table = Table(set(range(1, 1_000_001)) - set(range(400_000, 400_004)), page_size=2000)
    result = take_census(known, table.count, table.read_keys, 2000)
    assert result.deleted == [400_000, 400_001, 400_002, 400_003]
    assert result.unknown == []
    bound = math.ceil(math.log2(1_000_000 / 2000)) + 2
    assert result.calls <= bound, result
    assert result.key_calls == 1


def test_scattered_deletes_and_unknown_rows_are_all_found() -> None:
    rng = random.Random(7)
    live = set(range(1, 20_001))
    deleted = set(rng.sample(range(1, 10_001), 40))
    known = KeyRanges([(1, 20_000)])
    known.discard([15_000, 15_001])  # live in Intacct, never emitted (e.g. start_date)
    table = Table(live - deleted, page_size=500)
    result = take_census(known, table.count, table.read_keys, 500)
    assert result.deleted == sorted(deleted)
    assert result.unknown == [15_000, 15_001]


def test_a_deletion_hidden_by_an_unknown_row_is_found_once_that_row_is_known() -> None:
    known = KeyRanges([(1, 10_000)])
    known.discard([5_000])  # visible late: the next run's lookback emits it
    table = Table(set(range(1, 10_001)) - {5_010}, page_size=100)
    first = take_census(known, table.count, table.read_keys, 100)
    assert (first.deleted, first.unknown) == ([], [])  # the counts cancel out
    known.add([5_000])
    second = take_census(known, table.count, table.read_keys, 100)
    assert second.deleted == [5_010]


def test_range_state_stays_small() -> None:
    known = KeyRanges([(1, 1_000_000)])
    known.discard(range(10_000, 1_000_000, 10_000))  # 99 holes
    size = len(json.dumps(known.to_state(), separators=(",", ":")))
    assert known.range_count == 100
    assert size < 100 * 20
