"""The SDK floor: a minimal singer-sdk tap that emits records it already holds in memory.

It loads the RECORD messages of a real tap-intacct run (numbers as Decimal, as the real
tap emits them), then syncs them as one stream with the same schema, key and replication
key. The CPU it spends after loading is what singer-sdk itself costs per record; the CPU
spent loading is printed to stderr (`FLOOR_LOAD_CPU_S=`) so the benchmark can subtract it.

    python bench/sdk_floor_tap.py --config floor.json   (see tap_cpu.py)

Config: records_path, schema_path (a catalog entry), fast (MsgSpecWriter and no type
conformance, i.e. the same emission settings as tap-intacct; false = SDK defaults).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from singer_sdk import Stream, Tap
from singer_sdk import typing as th
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.helpers._typing import TypeConformanceLevel
from singer_sdk.io_base import SingerWriter


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


class MemoryStream(Stream):
    """Yields pre-built dicts; nothing else."""

    is_sorted = True
    check_sorted = False

    def __init__(self, tap: Tap, entry: dict[str, Any], records: list[dict[str, Any]]) -> None:
        super().__init__(tap, schema=entry["schema"], name=entry["tap_stream_id"])
        self.primary_keys = entry.get("key_properties") or []
        self.replication_key = entry.get("replication_key")
        self._records = records

    def get_records(self, context: Any) -> Iterable[dict[str, Any]]:
        yield from self._records


class FastMemoryStream(MemoryStream):
    """Records are already JSON-ready (as tap-intacct's are): no conformance pass."""

    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE


def load_records(path: str) -> list[dict[str, Any]]:
    records = []
    with open(path, "rb") as handle:
        for line in handle:
            if b'"RECORD"' in line[:40]:
                records.append(json.loads(line, parse_float=Decimal)["record"])
    return records


class FloorTap(Tap):
    """Emits one stream of in-memory records."""

    name = "tap-sdk-floor"
    config_jsonschema = th.PropertiesList(
        th.Property("records_path", th.StringType, required=True),
        th.Property("schema_path", th.StringType, required=True),
        th.Property("fast", th.BooleanType, default=True),
    ).to_dict()

    def discover_streams(self) -> Sequence[Stream]:
        entry = json.loads(Path(self.config["schema_path"]).read_text())
        started = cpu_seconds()
        records = load_records(self.config["records_path"])
        sys.stderr.write(f"FLOOR_LOAD_CPU_S={cpu_seconds() - started:.4f}\n")
        sys.stderr.write(f"FLOOR_RECORDS={len(records)}\n")
        stream_class = FastMemoryStream if self.config.get("fast", True) else MemoryStream
        return [stream_class(self, entry, records)]


class FastFloorTap(FloorTap):
    """Same, written with the msgspec writer tap-intacct uses."""

    message_writer_class = MsgSpecWriter


class DefaultFloorTap(FloorTap):
    """Same, with the SDK's default writer."""

    message_writer_class = SingerWriter


def main() -> None:
    fast = "--default" not in sys.argv
    argv = [arg for arg in sys.argv[1:] if arg != "--default"]
    tap_class = FastFloorTap if fast else DefaultFloorTap
    tap_class.cli(argv)


if __name__ == "__main__":
    main()
