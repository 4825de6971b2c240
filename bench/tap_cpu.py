"""CPU-bound tap benchmark: 200k GLDETAIL rows from a sandbox with no latency.

Prints one JSON object: records/s, CPU seconds per 10k records and peak RSS of the
tap-intacct process (its own rusage), next to the SDK floor (bench/sdk_floor_tap.py
emitting the very same records from memory) and their ratio. The catalog is prepared
before timing, so discovery is not part of the figure.

    .venv/bin/python bench/tap_cpu.py [--scale 38]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    GLDETAIL_PER_SCALE,
    TAP,
    ChildRun,
    count_messages,
    discover_catalog,
    emit,
    process_cpu_s,
    query_calls,
    rss_by_progress,
    run_child,
    sandbox_at,
    select_streams,
    tap_config,
    total_calls,
    write_json,
)

FLOOR = str(Path(__file__).with_name("sdk_floor_tap.py"))
STREAM = "gldetail"
LOAD_CPU = re.compile(r"FLOOR_LOAD_CPU_S=([0-9.]+)")


def per_10k(cpu_s: float, records: int) -> float:
    return round(cpu_s / max(records, 1) * 10_000, 4)


def figures(run: ChildRun, records: int, cpu_s: float | None = None) -> dict[str, Any]:
    cpu = run.cpu_s if cpu_s is None else cpu_s
    return {
        "records": records,
        "wall_s": round(run.wall_s, 2),
        "records_per_s": round(records / run.wall_s, 1),
        "cpu_s": round(cpu, 3),
        "cpu_s_per_10k_records": per_10k(cpu, records),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
    }


def floor_run(workdir: Path, records_path: Path, entry_path: Path, fast: bool) -> dict[str, Any]:
    config = write_json(
        workdir / f"floor-{fast}.json",
        {"records_path": str(records_path), "schema_path": str(entry_path), "fast": fast},
    )
    args = [sys.executable, FLOOR, "--config", str(config)] + ([] if fast else ["--default"])
    out_path = workdir / f"floor-{fast}.jsonl"
    with out_path.open("wb") as out:
        run = run_child(args, stdout=out)
    if run.returncode != 0:
        raise SystemExit(f"floor tap failed: {run.stderr_tail}")
    match = LOAD_CPU.search(run.stderr_tail)
    load = float(match.group(1)) if match else 0.0
    counts = count_messages(out_path)
    out_path.unlink()
    result = figures(run, counts["RECORD"], cpu_s=run.cpu_s - load)
    result["load_cpu_s_excluded"] = round(load, 3)
    result["note"] = "peak RSS includes every record held in memory"
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=38, help="38 -> 203k GLDETAIL rows")
    parser.add_argument("--max-concurrent-requests", type=int, default=2)
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="tap only (the floor taps hold every record in memory: for large scales)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-tap-cpu-") as tmp:
        workdir = Path(tmp)
        box = sandbox_at(args.scale, workdir)
        try:
            config = tap_config(
                box,
                objects=["GLDETAIL"],
                max_concurrent_requests=args.max_concurrent_requests,
            )
            catalog = select_streams(discover_catalog(config, workdir), [STREAM])
            entry_path = write_json(workdir / "entry.json", catalog["streams"][0])
            config_path = write_json(workdir / "config.json", config)
            catalog_path = write_json(workdir / "catalog.json", catalog)
            expected = int(box.stats()["records"]["GLDETAIL"])
            before = box.stats()
            records_path = workdir / "tap.jsonl"
            sandbox_cpu_before = process_cpu_s(box.process.pid)
            with records_path.open("wb") as out:
                tap = run_child(
                    [TAP, "--config", str(config_path), "--catalog", str(catalog_path)],
                    stdout=out,
                    progress_file=records_path,
                )
            sandbox_cpu_s = process_cpu_s(box.process.pid) - sandbox_cpu_before
            after = box.stats()
        finally:
            box.stop()
        if tap.returncode != 0:
            raise SystemExit(f"tap failed: {tap.stderr_tail}")
        counts = count_messages(records_path)
        started = time.perf_counter()
        floors: dict[str, Any] = {}
        if not args.no_floor:
            fast = floor_run(workdir, records_path, entry_path, fast=True)
            default = floor_run(workdir, records_path, entry_path, fast=False)
            floors = floor_figures(fast, default, counts["RECORD"], tap)
        floors["floor_wall_s"] = round(time.perf_counter() - started, 1)
    calls = total_calls(after) - total_calls(before)
    queries = query_calls(after) - query_calls(before)
    tap_figures = figures(tap, counts["RECORD"])
    emit(
        {
            "benchmark": "tap_cpu",
            "scale": args.scale,
            "gldetail_rows_in_sandbox": expected,
            "expected_rows_estimate": GLDETAIL_PER_SCALE * args.scale,
            "all_rows_emitted": counts["RECORD"] == expected,
            "tap": {
                **tap_figures,
                "state_messages": counts["STATE"],
                "api_calls": calls,
                "query_calls": queries,
                "query_calls_limit": math.ceil(expected / 2000),
                "peak_rss_mb_by_output_written": rss_by_progress(tap),
                "sandbox_cpu_s_serving_the_pages": round(sandbox_cpu_s, 2),
            },
            **floors,
        }
    )


def floor_figures(
    fast: dict[str, Any], default: dict[str, Any], records: int, tap: ChildRun
) -> dict[str, Any]:
    """Both floors and the tap's CPU per record as a ratio to each."""
    per_10k = figures(tap, records)["cpu_s_per_10k_records"]
    return {
        "sdk_floor_same_writer": fast,
        "sdk_floor_sdk_defaults": default,
        "ratio_cpu_per_record_vs_floor_same_writer": round(
            per_10k / max(fast["cpu_s_per_10k_records"], 1e-9), 2
        ),
        "ratio_cpu_per_record_vs_floor_sdk_defaults": round(
            per_10k / max(default["cpu_s_per_10k_records"], 1e-9), 2
        ),
        "target_ratio": 1.5,
    }


if __name__ == "__main__":
    main()
