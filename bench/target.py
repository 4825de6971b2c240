"""Target benchmark: 10k unified records of mixed streams into a sandbox at 100 ms per call.

Prints one JSON object: HTTP requests and API calls (sandbox stats, split into writes and
reference queries), wall time, records/s and peak RSS of the target-intacct process,
and the speed-up over one request per record: the estimate records x latency, and a
measured sample run with batch_size 1 (which also pays the sandbox's per-record time).
The records come from the target developer's generator
(target-intacct/scripts/bench_target.py: vendors, customers, bills, invoices, journal
entries with references between them).

    .venv/bin/python bench/target.py [--records 10000] [--latency-ms 100]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from common import (
    ROOT,
    TARGET,
    ChildRun,
    emit,
    process_cpu_s,
    run_child,
    start_sandbox,
    write_json,
)
from intacct_sandbox.gateway import READ_ONLY_FUNCTIONS


def generator() -> ModuleType:
    path = ROOT / "target-intacct" / "scripts" / "bench_target.py"
    spec = importlib.util.spec_from_file_location("bench_target_records", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary_line(path: Path) -> dict[str, Any]:
    for line in reversed(path.read_text().splitlines()):
        if "target_intacct_summary" in line:
            return json.loads(line)["target_intacct_summary"]
    return {}


def load(
    box: Any, text: str, batch_size: int, workdir: Path
) -> tuple[ChildRun, dict[str, Any], dict[str, int], int]:
    """One target run: its rusage, summary, calls per function and HTTP requests."""
    workdir.mkdir(parents=True, exist_ok=True)
    input_path = workdir / "input.jsonl"
    input_path.write_text(text)
    config = box.config(batch_size=batch_size, results_path=str(workdir / "results.jsonl"))
    config_path = write_json(workdir / "config.json", config)
    out_path = workdir / "out.jsonl"
    before = box.stats()
    sandbox_cpu_before = process_cpu_s(box.process.pid)
    with input_path.open("rb") as stdin, out_path.open("wb") as stdout:
        run = run_child([TARGET, "--config", str(config_path)], stdin=stdin, stdout=stdout)
    run.sandbox_cpu_s = process_cpu_s(box.process.pid) - sandbox_cpu_before
    after = box.stats()
    if run.returncode != 0:
        raise SystemExit(f"target failed: {run.stderr_tail}")
    functions = {
        name: after["functions"].get(name, 0) - before["functions"].get(name, 0)
        for name in after["functions"]
        if after["functions"].get(name, 0) != before["functions"].get(name, 0)
    }
    return run, summary_line(out_path), functions, after["requests"] - before["requests"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--sample", type=int, default=200, help="one-per-record sample size")
    args = parser.parse_args()
    records = generator()
    streams = records.mixed_records(args.records, "BT")
    per_stream = {name: len(rows) for name, rows in streams.items()}
    with tempfile.TemporaryDirectory(prefix="bench-target-") as tmp:
        workdir = Path(tmp)
        box = start_sandbox(seed="demo", latency_ms=args.latency_ms)
        try:
            run, summary, functions, requests = load(
                box, records.singer(streams), args.batch_size, workdir / "batched"
            )
            sample = records.singer(records.mixed_records(args.sample, "BS"))
            single, single_summary, _, single_requests = load(box, sample, 1, workdir / "single")
        finally:
            box.stop()
    written = int(summary.get("records", args.records))
    reads = sum(n for name, n in functions.items() if name in READ_ONLY_FUNCTIONS)
    writes = sum(n for name, n in functions.items() if name not in READ_ONLY_FUNCTIONS)
    baseline_s = written * args.latency_ms / 1000
    single_written = int(single_summary.get("records", args.sample))
    single_per_record = single.wall_s / max(single_written, 1)
    emit(
        {
            "benchmark": "target",
            "records": written,
            "records_per_stream": per_stream,
            "failed": summary.get("failed"),
            "latency_ms": args.latency_ms,
            "batch_size": args.batch_size,
            "http_requests": requests,
            "api_calls_by_function": functions,
            "write_calls": writes,
            "reference_and_session_calls": reads,
            "requests_budget_records_over_50": written / 50,
            "requests_minus_reference_calls": requests - reads,
            "within_request_budget": requests <= written / 50 + reads,
            "wall_s": round(run.wall_s, 2),
            "records_per_s": round(written / run.wall_s, 1),
            "baseline_one_request_per_record_s": round(baseline_s, 1),
            "speedup_vs_one_request_per_record": round(baseline_s / run.wall_s, 1),
            "one_request_per_record_sample": {
                "records": single_written,
                "http_requests": single_requests,
                "wall_s": round(single.wall_s, 2),
                "s_per_record": round(single_per_record, 4),
            },
            "speedup_vs_measured_one_request_per_record": round(
                single_per_record * written / run.wall_s, 1
            ),
            "target_speedup": 20,
            "target_cpu_s": round(run.cpu_s, 2),
            "sandbox_cpu_s": round(run.sandbox_cpu_s, 2),
            "sandbox_cpu_ms_per_record": round(run.sandbox_cpu_s * 1000 / max(written, 1), 2),
            "peak_rss_mb": round(run.peak_rss_mb, 1),
        }
    )


if __name__ == "__main__":
    main()
