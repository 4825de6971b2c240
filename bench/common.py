"""Shared plumbing for the bench scripts: seeded sandboxes, child processes, catalogs.

Resource figures come from `os.wait4` on the child itself (CPU seconds and peak RSS of
exactly that process), so the benchmark harness and the sandbox never count towards the
tap's or target's cost.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sandbox_process import Sandbox, start_sandbox  # noqa: E402

BIN = Path(sys.executable).parent
TAP = str(BIN / "tap-intacct")
TARGET = str(BIN / "target-intacct")
SEED_CACHE = Path(os.environ.get("INTACCT_BENCH_CACHE", tempfile.gettempdir())) / "intacct-bench"
# Rows of GLDETAIL per unit of --scale in the demo seed (seed.py: 400 batches x lines).
GLDETAIL_PER_SCALE = 5356


@dataclass
class ChildRun:
    """What one child process cost: wall, CPU (user+sys) and peak RSS."""

    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    stderr_tail: str
    # (bytes of output written, RSS MB) every 0.2 s when `progress_file` was given
    rss_samples: tuple[tuple[int, float], ...] = ()
    # CPU the sandbox spent serving this run, when the caller measured it
    sandbox_cpu_s: float = 0.0


def sandbox_version() -> str:
    """Digest of the sandbox's source: a cached seed is reused only by the same code."""
    import intacct_sandbox

    digest = hashlib.sha1(usedforsecurity=False)
    package = Path(intacct_sandbox.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def seeded_copy(scale: int, workdir: Path) -> Path:
    """A fresh copy of a demo database at `scale` (seeded once per sandbox version)."""
    SEED_CACHE.mkdir(parents=True, exist_ok=True)
    cached = SEED_CACHE / f"demo-scale-{scale}-{sandbox_version()}.db"
    if not cached.exists():
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        seed = [sys.executable, "-m", "intacct_sandbox", "seed", "--db", str(partial)]
        subprocess.run(
            [*seed, "--scale", str(scale)],
            check=True,
            capture_output=True,
        )
        partial.rename(cached)
    copy = workdir / cached.name
    shutil.copyfile(cached, copy)
    return copy


def sandbox_at(scale: int, workdir: Path, **options: Any) -> Sandbox:
    """A sandbox process serving a fresh copy of the seeded database."""
    return start_sandbox(db_path=seeded_copy(scale, workdir), **options)


def run_child(
    args: Sequence[str],
    *,
    stdin: IO[bytes] | None = None,
    stdout: IO[bytes] | int | None = subprocess.DEVNULL,
    env: dict[str, str] | None = None,
    progress_file: Path | None = None,
) -> ChildRun:
    """Run a process to completion and read its own resource usage.

    With `progress_file` (the file its stdout goes to), its RSS is also sampled against
    how much output it had written, to show whether memory grows with the stream.
    """
    samples: list[tuple[int, float]] = []
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(args),
            stdin=stdin,
            stdout=stdout,
            stderr=err,
            env={**os.environ, **(env or {})},
        )
        sampler = None
        if progress_file is not None:
            sampler = threading.Thread(
                target=_sample_rss, args=(proc.pid, progress_file, samples), daemon=True
            )
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        if sampler is not None:
            sampler.join(timeout=2)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-4000:].decode(errors="replace")
    return ChildRun(
        returncode=proc.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        stderr_tail=tail,
        rss_samples=tuple(samples),
    )


def _sample_rss(pid: int, progress_file: Path, samples: list[tuple[int, float]]) -> None:
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            text = status.read_text()
        except OSError:
            return
        rss_kb = next(
            (int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:")), 0
        )
        if not rss_kb:  # a zombie: the process has ended
            return
        try:
            written = progress_file.stat().st_size
        except OSError:
            written = 0
        samples.append((written, rss_kb / 1024))
        time.sleep(0.2)


def rss_by_progress(
    run: ChildRun, fractions: Sequence[float] = (0.25, 0.5, 0.75, 1.0)
) -> dict[str, float]:
    """Highest RSS (MB) seen up to each fraction of the final output: flat when memory is
    bounded by pages in flight, rising when it grows with the stream."""
    if not run.rss_samples:
        return {}
    total = max(written for written, _ in run.rss_samples) or 1
    out: dict[str, float] = {}
    for fraction in fractions:
        seen = [rss for written, rss in run.rss_samples if written <= fraction * total]
        if seen:
            out[f"{int(fraction * 100)}%"] = round(max(seen), 1)
    return out


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a live process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def write_json(path: Path, payload: Any) -> Path:
    path.write_text(json.dumps(payload, default=str))
    return path


def tap_config(box: Sandbox, **overrides: Any) -> dict[str, Any]:
    """Tap settings for a benchmark: the sandbox, 2000-row pages, 2 requests in flight."""
    return box.config(**{"page_size": 2000, "max_concurrent_requests": 2, **overrides})


def discover_catalog(config: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """`tap-intacct --discover` with the given settings (run before timing)."""
    path = write_json(workdir / "discover-config.json", config)
    out = subprocess.run(
        [TAP, "--config", str(path), "--discover"], capture_output=True, check=True
    )
    return json.loads(out.stdout)


def select_streams(catalog: dict[str, Any], streams: Sequence[str]) -> dict[str, Any]:
    """The catalog with exactly `streams` selected (all their fields)."""
    chosen = {name.lower() for name in streams}
    out = json.loads(json.dumps(catalog))
    out["streams"] = [e for e in out["streams"] if e["tap_stream_id"] in chosen]
    missing = chosen - {e["tap_stream_id"] for e in out["streams"]}
    if missing:
        raise SystemExit(f"streams not in the catalog: {sorted(missing)}")
    for entry in out["streams"]:
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = True
    return out


def count_messages(path: Path) -> dict[str, int]:
    """RECORD and STATE lines of a Singer output file (streamed, constant memory)."""
    counts = {"RECORD": 0, "STATE": 0, "SCHEMA": 0}
    with path.open("rb") as handle:
        for line in handle:
            head = line[:40]
            for kind in counts:
                if b'"' + kind.encode() + b'"' in head:
                    counts[kind] += 1
                    break
    return counts


def query_calls(stats: dict[str, Any]) -> int:
    """`query` function calls in a sandbox stats snapshot."""
    return int(stats.get("functions", {}).get("query", 0))


def total_calls(stats: dict[str, Any]) -> int:
    """Every function call (what Intacct meters) in a sandbox stats snapshot."""
    return int(sum(stats.get("functions", {}).values()))


def emit(result: dict[str, Any]) -> None:
    """The one JSON object a bench script prints."""
    print(json.dumps(result, default=str))
