"""Key census across runs: STATE without the key set (older STATE, or `start_date`).

The set of live keys is built from a full sync's rows; when a run starts without it
(STATE written before the census existed, or a first run limited by `start_date`), the
object's keys are read once, keys only, and from the next run on deletions are found
with one count per run.
"""

from __future__ import annotations

import json
import re
from typing import Any

from intacct_client import ClientConfig, IntacctClient
from reliability_kit import fast_tap_config, run_tap_captured, run_tap_killed_after
from tap_helpers import TapRun, select

STREAMS = ["glbatch", "glentry"]


def _replace_lines(box: Any, batch: int, amount: str) -> set[int]:
    """Update a journal entry with a new set of lines; returns the line keys it lost."""
    before = {r["RECORDNO"] for r in box.records("GLENTRY") if r["BATCHNO"] == batch}
    entries = {
        "GLENTRY": [
            {"ACCOUNTNO": "6100", "TR_TYPE": "1", "TRX_AMOUNT": amount},
            {"ACCOUNTNO": "2100", "TR_TYPE": "-1", "TRX_AMOUNT": amount},
        ]
    }
    client = IntacctClient(ClientConfig.from_mapping(box.config()))
    try:
        result = client.update([("GLBATCH", {"RECORDNO": batch, "ENTRIES": entries})])
    finally:
        client.close()
    assert result.status == "success", result
    return before


def _live(run: TapRun) -> set[int]:
    assert run.last_state is not None
    ranges = run.last_state["bookmarks"]["glentry"]["live_keys"]
    return {key for lo, hi in ranges for key in range(lo, hi + 1)}


def _census_line(run: TapRun) -> tuple[int, int, int]:
    found = re.search(
        r"Key census of glentry: (\d+) API calls \((\d+) counts, (\d+) key", run.stderr
    )
    assert found, run.stderr[-2000:]
    return int(found[1]), int(found[2]), int(found[3])


def _deleted(run: TapRun) -> set[int]:
    return {int(r["RECORDNO"]) for r in run.deletes("glentry")}


def test_older_state_without_the_set_reads_keys_once_then_counts(sandbox_factory: Any) -> None:
    box = sandbox_factory()
    config = fast_tap_config(box, objects=["GLBATCH", "GLENTRY"])
    discovered = run_tap_captured(config, extra=["--discover"], label="discover")
    catalog = select(json.loads(discovered.stdout), STREAMS)
    first = run_tap_captured(config, catalog, label="full")
    assert first.returncode == 0, first.stderr[-3000:]
    assert _census_line(first) == (0, 0, 0)  # a set built from nothing needs no count
    older = json.loads(json.dumps(first.last_state))
    del older["bookmarks"]["glentry"]["live_keys"]

    _replace_lines(box, 10, "3.5")
    second = run_tap_captured(config, catalog, older, label="without the set")
    assert second.returncode == 0, second.stderr[-3000:]
    calls, counts, pages = _census_line(second)
    assert (counts, pages) == (1, 1)  # 1 600 keys: one keys-only page, then the count
    assert _live(second) == {r["RECORDNO"] for r in box.records("GLENTRY")}
    assert _deleted(second) == set()  # lines removed before the set existed stay unknown

    lost = _replace_lines(box, 20, "4.5")
    third = run_tap_captured(config, catalog, second.last_state, label="with the set")
    assert third.returncode == 0, third.stderr[-3000:]
    assert _deleted(third) == lost
    assert _live(third) == {r["RECORDNO"] for r in box.records("GLENTRY")}
    calls, counts, pages = _census_line(third)
    assert pages == 1
    assert calls <= 12


def test_first_run_with_start_date_builds_the_whole_set(sandbox_factory: Any) -> None:
    box = sandbox_factory()
    lost_early = _replace_lines(box, 30, "8.5")  # modified now: after start_date
    config = fast_tap_config(box, objects=["GLBATCH", "GLENTRY"], start_date="2026-01-01T00:00:00Z")
    discovered = run_tap_captured(config, extra=["--discover"], label="discover")
    catalog = select(json.loads(discovered.stdout), STREAMS)
    first = run_tap_captured(config, catalog, label="start_date")
    assert first.returncode == 0, first.stderr[-3000:]
    emitted = {int(r["RECORDNO"]) for r in first.rows("glentry")}
    assert 0 < len(emitted) < len(box.records("GLENTRY"))
    assert not emitted & lost_early
    assert _live(first) == {r["RECORDNO"] for r in box.records("GLENTRY")}

    lost = _replace_lines(box, 31, "9.5")
    second = run_tap_captured(config, catalog, first.last_state, label="incremental")
    assert second.returncode == 0, second.stderr[-3000:]
    assert _deleted(second) == lost


def test_a_run_killed_before_its_census_leaves_small_state_and_loses_nothing(
    sandbox_factory: Any,
) -> None:
    box = sandbox_factory()
    config = fast_tap_config(box, objects=["GLBATCH", "GLENTRY"], page_size=100)
    discovered = run_tap_captured(config, extra=["--discover"], label="discover")
    catalog = select(json.loads(discovered.stdout), STREAMS)
    first = run_tap_captured(config, catalog, label="full")
    assert first.returncode == 0, first.stderr[-3000:]
    stored = first.last_state["bookmarks"]["glentry"]["live_keys"]  # type: ignore[index]
    assert len(stored) == 1

    box.touch("GLENTRY", list(range(1, 601, 2)))  # 300 rows for the next run, 3 pages
    killed, was_killed = run_tap_killed_after(
        config, catalog, first.last_state, kill_after_lines=200
    )
    assert was_killed
    assert killed.last_state is not None
    mid = killed.last_state["bookmarks"]["glentry"]
    assert mid.get("live_keys_open") is True  # stopped between its first page and its census
    assert mid["live_keys"] == stored  # STATE kept the last census's set, not a half-built one
    assert killed.rows("glentry")

    lost = _replace_lines(box, 40, "6.5")
    resumed = run_tap_captured(config, catalog, killed.last_state, label="resumed")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert _deleted(resumed) == lost
    assert _live(resumed) == {r["RECORDNO"] for r in box.records("GLENTRY")}
    assert "live_keys_open" not in resumed.last_state["bookmarks"]["glentry"]  # type: ignore[index]


def test_named_query_streams_of_a_line_object_take_no_census(sandbox_factory: Any) -> None:
    box = sandbox_factory()
    debits = {"name": "debit_lines", "object": "GLENTRY", "filter": "TR_TYPE = 1"}
    config = fast_tap_config(box, objects=["GLENTRY", "debit_lines"], query_streams=[debits])
    discovered = run_tap_captured(config, extra=["--discover"], label="discover")
    assert discovered.returncode == 0, discovered.stderr[-3000:]
    catalog = select(json.loads(discovered.stdout), ["glentry", "debit_lines"])
    run = run_tap_captured(config, catalog, label="sync")
    assert run.returncode == 0, run.stderr[-3000:]
    assert 0 < len(run.rows("debit_lines")) < len(run.rows("glentry"))
    assert run.last_state is not None
    assert "live_keys" in run.last_state["bookmarks"]["glentry"]
    assert "live_keys" not in run.last_state["bookmarks"]["debit_lines"]
    assert "Key census of glentry" in run.stderr
    assert "Key census of debit_lines" not in run.stderr
