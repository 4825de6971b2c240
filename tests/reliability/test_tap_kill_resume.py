"""SIGKILL the tap at random points of a multi-page, multi-stream sync and resume it from
the last STATE it emitted, again and again, until a run finishes.

The kill points are seeded (reproducible) stdout line counts: a line not read before
the kill never reached the downstream loader, exactly as in a crash. Whatever the kill
point, the union of the records read from all runs is exactly the sandbox's, for every
stream, and every emitted copy carries the sandbox's values.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from reliability_kit import (
    TapRun,
    assert_union_equals_sandbox,
    fast_tap_config,
    run_tap_killed_after,
)
from tap_helpers import select

STREAMS = ["apbill", "arinvoice", "customer", "glbatch", "vendor"]
PAGE_SIZE = 25
TIME_BUDGET_S = 60.0
MAX_RUNS = 30


@pytest.mark.parametrize("seed", [7, 2024])
def test_tap_killed_at_random_points_resumes_to_exactly_the_sandbox_records(
    sandbox_factory: Any, suite_catalog: dict[str, Any], seed: int
) -> None:
    box = sandbox_factory(latency_ms=15)
    counts = {name.lower(): n for name, n in box.stats()["records"].items()}
    total_records = sum(counts[s] for s in STREAMS)
    assert total_records > 20 * PAGE_SIZE, counts  # many pages over several streams
    config = fast_tap_config(box, page_size=PAGE_SIZE, lookback_minutes=0)
    catalog = select(suite_catalog, STREAMS)
    rng = random.Random(seed)
    runs: list[TapRun] = []
    kills = 0
    state: dict[str, Any] | None = None
    started = time.monotonic()
    finished = False
    while not finished:
        assert len(runs) < MAX_RUNS, f"no run finished after {MAX_RUNS} attempts"
        out_of_time = time.monotonic() - started > TIME_BUDGET_S
        # Past the time budget, let the next run finish (a bounded test, not a flaky one).
        kill_at = 10**9 if out_of_time else rng.randint(3, total_records // 2)
        run, killed = run_tap_killed_after(
            config, catalog, state, kill_after_lines=kill_at, label=f"kill run {len(runs)}"
        )
        runs.append(run)
        if killed:
            kills += 1
            assert run.returncode != 0
            state = run.last_state or state  # killed before its first STATE: same start
        else:
            assert run.returncode == 0, run.stderr[-3000:]
            finished = True
    assert kills >= 2, f"only {kills} kills: the sync finished too early to test resuming"
    sizes = assert_union_equals_sandbox(box, suite_catalog, runs, STREAMS)
    assert sizes == {s: counts[s] for s in STREAMS}
    # Resuming really resumed: the finishing run did not re-read everything.
    last = runs[-1]
    assert sum(len(last.rows(s)) for s in STREAMS) < total_records
