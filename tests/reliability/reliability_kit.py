"""Shared tools of the reliability suite: capturing runs, comparing with the sandbox, and
scanning everything captured for secrets.

Every tap/target/sandbox output a reliability test produces goes through `CAPTURE`, and
the autouse fixture in conftest.py scans it after each test: the sender password, the
user passwords and every session id the sandboxes ever handed out must appear nowhere.
Session ids are recognised two ways: ids a test obtained itself (`CAPTURE.session_ids`),
and any token shaped like a sandbox session id whose SHA-256 is one of the digests a
sandbox stored in its `gateway_sessions` table (the sandbox never stores the id itself).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
for folder in (TESTS, TESTS / "tap", TESTS / "target"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from sandbox_process import SECRETS, Sandbox  # noqa: E402
from tap_helpers import (  # noqa: E402
    TapRun,
    comparable,
    entry,
    parse_messages,
    tap_args,
)
from target_helpers import TargetRun, run_target  # noqa: E402

# A sandbox session id: token_urlsafe(24) (32 characters, "-" replaced) then "..";
# the lookahead finds overlapping candidates, so one glued to other text is found too.
SESSION_TOKEN = re.compile(r"(?=([A-Za-z0-9_]{32}\.\.))")
RETRY_LINE = re.compile(r"Intacct request \([^)]*\) failed on attempt \d+ of \d+, retrying")
GIVEUP_LINE = re.compile(r"Intacct request \([^)]*\) failed after \d+ attempts, giving up")
RELOGIN_LINE = "API session invalid or expired; logging in again"
SESSION_LINE = "obtained an API session"


# ----------------------------------------------------------------------------- capture
@dataclass
class Capture:
    """Texts produced during one test, the sandboxes used, and session ids seen."""

    texts: list[tuple[str, str]] = field(default_factory=list)
    sandboxes: list[Sandbox] = field(default_factory=list)
    session_ids: set[str] = field(default_factory=set)

    def clear(self) -> None:
        self.texts.clear()
        self.sandboxes.clear()
        self.session_ids.clear()

    def add(self, label: str, text: str | bytes | None) -> None:
        if text is None:
            return
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        self.texts.append((label, text))

    def add_file(self, label: str, path: Path) -> None:
        if path.exists():
            self.add(label, path.read_bytes())

    def track(self, box: Sandbox) -> Sandbox:
        if all(box is not known for known in self.sandboxes):
            self.sandboxes.append(box)
        return box

    def stored_session_digests(self) -> set[str]:
        digests: set[str] = set()
        for box in self.sandboxes:
            try:
                conn = sqlite3.connect(f"file:{box.db_path}?mode=ro", uri=True, timeout=5)
                try:
                    rows = conn.execute("SELECT id_hash FROM gateway_sessions").fetchall()
                finally:
                    conn.close()
            except sqlite3.Error:
                continue
            digests.update(str(row[0]) for row in rows)
        return digests

    def findings(self) -> list[str]:
        """Every place a secret or a live session id appears, as readable lines."""
        texts = list(self.texts)
        for box in self.sandboxes:
            if box.log_path.exists():
                log_text = box.log_path.read_text("utf-8", "replace")
                texts.append((f"sandbox log {box.log_path}", log_text))
        digests = self.stored_session_digests()
        needles = [(secret, "a password") for secret in SECRETS]
        needles += [(sid, "a session id") for sid in self.session_ids if sid]
        found: list[str] = []
        for label, text in texts:
            for needle, what in needles:
                if needle in text:
                    found.append(f"{what} appears in {label}")
            for token in set(SESSION_TOKEN.findall(text)):
                if hashlib.sha256(token.encode()).hexdigest() in digests:
                    found.append(f"a live sandbox session id appears in {label}")
        return sorted(set(found))


CAPTURE = Capture()


# ----------------------------------------------------------------------------- tap runs
def fast_tap_config(box: Sandbox, **overrides: Any) -> dict[str, Any]:
    """Tap config with short timeouts and backoff (the suite must stay fast)."""
    CAPTURE.track(box)
    settings: dict[str, Any] = {
        "backoff_base": 0.02,
        "backoff_max": 0.1,
        "max_retries": 3,
        "request_timeout": 10,
        "lookback_minutes": 0,
    }
    settings.update(overrides)
    return box.config(**settings)


def _capture_tap_files(args: list[str], label: str) -> None:
    for flag in ("--catalog", "--state"):
        if flag in args:
            CAPTURE.add_file(f"{label} {flag} file", Path(args[args.index(flag) + 1]))


def run_tap_captured(
    config: dict[str, Any],
    catalog: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
    *,
    extra: list[str] | None = None,
    label: str = "tap",
    timeout: float = 180,
) -> TapRun:
    """Run the tap to its end (any exit code); stdout and stderr go to the capture."""
    args = tap_args(config, catalog, state, extra)
    proc = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        check=False,
    )
    CAPTURE.add(f"{label} stdout", proc.stdout)
    CAPTURE.add(f"{label} stderr", proc.stderr)
    _capture_tap_files(args, label)
    return parse_messages(proc.stdout, TapRun(proc.returncode, proc.stdout, proc.stderr))


def run_tap_killed_after(
    config: dict[str, Any],
    catalog: dict[str, Any],
    state: dict[str, Any] | None,
    *,
    kill_after_lines: int,
    label: str = "tap",
    timeout: float = 120,
) -> tuple[TapRun, bool]:
    """Run the tap and SIGKILL it once `kill_after_lines` stdout lines were read.

    Only the lines read before the kill count as emitted (what a downstream loader
    received). Returns the run and whether it was killed (False: it finished first)."""
    args = tap_args(config, catalog, state)
    err_path = Path(args[args.index("--config") + 1]).with_name("stderr.txt")
    with err_path.open("w") as err:
        proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert proc.stdout is not None
        lines: list[str] = []
        killed = False
        deadline = time.monotonic() + timeout
        try:
            for line in proc.stdout:
                lines.append(line)
                if len(lines) >= kill_after_lines:
                    os.kill(proc.pid, signal.SIGKILL)
                    killed = True
                    break
                if time.monotonic() > deadline:
                    raise AssertionError(f"tap still running after {timeout}s")
        finally:
            if proc.poll() is None and not killed:
                proc.kill()
            proc.stdout.close()
            proc.wait(timeout=30)
    stdout = "".join(lines)
    stderr = err_path.read_text("utf-8", "replace")
    CAPTURE.add(f"{label} stdout", stdout)
    CAPTURE.add(f"{label} stderr", stderr)
    _capture_tap_files(args, label)
    run = parse_messages(stdout, TapRun(proc.returncode, stdout, stderr))
    return run, killed


def retry_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if RETRY_LINE.search(line)]


def giveup_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if GIVEUP_LINE.search(line)]


def count_lines(text: str, needle: str) -> int:
    return sum(1 for line in text.splitlines() if needle in line)


# ----------------------------------------------------------------------------- comparing
def truth(
    box: Sandbox, catalog: dict[str, Any], stream: str, schema: dict[str, Any] | None = None
) -> dict[int, dict[str, Any]]:
    """The sandbox's records of a stream, normalised over the stream's schema."""
    e = entry(catalog, stream)
    return comparable(box.records(e["table_name"]), schema or e["schema"])


def emitted_rows(runs: list[TapRun], stream: str) -> list[dict[str, Any]]:
    return [row for run in runs for row in run.rows(stream)]


def assert_union_equals_sandbox(
    box: Sandbox, catalog: dict[str, Any], runs: list[TapRun], streams: list[str]
) -> dict[str, int]:
    """Every key of the sandbox emitted at least once, nothing else, every copy equal to
    the sandbox's values. Returns the number of distinct keys per stream."""
    sizes: dict[str, int] = {}
    for stream in streams:
        schema = next(
            (run.schemas[stream] for run in reversed(runs) if stream in run.schemas),
            entry(catalog, stream)["schema"],
        )
        expected = truth(box, catalog, stream, schema)
        rows = emitted_rows(runs, stream)
        got_keys = {int(row["RECORDNO"]) for row in rows}
        missing = set(expected) - got_keys
        extra = got_keys - set(expected)
        assert not missing, f"{stream}: {len(missing)} never emitted: {sorted(missing)[:10]}"
        assert not extra, f"{stream}: emitted, not in the sandbox: {sorted(extra)[:10]}"
        for key, values in comparable(rows, schema).items():
            assert values == expected[key], (stream, key)
        # comparable() keeps the last copy per key; check every copy too.
        for row in rows:
            single = comparable([row], schema)
            key = int(row["RECORDNO"])
            assert single[key] == expected[key], (stream, key, "an emitted copy differs")
        sizes[stream] = len(expected)
    return sizes


