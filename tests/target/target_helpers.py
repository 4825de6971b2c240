"""Small builders shared by the target tests (records, stand-in reference listings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import simplejson
from intacct_client import FieldDefinition, IntacctError, ObjectDefinition
from target_intacct.records import InputRecord


def item(stream: str, data: dict[str, Any], position: int = 1) -> InputRecord:
    ident = data.get("id")
    return InputRecord(
        stream=stream, position=position, data=data, record_id=str(ident) if ident else None
    )


def journal_entry(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "JE-1",
        "journal": "GJ",
        "transactionDate": "2024-03-31",
        "description": "Accrual",
        "lines": [
            {"accountNumber": "6000", "amount": Decimal("100.10"), "postingType": "debit"},
            {"accountNumber": "2000", "amount": Decimal("100.10"), "postingType": "credit"},
        ],
    }
    entry.update(overrides)
    return entry


def bill(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "billNumber": "B-1",
        "vendorId": "V100",
        "issueDate": "2024-02-01",
        "dueDate": "2024-03-01",
        "lineItems": [{"accountNumber": "6000", "amount": Decimal("250.00")}],
    }
    data.update(overrides)
    return data


@dataclass
class Page:
    records: list[dict[str, Any]]
    num_remaining: int = 0
    total_count: int = 0
    offset: int = 0
    count: int = 0


class ListingClient:
    """Answers `query` from fixed rows per object, and `lookup` from fixed field names
    (objects without them answer as an object Intacct cannot describe)."""

    def __init__(
        self,
        rows: dict[str, list[dict[str, Any]]],
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        self.rows = rows
        self.fields = fields or {}
        self.calls: list[str] = []

    def query(self, object_name: str, fields: Any, **kwargs: Any) -> Page:
        self.calls.append(object_name)
        return Page(records=[dict(row) for row in self.rows.get(object_name, [])])

    def lookup(self, object_name: str) -> ObjectDefinition:
        self.calls.append(f"lookup {object_name}")
        if object_name not in self.fields:
            raise IntacctError(f"no definition of {object_name} in this stand-in")
        return ObjectDefinition(
            name=object_name,
            fields=tuple(
                FieldDefinition(
                    id=name,
                    label=name,
                    description="",
                    datatype="TEXT",
                    required=False,
                    readonly=False,
                    is_custom=False,
                )
                for name in self.fields[object_name]
            ),
        )


# ---------------------------------------------------------------- running the real CLI
TARGET_EXE = Path(sys.executable).parent / "target-intacct"
TAP_EXE = Path(sys.executable).parent / "tap-intacct"


def tap_records(config: dict[str, Any], workdir: Path) -> dict[str, list[dict[str, Any]]]:
    """Run the real tap with `config` and return its RECORDs by upper-case stream name
    (numbers as Decimal): how the round-trip tests read back what the target wrote."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "tap-config.json"
    path.write_text(json.dumps(config))
    proc = subprocess.run(
        [str(TAP_EXE), "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    read: dict[str, list[dict[str, Any]]] = {}
    for line in proc.stdout.splitlines():
        message = json.loads(line, parse_float=Decimal)
        if message.get("type") == "RECORD":
            read.setdefault(message["stream"].upper(), []).append(message["record"])
    return read


def singer_lines(streams: dict[str, list[dict[str, Any]]], state: dict | None = None) -> str:
    """SCHEMA + RECORD messages per stream (amounts written as JSON numbers)."""
    out: list[str] = []
    for stream, records in streams.items():
        out.append(
            json.dumps(
                {
                    "type": "SCHEMA",
                    "stream": stream,
                    "schema": {"properties": {}},
                    "key_properties": [],
                }
            )
        )
        for record in records:
            line = simplejson.dumps(
                {"type": "RECORD", "stream": stream, "record": record},
                use_decimal=True,
                ensure_ascii=False,
            )
            out.append(line)
    if state is not None:
        out.append(json.dumps({"type": "STATE", "value": state}))
    return "\n".join(out) + "\n"


@dataclass
class TargetRun:
    returncode: int
    stdout: str
    stderr: str
    results: list[dict[str, Any]]

    @property
    def states(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def outcomes(self, stream: str | None = None) -> list[str]:
        return [r["outcome"] for r in self.results if stream is None or r["stream"] == stream]

    def by_id(self, record_id: str) -> dict[str, Any]:
        matches = [r for r in self.results if r["record_id"] == record_id]
        assert len(matches) == 1, (record_id, self.results)
        return matches[0]


def run_target(
    config: dict[str, Any],
    input_text: str,
    workdir: Path,
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> TargetRun:
    """Run `target-intacct --config ...` as a subprocess with the input on stdin."""
    workdir.mkdir(parents=True, exist_ok=True)
    results_path = workdir / f"results-{len(list(workdir.glob('results-*')))}.jsonl"
    full = {"backoff_base": 0.05, "backoff_max": 0.5, **config, "results_path": str(results_path)}
    config_path = workdir / "config.json"
    config_path.write_text(json.dumps(full))
    proc = subprocess.run(
        [str(TARGET_EXE), "--config", str(config_path)],
        input=input_text,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=workdir,
        env={**os.environ, **(env or {})},
    )
    results = []
    if results_path.exists():
        results = [json.loads(line) for line in results_path.read_text().splitlines() if line]
    return TargetRun(proc.returncode, proc.stdout, proc.stderr, results)
