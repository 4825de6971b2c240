"""The concurrent page path (several pages in flight) against a real sandbox.

Small pages and per-call latency make many requests overlap, so these runs exercise
speculative pages, their contiguity checks and the in-order emission on the main thread:
emitted rows must equal the sandbox's rows exactly, come out in (WHENMODIFIED, RECORDNO)
order, survive ties across page boundaries and rows modified while the sync runs, stay
within the API-call budget, and resume from any STATE without losing a row.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timezone
from itertools import pairwise
from typing import Any

import pytest
from sandbox_process import Sandbox, start_sandbox
from tap_helpers import TapRun, comparable, discover, entry, run_tap, run_tap_interactive, select

CONCURRENCY = 4
OBJECTS = ["GLDETAIL", "VENDOR", "GLENTRY", "APBILL", "ARINVOICE"]
# seed.py DEMO_FACTS: these rows share one WHENMODIFIED second
SHARED_SECOND = datetime(2025, 6, 15, 17, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    """Latency makes requests overlap; the sandbox enforces the concurrency limit."""
    sandbox = start_sandbox(seed="demo", latency_ms=25, max_concurrent=CONCURRENCY)
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(scope="module")
def catalog(box: Sandbox) -> dict[str, Any]:
    return select(discover(box.config(objects=OBJECTS)), [o.lower() for o in OBJECTS])


@pytest.fixture
def clean(box: Sandbox) -> Sandbox:
    box.reset()
    return box


def config(box: Sandbox, page_size: int) -> dict[str, Any]:
    return box.config(
        page_size=page_size,
        max_concurrent_requests=CONCURRENCY,
        include_deletes=False,
        lookback_minutes=0,
    )


def only(catalog: dict[str, Any], stream: str) -> dict[str, Any]:
    return select(catalog, [stream])


def instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.astimezone(timezone.utc)


def sort_key(row: dict[str, Any]) -> tuple[datetime, int]:
    return instant(row["WHENMODIFIED"]), int(row["RECORDNO"])


def assert_exact(box: Sandbox, catalog: dict[str, Any], run: TapRun, stream: str) -> None:
    """Same keys and values as the sandbox, each row once."""
    # fields Intacct refuses to query are dropped from the last SCHEMA message
    schema = run.schemas.get(stream) or entry(catalog, stream)["schema"]
    rows = run.rows(stream)
    keys = [int(r["RECORDNO"]) for r in rows]
    assert len(keys) == len(set(keys)), "a record was emitted twice"
    truth = comparable(box.records(entry(catalog, stream)["table_name"]), schema)
    assert comparable(rows, schema) == truth


def assert_ordered(rows: list[dict[str, Any]]) -> None:
    """Rows with WHENMODIFIED come out strictly ascending by (WHENMODIFIED, RECORDNO)."""
    keys = [sort_key(r) for r in rows if r.get("WHENMODIFIED")]
    assert keys, "no row with WHENMODIFIED"
    out_of_order = [(a, b) for a, b in pairwise(keys) if not a < b]
    assert not out_of_order, f"out of order: {out_of_order[:3]}"


def test_many_pages_in_flight_emit_exactly_the_sandbox_rows_in_order(
    clean: Sandbox, catalog: dict[str, Any]
) -> None:
    box = clean
    before = box.stats()["functions"].get("query", 0)
    run = run_tap(config(box, page_size=40), only(catalog, "gldetail"))
    queries = box.stats()["functions"].get("query", 0) - before
    rows = run.rows("gldetail")
    total = int(box.stats()["records"]["GLDETAIL"])
    assert len(rows) == total
    assert_exact(box, catalog, run, "gldetail")
    assert_ordered(rows)
    # 120 rows share one second: they come out together, by RECORDNO, across 3+ pages
    shared = [
        i for i, r in enumerate(rows) if r.get("WHENMODIFIED") and sort_key(r)[0] == SHARED_SECOND
    ]
    assert len(shared) == 120
    assert shared == list(range(shared[0], shared[0] + 120))
    assert [int(rows[i]["RECORDNO"]) for i in shared] == list(range(1001, 1121))
    # API budget: a 1-row overlap per speculative page costs 1/39 at this page size
    minimum = math.ceil(total / 40)
    assert queries <= 1.05 * minimum + 1, (queries, minimum)


def test_ties_across_small_pages_are_neither_lost_nor_repeated(
    clean: Sandbox, catalog: dict[str, Any]
) -> None:
    box = clean
    run = run_tap(config(box, page_size=20), only(catalog, "vendor"))
    rows = run.rows("vendor")
    assert_exact(box, catalog, run, "vendor")
    assert_ordered(rows)
    tied = [r for r in rows if r.get("WHENMODIFIED") and sort_key(r)[0] == SHARED_SECOND]
    assert len(tied) >= 50  # the tie spans three 20-row pages
    assert len(run.states) >= 3


def test_rows_modified_during_the_sync_are_not_lost(
    clean: Sandbox, catalog: dict[str, Any]
) -> None:
    """Touching rows ahead of the cursor shifts every later offset: speculative pages
    must notice it (their overlap row no longer matches) instead of skipping rows."""
    box = clean
    ordered = sorted((r for r in box.records("GLDETAIL") if r.get("WHENMODIFIED")), key=sort_key)
    all_keys = {int(r["RECORDNO"]) for r in box.records("GLDETAIL")}
    touched: list[int] = []

    def touch_ahead(count: int, run: TapRun) -> str | None:
        if count != 2 or touched:
            return None
        emitted = run.rows("gldetail")
        position = len(emitted)
        # a handful of rows spread over the next pages, none emitted yet
        ahead = [int(r["RECORDNO"]) for r in ordered[position + 300 : position + 1500 : 97]]
        box.touch("GLDETAIL", ahead)
        touched.extend(ahead)
        return None

    first = run_tap_interactive(
        config(box, page_size=40), only(catalog, "gldetail"), None, on_state=touch_ahead
    )
    assert first.returncode == 0
    assert touched
    first_keys = [int(r["RECORDNO"]) for r in first.rows("gldetail")]
    assert len(first_keys) == len(set(first_keys))
    assert_ordered(first.rows("gldetail"))
    # every row that was not moved is read in this run
    assert all_keys - set(touched) <= set(first_keys)
    # the moved rows come with the next run (their WHENMODIFIED passed the run's bound)
    second = run_tap(config(box, page_size=40), only(catalog, "gldetail"), first.last_state)
    second_keys = {int(r["RECORDNO"]) for r in second.rows("gldetail")}
    assert set(touched) <= set(first_keys) | second_keys
    assert set(first_keys) | second_keys == all_keys


def test_resume_from_a_mid_stream_state_loses_nothing(
    clean: Sandbox, catalog: dict[str, Any]
) -> None:
    box = clean
    stored = box.records("GLDETAIL")
    all_keys = {int(r["RECORDNO"]) for r in stored}

    def kill_at_fifth(count: int, _run: TapRun) -> str | None:
        return "kill" if count == 5 else None

    first = run_tap_interactive(
        config(box, page_size=40), only(catalog, "gldetail"), None, on_state=kill_at_fifth
    )
    state = first.last_state
    assert state is not None
    bookmark = instant(state["bookmarks"]["gldetail"]["replication_key_value"])
    first_keys = {int(r["RECORDNO"]) for r in first.rows("gldetail")}
    assert 0 < len(first_keys) < len(all_keys)
    # emitted in order, so every row strictly before the bookmark was emitted already
    before_bookmark = {
        int(r["RECORDNO"])
        for r in stored
        if r.get("WHENMODIFIED") and instant(r["WHENMODIFIED"]) < bookmark
    }
    assert before_bookmark <= first_keys
    second = run_tap(config(box, page_size=40), only(catalog, "gldetail"), state)
    second_keys = {int(r["RECORDNO"]) for r in second.rows("gldetail")}
    assert first_keys | second_keys == all_keys
    assert len(second_keys) < len(all_keys)  # it resumed, not restarted
    assert_ordered(second.rows("gldetail"))


def test_several_streams_with_first_pages_requested_ahead(
    clean: Sandbox, catalog: dict[str, Any]
) -> None:
    """Each stream's first page is requested while the one before it finishes: every
    stream still gets exactly its own rows, in order, within the call budget."""
    box = clean
    streams = ["apbill", "arinvoice", "glentry", "vendor"]
    counts = {name.lower(): int(n) for name, n in box.stats()["records"].items()}
    before = box.stats()["functions"].get("query", 0)
    run = run_tap(config(box, page_size=40), select(catalog, streams))
    queries = box.stats()["functions"].get("query", 0) - before
    for stream in streams:
        assert len(run.rows(stream)) == counts[stream], stream
        assert_exact(box, catalog, run, stream)
        assert_ordered(run.rows(stream))
    minimum = sum(math.ceil(counts[stream] / 40) for stream in streams)
    assert queries <= 1.05 * minimum + len(streams), (queries, minimum)


def test_refused_field_is_dropped_by_the_worker_with_one_extra_call(
    clean: Sandbox, catalog: dict[str, Any]
) -> None:
    """APBILL's lookup lists PAYTOCONTACTNAME, which its query refuses (a real Intacct
    quirk): the first page, requested ahead while GLDETAIL is still emitting, is asked for
    again without it at once; the stream re-sends its SCHEMA and loses nothing else."""
    box = clean
    before = box.stats()["functions"].get("query", 0)
    run = run_tap(config(box, page_size=100), select(catalog, ["apbill", "gldetail"]))
    queries = box.stats()["functions"].get("query", 0) - before
    warned = [line for line in run.stderr.splitlines() if "refuses to query" in line]
    assert len(warned) == 1
    assert "APBILL.PAYTOCONTACTNAME" in warned[0]
    assert "PAYTOCONTACTNAME" not in run.schemas["apbill"]["properties"]
    assert all("PAYTOCONTACTNAME" not in row for row in run.rows("apbill"))
    assert_exact(box, catalog, run, "apbill")
    assert_exact(box, catalog, run, "gldetail")
    counts = box.stats()["records"]
    minimum = math.ceil(int(counts["APBILL"]) / 100) + math.ceil(int(counts["GLDETAIL"]) / 100)
    assert queries <= 1.05 * minimum + 2 + 1, (queries, minimum)  # + the one refused call