def duplicates_in_run(run: TapRun, stream: str) -> list[int]:
    keys = Counter(int(row["RECORDNO"]) for row in run.rows(stream))
    return sorted(key for key, n in keys.items() if n > 1)


def write_json(path: Path, payload: Any) -> Path:
    path.write_text(json.dumps(payload, default=str))
    return path


# ----------------------------------------------------------------------------- target runs
def fast_target_config(box: Sandbox, **overrides: Any) -> dict[str, Any]:
    """Target config with short backoff; the natural-key checks read the sandbox."""
    CAPTURE.track(box)
    settings: dict[str, Any] = {
        "backoff_base": 0.02,
        "backoff_max": 0.1,
        "max_retries": 4,
        "request_timeout": 10,
        "default_journal": "GJ",
    }
    settings.update(overrides)
    return box.config(**settings)


def run_target_captured(
    config: dict[str, Any], input_text: str, workdir: Path, *, label: str = "target"
) -> TargetRun:
    """The real target CLI (target_helpers.run_target); outputs go to the capture."""
    run = run_target(config, input_text, workdir)
    CAPTURE.add(f"{label} stdout (STATE)", run.stdout)
    CAPTURE.add(f"{label} stderr", run.stderr)
    CAPTURE.add(f"{label} results file", json.dumps(run.results))
    return run


def natural_keys(box: Sandbox, obj: str, field_name: str, prefix: str) -> Counter[str]:
    """How many sandbox records of `obj` carry each natural key starting with `prefix`."""
    return Counter(
        str(row[field_name])
        for row in box.records(obj)
        if str(row.get(field_name) or "").startswith(prefix)
    )


def variant_cases() -> list[Any]:
    """pytest params for a variant matrix: the defaults; every registered variant's every
    other value, one at a time (taken from the registry, so variants added later are
    covered without editing a test); and one case with every variant at its first
    non-default value."""
    import pytest
    from intacct_sandbox.variants import VARIANTS

    cases = [pytest.param({}, id="defaults")]
    for variant in VARIANTS:
        for value in variant.choices:
            if value != variant.default:
                cases.append(pytest.param({variant.name: value}, id=f"{variant.name}={value}"))
    every = {
        variant.name: next(v for v in variant.choices if v != variant.default)
        for variant in VARIANTS
        if len(variant.choices) > 1
    }
    cases.append(pytest.param(every, id="every-non-default"))
    return cases
