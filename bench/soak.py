"""Soak: a big sync through the sandbox with ~1% of gateway requests faulted, reconciled.

The tap syncs the demo seed at `--scale` (100: about 1M records, GLDETAIL mostly) while a
side thread keeps the sandbox's fault queue primed: a no-op `slow` fault (delay 0) that
absorbs a geometric number of requests (mean 1/rate - 1), then one real fault of a
random kind, so about `--fault-rate` of all gateway requests fail. If the tap stops (a
fault outlived its retry budget), it is restarted from its last STATE, as a scheduler
would. At the end the emitted keys of every stream are compared with the sandbox's
database (count and key set), and one JSON object is printed.

    .venv/bin/python bench/soak.py [--scale 100] [--fault-rate 0.01] [--seed 1]

Not part of the test suite (minutes of CPU at scale 100).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    TAP,
    discover_catalog,
    emit,
    sandbox_at,
    select_streams,
    tap_config,
    write_json,
)

STREAMS = [
    "GLDETAIL",
    "GLENTRY",
    "GLBATCH",
    "APBILL",
    "APBILLITEM",
    "ARINVOICE",
    "ARINVOICEITEM",
    "APPYMT",
    "APPYMTDETAIL",
    "ARPYMT",
    "ARPYMTDETAIL",
    "AUDITHISTORY",
    "VENDOR",
    "CUSTOMER",
]
FAULT_KINDS = [
    "http_429",
    "http_500",
    "http_502",
    "http_503",
    "http_524",
    "html_error_page",
    "malformed_xml",
    "slow",
    "drop_connection",
    "session_expired",
    "concurrency_limit",
]
RECORD_LINE = re.compile(rb'"type":\s*"RECORD",\s*"stream":\s*"([^"]+)"')
RECORDNO = re.compile(rb'"RECORDNO":\s*"?(\d+)')
DELETED = re.compile(rb'"_sdc_deleted_at":\s*"')
RETRY = re.compile(r"failed on attempt \d+ of \d+, retrying")
GIVEUP = re.compile(r"failed after \d+ attempts, giving up")
RELOGIN = "API session invalid or expired; logging in again"


class FaultInjector(threading.Thread):
    """Keeps one (placeholder, fault) pair queued at a time until stopped."""

    def __init__(self, box: Any, rate: float, seed: int, slow_delay_s: float) -> None:
        super().__init__(daemon=True)
        self.box = box
        self.rate = rate
        self.rng = random.Random(seed)
        self.slow_delay_s = slow_delay_s
        self.injected: Counter[str] = Counter()
        self.stop_event = threading.Event()

    def _gap(self) -> int:
        """Clean requests before the next fault: geometric with success probability rate."""
        gap = 0
        while self.rng.random() >= self.rate:
            gap += 1
        return gap

    def run(self) -> None:
        while not self.stop_event.is_set():
            if not self.box.control("GET", "faults"):
                gap = self._gap()
                if gap:
                    self.box.fault("slow", count=gap, delay_s=0)
                kind = self.rng.choice(FAULT_KINDS)
                delay = self.slow_delay_s if kind == "slow" else 0
                self.box.fault(kind, count=1, delay_s=delay)
                self.injected[kind] += 1
            self.stop_event.wait(0.05)

    def stop(self) -> int:
        """Stop injecting; clear the queue; return how many real faults never fired."""
        self.stop_event.set()
        self.join(timeout=10)
        pending = self.box.control("GET", "faults")
        unfired = sum(1 for fault in pending if fault["kind"] != "slow" or fault["delay_s"])
        self.box.control("DELETE", "faults")
        return unfired


def run_tap_once(
    args: list[str],
    keys: dict[str, set[int]],
    copies: Counter[str],
    deletes: Counter[str],
    err_path: Path,
) -> tuple[int, dict[str, Any] | None]:
    """One tap run; records' keys go into `keys`; returns (exit code, last STATE)."""
    last_state: dict[str, Any] | None = None
    with err_path.open("ab") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None
        for line in proc.stdout:
            match = RECORD_LINE.search(line, 0, 80)
            if match:
                stream = match.group(1).decode()
                if DELETED.search(line):
                    deletes[stream] += 1
                    continue
                key = RECORDNO.search(line)
                if key:
                    keys[stream].add(int(key.group(1)))
                    copies[stream] += 1
            elif b'"STATE"' in line[:30]:
                last_state = json.loads(line)["value"]
        code = proc.wait()
    return code, last_state


