"""Run the real `tap-intacct` executable against a sandbox and read what it emits.

Also: normalisation of sandbox ground truth (stored forms) and emitted records (Singer
JSON) to comparable Python values, so tests can assert set equality per stream.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TAP = str(Path(sys.executable).with_name("tap-intacct"))


@dataclass
class TapRun:
    """Messages of one tap run."""

    returncode: int
    stdout: str
    stderr: str
    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    states: list[dict[str, Any]] = field(default_factory=list)

    @property
    def last_state(self) -> dict[str, Any] | None:
        return self.states[-1] if self.states else None

    def rows(self, stream: str) -> list[dict[str, Any]]:
        """Records that are not soft deletes."""
        return [r for r in self.records.get(stream, []) if not r.get("_sdc_deleted_at")]

    def deletes(self, stream: str) -> list[dict[str, Any]]:
        return [r for r in self.records.get(stream, []) if r.get("_sdc_deleted_at")]


def parse_messages(stdout: str, run: TapRun) -> TapRun:
    for raw in stdout.splitlines():
        line = raw.strip()
        if not line.startswith("{"):
            continue
        try:
            message = json.loads(line, parse_float=Decimal)
        except ValueError:
            continue  # a line cut by SIGKILL
        kind = message.get("type")
        if kind == "RECORD":
            run.records[message["stream"]].append(message["record"])
        elif kind == "SCHEMA":
            run.schemas[message["stream"]] = message["schema"]
        elif kind == "STATE":
            run.states.append(message["value"])
    return run


def write_json(directory: Path, name: str, payload: Any) -> Path:
    path = directory / name
    path.write_text(json.dumps(payload, default=str))
    return path


def tap_args(
    config: dict[str, Any],
    catalog: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
    extra: list[str] | None = None,
) -> list[str]:
    workdir = Path(tempfile.mkdtemp(prefix="tap-intacct-test-"))
    args = [TAP, "--config", str(write_json(workdir, "config.json", config))]
    if catalog is not None:
        args += ["--catalog", str(write_json(workdir, "catalog.json", catalog))]
    if state is not None:
        args += ["--state", str(write_json(workdir, "state.json", state))]
    return args + (extra or [])


def run_tap(
    config: dict[str, Any],
    catalog: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
    *,
    extra: list[str] | None = None,
    timeout: float = 300,
    check: bool = True,
) -> TapRun:
    """Run the tap to completion and parse its stdout."""
    proc = subprocess.run(
        tap_args(config, catalog, state, extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        check=False,
    )
    run = parse_messages(proc.stdout, TapRun(proc.returncode, proc.stdout, proc.stderr))
    if check and proc.returncode != 0:
        raise AssertionError(f"tap failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return run


def run_tap_interactive(
    config: dict[str, Any],
    catalog: dict[str, Any],
    state: dict[str, Any] | None,
    *,
    on_state: Callable[[int, TapRun], str | None],
    timeout: float = 300,
) -> TapRun:
    """Run the tap, calling `on_state(n, messages so far)` after each STATE line.

    When the callback returns "kill" the tap is SIGKILLed right there (no clean-up, no
    final STATE), as a crashed machine would stop it."""
    proc = subprocess.Popen(
        tap_args(config, catalog, state),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    run = TapRun(0, "", "")
    lines: list[str] = []
    seen = 0
    try:
        for line in proc.stdout:
            lines.append(line)
            parse_messages(line, run)
            if '"type":"STATE"' in line.replace(" ", ""):
                seen += 1
                if on_state(seen, run) == "kill":
                    os.kill(proc.pid, signal.SIGKILL)
                    break
    finally:
        if proc.poll() is None:
            proc.stdout.close()
        proc.wait(timeout=timeout)
    run.returncode = proc.returncode
    run.stdout = "".join(lines)
    return run


def discover(config: dict[str, Any]) -> dict[str, Any]:
    """The catalog `tap-intacct --discover` prints."""
    run = run_tap(config, extra=["--discover"])
    return json.loads(run.stdout)


def select(catalog: dict[str, Any], streams: list[str]) -> dict[str, Any]:
    """A copy of the catalog with only `streams` selected (all their fields)."""
    chosen = {name.lower() for name in streams}
    out = json.loads(json.dumps(catalog))
    for entry in out["streams"]:
        on = entry["tap_stream_id"] in chosen
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = on
    return out


def entry(catalog: dict[str, Any], stream: str) -> dict[str, Any]:
    return next(e for e in catalog["streams"] if e["tap_stream_id"] == stream)


# --- value normalisation ------------------------------------------------------------------


def _instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


WIRE_ZONE = "America/Los_Angeles"


def normalise(value: Any, prop: dict[str, Any]) -> Any:
    """Comparable form of a value of a schema property (ground truth or emitted).

    Timestamps compare as wall-clock times in the company zone (the sandbox default):
    that is all the wire carries, and inside a DST fall-back hour the two instants with
    one wall-clock time cannot be told apart by any client. Outside that hour, equal
    wall-clock times mean equal instants, so a tap that mislabels zones still fails."""
    if value is None or value == "":
        return None
    types = prop.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "integer" in types:
        return int(Decimal(str(value)))
    if "number" in types:
        return Decimal(str(value)).normalize()
    if "boolean" in types:
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("true", "t", "1", "yes")
    if prop.get("format") == "date-time":
        return _instant(str(value)).astimezone(ZoneInfo(WIRE_ZONE)).replace(tzinfo=None)
    if prop.get("format") == "date":
        return str(value)[:10]
    return str(value)


def comparable(
    rows: list[dict[str, Any]], schema: dict[str, Any], key: str = "RECORDNO"
) -> dict[Any, dict[str, Any]]:
    """{key: {field: normalised value}} over the schema's Intacct fields."""
    props = {
        name: prop for name, prop in schema["properties"].items() if not name.startswith("_sdc_")
    }
    out: dict[Any, dict[str, Any]] = {}
    for row in rows:
        out[int(row[key])] = {name: normalise(row.get(name), prop) for name, prop in props.items()}
    return out
