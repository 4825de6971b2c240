"""`make bench`: run every benchmark once, one after the other, and collect their JSON.

Each script prints one JSON object on its last stdout line; this prints them as they
finish (one line each, to stderr, for progress) and then one combined JSON object on
stdout, also written to --out (default: $TMPDIR/intacct-bench/latest.json).
A script that fails or times out is reported with its exit code and stderr tail; the
others still run. Scripts that are not there (yet) are skipped.

    .venv/bin/python bench/run_all.py [--only tap_cpu,target] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
DEFAULT_OUT = Path(tempfile.gettempdir()) / "intacct-bench" / "latest.json"


@dataclass(frozen=True)
class Benchmark:
    name: str
    args: list[str] = field(default_factory=list)
    quick_args: list[str] = field(default_factory=list)
    timeout_s: int = 600


# Order: cheapest first, the long CPU run last. Whole set: about 12 minutes on 2 cores.
BENCHMARKS = [
    Benchmark("client_parse", timeout_s=300),
    Benchmark("sandbox_throughput", ["--scale", "20"], ["--scale", "1"], timeout_s=600),
    Benchmark("discovery", timeout_s=600),
    Benchmark("ledger_calls", timeout_s=600),
    Benchmark("target", quick_args=["--records", "1000"], timeout_s=600),
    Benchmark("tap_latency", quick_args=["--scale", "2"], timeout_s=600),
    Benchmark("tap_cpu", quick_args=["--scale", "2"], timeout_s=900),
]


def last_json(text: str) -> dict[str, Any] | None:
    for raw in reversed(text.strip().splitlines()):
        line = raw.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return None


def run(bench: Benchmark, quick: bool) -> dict[str, Any]:
    script = BENCH / f"{bench.name}.py"
    if not script.exists():
        return {"skipped": f"{script.name} not present"}
    args = [sys.executable, str(script), *(bench.quick_args if quick else bench.args)]
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            args, capture_output=True, text=True, timeout=bench.timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {bench.timeout_s} s"}
    elapsed = round(time.perf_counter() - started, 1)
    result = last_json(proc.stdout)
    if proc.returncode != 0 or result is None:
        return {
            "error": f"exit {proc.returncode}",
            "stderr_tail": proc.stderr[-2000:],
            "elapsed_s": elapsed,
        }
    return {**result, "elapsed_s": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--quick", action="store_true", help="small scales (smoke run)")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args()
    chosen = {name.strip() for name in args.only.split(",") if name.strip()}
    started = time.perf_counter()
    results: dict[str, Any] = {}
    for bench in BENCHMARKS:
        if chosen and bench.name not in chosen:
            continue
        results[bench.name] = run(bench, args.quick)
        print(json.dumps({bench.name: results[bench.name]}), file=sys.stderr, flush=True)
    combined = {
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": _cpus()},
        "quick": args.quick,
        "total_s": round(time.perf_counter() - started, 1),
        "results": results,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(combined, indent=2) + "\n")
    print(json.dumps(combined))
    failed = [name for name, value in results.items() if "error" in value]
    sys.exit(1 if failed else 0)


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


if __name__ == "__main__":
    main()