def sandbox_keys(db_path: Path, table: str, key_field: str) -> set[int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        quoted = '"' + table.replace('"', '""') + '"'
        field = '"' + key_field.replace('"', '""') + '"'
        return {int(row[0]) for row in conn.execute(f"SELECT {field} FROM {quoted}")}
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--fault-rate", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--request-timeout", type=float, default=10.0)
    parser.add_argument("--max-restarts", type=int, default=10)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="intacct-soak-"))
    seeding_started = time.perf_counter()
    box = sandbox_at(options.scale, workdir)
    seeding_s = time.perf_counter() - seeding_started
    try:
        config = tap_config(
            box,
            objects=STREAMS,
            request_timeout=options.request_timeout,
            max_retries=5,
            backoff_base=0.2,
            backoff_max=5.0,
            lookback_minutes=0,
        )
        catalog = select_streams(discover_catalog(config, workdir), [s.lower() for s in STREAMS])
        config_path = write_json(workdir / "config.json", config)
        catalog_path = write_json(workdir / "catalog.json", catalog)
        box.control("POST", "reset", {})  # stats and faults start from zero
        injector = FaultInjector(
            box, options.fault_rate, options.seed, slow_delay_s=options.request_timeout + 2
        )
        keys: dict[str, set[int]] = defaultdict(set)
        copies: Counter[str] = Counter()
        deletes: Counter[str] = Counter()
        err_path = workdir / "tap-stderr.log"
        state: dict[str, Any] | None = None
        restarts = 0
        started = time.perf_counter()
        injector.start()
        while True:
            args = [TAP, "--config", str(config_path), "--catalog", str(catalog_path)]
            if state is not None:
                args += ["--state", str(write_json(workdir / "state.json", state))]
            code, last = run_tap_once(args, keys, copies, deletes, err_path)
            state = last or state
            if code == 0 or restarts >= options.max_restarts:
                break
            restarts += 1
        wall = time.perf_counter() - started
        unfired = injector.stop()
        stats = box.control("GET", "stats")
        log = err_path.read_text(errors="replace")
        mismatches: dict[str, dict[str, int]] = {}
        expected_total = 0
        for entry in catalog["streams"]:
            stream = entry["tap_stream_id"]
            key_field = (entry.get("key_properties") or ["RECORDNO"])[0]
            expected = sandbox_keys(box.db_path, entry["table_name"], key_field)
            expected_total += len(expected)
            got = keys.get(stream, set())
            missing, extra = len(expected - got), len(got - expected)
            if missing or extra:
                mismatches[stream] = {"missing": missing, "extra": extra}
        records = sum(len(v) for v in keys.values())
        injected = sum(injector.injected.values())
        emit(
            {
                "benchmark": "soak",
                "scale": options.scale,
                "fault_rate": options.fault_rate,
                "seed": options.seed,
                "ok": code == 0 and not mismatches,
                "exit_code": code,
                "records": records,
                "records_expected": expected_total,
                "records_per_stream": {s: len(k) for s, k in sorted(keys.items())},
                "records_emitted_including_repeats": sum(copies.values()),
                "deletes_emitted": sum(deletes.values()),
                "mismatches": mismatches,
                "gateway_requests": stats.get("requests"),
                "api_calls": stats.get("functions"),
                "faults_injected": injected - unfired,
                "faults_by_kind": dict(sorted(injector.injected.items())),
                "observed_fault_rate": round(
                    (injected - unfired) / max(1, int(stats.get("requests") or 1)), 4
                ),
                "retries": len(RETRY.findall(log)),
                "gave_up": len(GIVEUP.findall(log)),
                "relogins": log.count(RELOGIN),
                "restarts_from_state": restarts,
                "wall_time_s": round(wall, 1),
                "records_per_s": round(records / wall, 1) if wall else None,
                "seeding_and_start_s": round(seeding_s, 1),
            }
        )
    finally:
        box.stop()


if __name__ == "__main__":
    main()
