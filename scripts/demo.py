"""`make demo`: the main job against the embedded sandbox, from a fresh clone.

1. start the sandbox (demo seed) on a free loopback port;
2. `meltano run tap-intacct target-duckdb` (Intacct to the warehouse);
3. print rows in the warehouse next to records in the sandbox, per stream (must match);
4. `meltano run tap-singer-jsonl target-intacct` with the shipped unified sample;
5. print the target's outcome summary, then stop the sandbox.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from reconcile import (  # noqa: E402
    StreamReconciliation,
    catalog_keys,
    format_table,
    reconcile_all,
    reconcile_derived_streams,
    sandbox_attachments,
    sandbox_counts,
    sandbox_records,
)

VENV_BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "output" / "demo"
LISTENING = re.compile(r"listening on (http://[^\s/]+)/ia/xml/xmlgw\.phtml")
PLUGINS = ["tap-intacct", "tap-singer-jsonl", "target-duckdb", "target-intacct"]


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def meltano_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["INTACCT_SANDBOX_PORT"] = str(port)
    env["TARGET_DUCKDB_FILEPATH"] = str(OUT / "warehouse.duckdb")
    env["TARGET_INTACCT_RESULTS_PATH"] = str(OUT / "target-intacct-results.jsonl")
    env["MELTANO_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


def meltano(args: list[str], env: dict[str, str], log_name: str) -> None:
    """Run meltano, echoing its progress lines, keeping the full log in output/demo/."""
    log_path = OUT / f"{log_name}.log"
    started = time.monotonic()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(VENV_BIN / "meltano"), *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            if any(
                word in line
                for word in (
                    "Installing",
                    "Installed",
                    "records",
                    "ERROR",
                    "error",
                    "Block run completed",
                    "progress",
                )
            ):
                print("    " + line.rstrip()[:160], flush=True)
        code = proc.wait()
    print(f"    ({time.monotonic() - started:.1f}s, full log: {log_path.relative_to(ROOT)})")
    if code != 0:
        print(log_path.read_text()[-4000:])
        raise SystemExit(f"meltano {' '.join(args)} failed with exit code {code}")


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "python"),
            "-m",
            "intacct_sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(OUT / "sandbox.db"),
            "--seed",
            "demo",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=(OUT / "sandbox.log").open("w"),
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = LISTENING.search(line)
    if not match:
        proc.kill()
        raise SystemExit(f"sandbox did not start: {line!r}; see output/demo/sandbox.log")
    return proc, match.group(1)


def reconcile_warehouse(base_url: str) -> list[StreamReconciliation]:
    import duckdb

    con = duckdb.connect(str(OUT / "warehouse.duckdb"), read_only=True)
    try:
        records_of = lambda obj: sandbox_records(base_url, obj)  # noqa: E731
        query = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        objects = reconcile_all(
            sandbox_counts(base_url),
            records_of,
            catalog_keys(ROOT / ".meltano" / "run" / "tap-intacct" / "tap.properties.json"),
            query,
            "intacct",
        )
        derived = reconcile_derived_streams(
            records_of, sandbox_attachments(base_url), query, "intacct"
        )
        return objects + derived
    finally:
        con.close()


def summarise_results(path: Path) -> str:
    if not path.exists():
        return "(no results file)"
    outcomes: Counter[tuple[str, str]] = Counter()
    failures: list[dict[str, Any]] = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        outcomes[(row.get("stream", "?"), row.get("outcome", "?"))] += 1
        if row.get("outcome") == "failed":
            failures.append(row)
    streams = sorted({s for s, _ in outcomes})
    kinds = ["created", "updated", "unchanged", "failed"]
    lines = [f"{'stream':<18}" + "".join(f"{k:>11}" for k in kinds)]
    for s in streams:
        lines.append(f"{s:<18}" + "".join(f"{outcomes[(s, k)]:>11}" for k in kinds))
    for row in failures[:10]:
        detail = row.get("description2") or row.get("message", "")
        lines.append(
            f"  failed: {row.get('stream')} {row.get('record_id')}: "
            f"{row.get('errorno', '')} {detail}"
        )
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    step("starting the sandbox (demo company)")
    sandbox, base_url = start_sandbox()
    port = int(base_url.rsplit(":", 1)[1])
    print(f"    sandbox at {base_url}/ia/xml/xmlgw.phtml")
    env = meltano_env(port)
    try:
        step("installing the Meltano plugins (first run takes a minute)")
        meltano(["install", *PLUGINS], env, "meltano-install")
        step("meltano run tap-intacct target-duckdb")
        meltano(
            [
                "--environment",
                "dev",
                "run",
                "--state-id-suffix",
                f"demo-{int(time.time())}",
                "tap-intacct",
                "target-duckdb",
            ],
            env,
            "run-warehouse",
        )
        step("reconciling the warehouse with the sandbox")
        results = reconcile_warehouse(base_url)
        print(format_table(results))
        mismatched = [r.stream for r in results if not r.ok]
        step("meltano run tap-singer-jsonl target-intacct (samples/unified.singer)")
        meltano(
            [
                "--environment",
                "dev",
                "run",
                "--state-id-suffix",
                f"demo-unified-{int(time.time())}",
                "tap-singer-jsonl",
                "target-intacct",
            ],
            env,
            "run-unified",
        )
        print(summarise_results(OUT / "target-intacct-results.jsonl"))
    finally:
        step("stopping the sandbox")
        sandbox.terminate()
        sandbox.wait(timeout=30)
    print(f"\ndemo finished in {time.monotonic() - started:.0f}s")
    if mismatched:
        print(f"RECONCILIATION FAILED for: {', '.join(mismatched)}")
        return 1
    print(f"all {len(results)} streams reconcile: warehouse rows == sandbox records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
