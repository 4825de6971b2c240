"""Benchmark: N unified records of mixed streams into a sandbox with per-call latency.

Prints one JSON object: requests, wall time, records/s and peak RSS of the batched run,
next to a one-request-per-record run (batch_size=1) on a sample, as a speed-up ratio.

    .venv/bin/python target-intacct/scripts/bench_target.py --records 10000 --latency-ms 100
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import simplejson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from sandbox_process import start_sandbox  # noqa: E402

TARGET = Path(sys.executable).parent / "target-intacct"


def mixed_records(total: int, tag: str) -> dict[str, list[dict[str, Any]]]:
    """10% vendors, 10% customers, 30% bills, 20% invoices, 30% journal entries."""
    n_vendors = max(1, total // 10)
    n_customers = max(1, total // 10)
    n_bills = total * 3 // 10
    n_invoices = total * 2 // 10
    n_entries = total - n_vendors - n_customers - n_bills - n_invoices
    vendors = [
        {"id": f"{tag}V{i:05d}", "name": f"Bench Vendor {i} & Søn", "email": f"v{i}@b.example"}
        for i in range(n_vendors)
    ]
    customers = [
        {"id": f"{tag}C{i:05d}", "name": f'Bench Customer {i} "Zoë"', "creditLimit": Decimal(1000)}
        for i in range(n_customers)
    ]
    bills = [
        {
            "billNumber": f"{tag}B{i:06d}",
            "vendorId": vendors[i % n_vendors]["id"],
            "issueDate": "2025-01-15",
            "dueDate": "2025-02-14",
            "lineItems": [
                {"accountNumber": "6200", "amount": Decimal(i % 500) + Decimal("1.25")},
                {
                    "accountName": "Software & Subscriptions",
                    "amount": Decimal("9.99"),
                    "department": "Engineering",
                },
            ],
        }
        for i in range(n_bills)
    ]
    invoices = [
        {
            "invoiceNumber": f"{tag}I{i:06d}",
            "customerId": customers[i % n_customers]["id"],
            "issueDate": "2025-01-20",
            "paymentTerm": "Net 30",
            "lineItems": [{"accountNumber": "4100", "amount": Decimal(i % 900) + Decimal("10.50")}],
        }
        for i in range(n_invoices)
    ]
    entries = [
        {
            "id": f"{tag}J{i:06d}",
            "journal": "GJ",
            "transactionDate": "2025-01-31",
            "lines": [
                {
                    "accountNumber": "6100",
                    "amount": Decimal(i % 700) + Decimal("0.75"),
                    "postingType": "debit",
                    "location": "San Francisco",
                },
                {
                    "accountNumber": "2100",
                    "amount": Decimal(i % 700) + Decimal("0.75"),
                    "postingType": "credit",
                },
            ],
        }
        for i in range(n_entries)
    ]
    return {
        "Vendors": vendors,
        "Customers": customers,
        "Bills": bills,
        "Invoices": invoices,
        "JournalEntries": entries,
    }


def singer(streams: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for stream, records in streams.items():
        lines.append(
            json.dumps(
                {
                    "type": "SCHEMA",
                    "stream": stream,
                    "schema": {"properties": {}},
                    "key_properties": [],
                }
            )
        )
        lines.extend(
            simplejson.dumps({"type": "RECORD", "stream": stream, "record": r}, use_decimal=True)
            for r in records
        )
    return "\n".join(lines) + "\n"


def run(box: Any, text: str, batch_size: int, workdir: Path) -> dict[str, Any]:
    config = box.config(batch_size=batch_size, results_path=str(workdir / "results.jsonl"))
    (workdir / "config.json").write_text(json.dumps(config))
    before = box.stats()["requests"]
    start = time.perf_counter()
    proc = subprocess.run(
        [str(TARGET), "--config", str(workdir / "config.json")],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    summary = json.loads(proc.stdout.splitlines()[-1])["target_intacct_summary"]
    return {
        "records": summary["records"],
        "failed": summary["failed"],
        "requests": box.stats()["requests"] - before,
        "api_calls": summary["api_calls"],
        "wall_s": round(wall, 2),
        "records_per_s": round(summary["records"] / wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--baseline-records", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()
    box = start_sandbox(seed="demo", latency_ms=args.latency_ms)
    try:
        text = singer(mixed_records(args.records, "BX"))
        with tempfile.TemporaryDirectory() as tmp:
            batched = run(box, text, args.batch_size, Path(tmp))
        with tempfile.TemporaryDirectory() as tmp:
            rerun = run(box, text, args.batch_size, Path(tmp))
        peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with tempfile.TemporaryDirectory() as tmp:
            single = run(box, singer(mixed_records(args.baseline_records, "BS")), 1, Path(tmp))
    finally:
        box.stop()
    per_record_single = single["wall_s"] / single["records"]
    per_record_batched = batched["wall_s"] / batched["records"]
    print(
        json.dumps(
            {
                "benchmark": "target",
                "latency_ms": args.latency_ms,
                "batch_size": args.batch_size,
                "batched": batched,
                "requests_per_record": round(batched["requests"] / batched["records"], 4),
                "rerun_same_input": rerun,
                "requests_budget_records_over_50": batched["records"] / 50,
                "one_request_per_record_sample": single,
                "speedup_vs_one_request_per_record": round(
                    per_record_single / per_record_batched, 1
                ),
                "peak_rss_mb_target": round(peak_rss_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
