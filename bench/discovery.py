"""Benchmark: the tap's discovery against the sandbox's full catalog .

Starts a demo sandbox, runs `.venv/bin/tap-intacct --config cfg --discover` once without
the permission probe (`check_permissions: false`, the budget of the tap issue: one
`inspect` plus one `lookup` per object) and once with the default probe (one more
one-row `query` per object), and prints one JSON object: wall time, API calls per
function (the sandbox's /_sandbox/stats counts, after minus before), objects listed by
`inspect *`, streams in the catalog, warnings, and the tap's peak RSS (os.wait4 rusage of
that child; `children_peak_rss_kb` is resource.getrusage(RUSAGE_CHILDREN) over both tap
runs, taken while the sandbox still runs). getAPISession is not counted against the budget.
Asserts nothing.

Usage: .venv/bin/python bench/discovery.py [--scale 1] [--max-concurrent-requests 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from defusedxml import ElementTree as SafeET

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sandbox_process import DEFAULT_CREDENTIALS, Sandbox, running_sandbox  # noqa: E402

TAP = ROOT / ".venv" / "bin" / "tap-intacct"


def count_objects(box: Sandbox) -> int:
    """Objects `inspect *` lists (one extra call, made outside the measured windows)."""
    c = DEFAULT_CREDENTIALS
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><request><control>'
        f"<senderid>{c['sender_id']}</senderid><password>{c['sender_password']}</password>"
        "<controlid>bench</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
        "</control><operation><authentication>"
        f"<login><userid>{c['user_id']}</userid><companyid>{c['company_id']}</companyid>"
        f"<password>{c['user_password']}</password></login></authentication><content>"
        '<function controlid="f1"><inspect><object>*</object></inspect></function>'
        "</content></operation></request>"
    )
    reply = requests.post(
        box.api_url, data=body.encode(), headers={"Content-Type": "application/xml"}, timeout=60
    )
    root = SafeET.fromstring(reply.content)
    return len(root.findall("operation/result/data/type"))


def run_discovery(box: Sandbox, workdir: Path, **settings: Any) -> dict[str, Any]:
    config = workdir / "config.json"
    config.write_text(json.dumps(box.config(**settings)))
    catalog_path, log_path = workdir / "catalog.json", workdir / "tap.log"
    before = box.stats()["functions"]
    started = time.perf_counter()
    with catalog_path.open("w") as out, log_path.open("w") as err:
        proc = subprocess.Popen(
            [str(TAP), "--config", str(config), "--discover"], stdout=out, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    after = box.stats()["functions"]
    calls = {k: after.get(k, 0) - before.get(k, 0) for k in sorted(after)}
    streams = None
    if proc.returncode == 0:
        streams = len(json.loads(catalog_path.read_text())["streams"])
    warnings = [line for line in log_path.read_text().splitlines() if "WARNING" in line]
    return {
        "settings": settings,
        "exit_code": proc.returncode,
        "wall_s": round(wall, 3),
        "api_calls": {k: v for k, v in calls.items() if v},
        "streams": streams,
        "warnings": len(warnings),
        "warning_lines": [w.split("|")[-1].strip()[:160] for w in warnings[:5]],
        "tap_peak_rss_kb": usage.ru_maxrss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--max-concurrent-requests", type=int, default=2)
    args = parser.parse_args()
    with running_sandbox(seed="demo", scale=args.scale) as box:
        objects = count_objects(box)
        with tempfile.TemporaryDirectory(prefix="bench-discovery-") as tmp:
            workdir = Path(tmp)
            runs = [
                run_discovery(
                    box,
                    workdir,
                    check_permissions=False,
                    max_concurrent_requests=args.max_concurrent_requests,
                ),
                run_discovery(
                    box,
                    workdir,
                    check_permissions=True,
                    max_concurrent_requests=args.max_concurrent_requests,
                ),
            ]
        # taps only: the sandbox is still running, so it is not among the reaped children
        children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    budget = {"inspect": 1, "lookup": objects}
    for run in runs:
        calls = run["api_calls"]
        run["within_budget"] = all(calls.get(k, 0) <= v for k, v in budget.items()) and not (
            set(calls) - {"getAPISession", "inspect", "lookup"}
        )
    print(
        json.dumps(
            {
                "benchmark": "tap discovery against the full sandbox catalog",
                "scale": args.scale,
                "objects": objects,
                "budget": budget,
                "runs": runs,
                "children_peak_rss_kb": children_rss,
            }
        )
    )


if __name__ == "__main__":
    main()
