"""Benchmark: API calls per run of the non-object streams (balances, attachments, a named
query), first run and a second run from the first run's state.

Starts a demo sandbox at `--scale`, runs `tap-intacct` with `objects` =
gl_account_balances, attachments and open_bills (a `query_streams` entry: posted APBILLs
with something due), and prints one JSON object: per run, wall seconds, records per
stream and API calls per function (the tap's own run-summary line, which counts every
function sent, getAPISession included). Asserts nothing.

Usage: .venv/bin/python bench/ledger_calls.py [--scale 1] [--reread 3]
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import TAP, sandbox_at, tap_config, write_json

OPEN_BILLS = {
    "name": "open_bills",
    "object": "APBILL",
    "filter": "STATE = 'Posted' AND TOTALDUE > 0",
    "fields": ["RECORDID", "VENDORID", "TOTALDUE"],
}
STREAMS = ["gl_account_balances", "attachments", "open_bills"]


def summary(stderr: str) -> dict[str, Any]:
    """API calls and records from the tap's 'Run summary' line."""
    line = next(line for line in stderr.splitlines() if "Run summary" in line)
    calls = re.search(r"API calls (\{[^}]*\})", line)
    records = re.search(r"records (\{[^}]*\})", line)
    return {
        "calls": ast.literal_eval(calls.group(1)) if calls else {},
        "records": ast.literal_eval(records.group(1)) if records else {},
    }


def run_once(config: dict[str, Any], state: dict[str, Any] | None, workdir: Path) -> dict[str, Any]:
    args = [TAP, "--config", str(write_json(workdir / "config.json", config))]
    if state is not None:
        args += ["--state", str(write_json(workdir / "state.json", state))]
    started = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    states = [
        json.loads(line)["value"]
        for line in out.stdout.splitlines()
        if line.startswith('{"type":"STATE"') or line.startswith('{"type": "STATE"')
    ]
    return {
        "wall_s": round(wall, 3),
        **summary(out.stderr),
        "state": states[-1] if states else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--reread", type=int, default=3, help="balance_reread_periods")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        workdir = Path(tmp)
        box = sandbox_at(options.scale, workdir)
        try:
            config = tap_config(
                box,
                objects=STREAMS,
                query_streams=[OPEN_BILLS],
                balance_reread_periods=options.reread,
            )
            first = run_once(config, None, workdir)
            second = run_once(config, first["state"], workdir)
        finally:
            box.stop()
    result = {
        "scale": options.scale,
        "balance_reread_periods": options.reread,
        "first_run": {k: v for k, v in first.items() if k != "state"},
        "second_run": {k: v for k, v in second.items() if k != "state"},
    }
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
