"""The tap and the target under every answer the public record leaves open.

One scenario per sandbox variant set: a full sync; then, through the gateway (the real
write path), header creates, updates and deletes, a journal entry updated with a new
set of lines, a deleted bill, invoice and journal entry, and unified records loaded by
target-intacct; then an incremental run from the first run's STATE. The warehouse view
(upsert by key over both runs, keys that got `_sdc_deleted_at` dropped) must equal the
sandbox, keys and values, for the headers, their owned lines and GLDETAIL.

Cases: the defaults; every registered variant's every other value, one at a time (taken
from the registry, so variants added later are covered without editing this file); and
one case with every variant at its first non-default value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from gateway_changes import change_everything, gateway_client, prepare_unreferenced
from reliability_kit import (
    fast_tap_config,
    fast_target_config,
    natural_keys,
    run_tap_captured,
    run_target_captured,
    variant_cases,
)
from tap_helpers import TapRun, comparable, entry, select
from tap_intacct.settings import CONFIG_JSONSCHEMA
from target_helpers import singer_lines
from target_inputs import STREAM_KINDS, ids_of, unified_load

HEADERS = ["VENDOR", "CUSTOMER", "APBILL", "ARINVOICE", "GLBATCH"]
LINES = ["GLENTRY", "APBILLITEM", "ARINVOICEITEM", "GLDETAIL"]
STREAMS = [name.lower() for name in HEADERS + LINES]

# The tap reads the zone from the user's preference (`timezone` empty), as a user who
# sets nothing would; these are the settings a variant value needs for exact values (a
# user who knows the answer configures them). Later entries win over earlier ones.
TAP_CONFIG_OVERRIDES: dict[tuple[str, str], dict[str, Any]] = {
    ("user_timezone", "iana"): {"timezone": "America/Los_Angeles"},
    ("auwhencreated_zone", "user"): {"audit_timestamps_zone": "user"},
    ("timestamp_zone", "gmt"): {"timezone": "UTC"},
}


def _tap_overrides(box: Any, chosen: dict[str, str]) -> dict[str, Any]:
    """The override table's settings for this case. A setting this build of the tap does
    not have is left out, and a `timezone` only when the sandbox really writes in it (a
    variant value a sandbox build does not implement behaves like the default, and the
    default settings are then the right ones)."""
    known = set(CONFIG_JSONSCHEMA["properties"])
    settings: dict[str, Any] = {}
    for (name, value), extra in TAP_CONFIG_OVERRIDES.items():
        if chosen.get(name) != value:
            continue
        for key, setting in extra.items():
            if key not in known:
                continue
            if key == "timezone" and not _writes_in(box, setting):
                continue
            settings[key] = setting
    return settings


def _zone(config: dict[str, Any]) -> dict[str, Any]:
    return {"timezone": config["timezone"]} if config.get("timezone") else {}


def _writes_in(box: Any, zone: str) -> bool:
    """True when the wire's WHENMODIFIED of vendor 1 is its stored instant in `zone`
    (compared on the time of day, which no date format changes)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    stored = next(row for row in box.records("VENDOR") if row["RECORDNO"] == 1)
    instant = datetime.fromisoformat(str(stored["WHENMODIFIED"]).replace("Z", "+00:00"))
    expected = instant.astimezone(ZoneInfo(zone)).strftime("%H:%M:%S")
    with gateway_client(box.config()) as client:
        page = client.query("VENDOR", ["RECORDNO", "WHENMODIFIED"], page_size=2000)
    wire = next(r for r in page.records if str(r["RECORDNO"]) == "1")["WHENMODIFIED"]
    return str(wire).split()[-1] == expected


# --------------------------------------------------------------------------- warehouse
def _warehouse(runs: list[TapRun], stream: str) -> dict[int, dict[str, Any]]:
    """Upsert by key in emission order; a key that got `_sdc_deleted_at` is dropped."""
    rows: dict[int, dict[str, Any]] = {}
    deleted: set[int] = set()
    for run in runs:
        for record in run.records.get(stream, []):
            key = int(record["RECORDNO"])
            if record.get("_sdc_deleted_at"):
                deleted.add(key)
                rows.pop(key, None)
            elif key not in deleted:
                rows[key] = record
    return rows


def _census_calls(stderr: str) -> dict[str, int]:
    found = re.findall(r"Key census of (\w+): (\d+) API calls", stderr)
    return {name: int(calls) for name, calls in found}


@pytest.mark.parametrize("chosen", variant_cases())
def test_scenario_reconciles_under_variant(
    chosen: dict[str, str], sandbox_factory: Any, tmp_path: Path
) -> None:
    box = sandbox_factory(variants=chosen)
    assert {name: box.variants()[name] for name in chosen} == chosen
    config = fast_tap_config(box, objects=HEADERS + LINES)
    config.pop("timezone", None)  # the user's preference, read from the API
    config.update(_tap_overrides(box, chosen))
    discovered = run_tap_captured(config, extra=["--discover"], label="discover")
    assert discovered.returncode == 0, discovered.stderr[-3000:]
    catalog = select(json.loads(discovered.stdout), STREAMS)

    with gateway_client(box.config(**_zone(config))) as client:
        unused = prepare_unreferenced(client)
    first = run_tap_captured(config, catalog, label="full sync")
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.last_state is not None
    for stream in ("glentry", "gldetail", "apbillitem", "arinvoiceitem"):
        live = first.last_state["bookmarks"][stream].get("live_keys", [])
        assert sum(hi - lo + 1 for lo, hi in live) == len(first.rows(stream)), stream

    before_lines = {obj: {r["RECORDNO"] for r in box.records(obj)} for obj in LINES}
    with gateway_client(box.config(**_zone(config))) as client:
        done = change_everything(box, client, unused)
    tag = "MX"
    data = unified_load(tag, 2)
    loaded = run_target_captured(
        fast_target_config(box, batch_size=4), singer_lines(data), tmp_path / "target"
    )
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    for kind in STREAM_KINDS:
        landed = natural_keys(box, kind.obj, kind.natural_key, f"{tag}-")
        assert landed == dict.fromkeys(ids_of(kind, data[kind.stream]), 1), kind.stream

    second = run_tap_captured(config, catalog, first.last_state, label="incremental")
    assert second.returncode == 0, second.stderr[-3000:]

    for stream in STREAMS:
        e = entry(catalog, stream)
        schema = second.schemas.get(stream) or e["schema"]
        expected = comparable(box.records(e["table_name"]), schema)
        view = _warehouse([first, second], stream)
        missing = sorted(set(expected) - set(view))
        stale = sorted(set(view) - set(expected))
        assert not missing, f"{stream}: missing from the warehouse: {missing[:10]}"
        assert not stale, f"{stream}: stale rows in the warehouse: {stale[:10]}"
        got = comparable(list(view.values()), schema)
        differ = [key for key in expected if got[key] != expected[key]]
        assert not differ, f"{stream}: values differ for {differ[:5]}"

    # The deletes came from the incremental run, for headers and the lines they took.
    deleted = {stream: {int(r["RECORDNO"]) for r in second.deletes(stream)} for stream in STREAMS}
    for obj in ("VENDOR", "CUSTOMER", "APBILL", "ARINVOICE", "GLBATCH"):
        assert done[obj] in deleted[obj.lower()], obj
    gone_lines = {
        obj: keys - {r["RECORDNO"] for r in box.records(obj)} for obj, keys in before_lines.items()
    }
    for obj in LINES:  # replaced journal lines, the deleted documents' lines, GLDETAIL
        assert gone_lines[obj], obj
        assert gone_lines[obj] <= deleted[obj.lower()], obj

    # Census cost: one count per line object with nothing deleted, a few calls otherwise.
    calls = _census_calls(second.stderr)
    assert set(calls) >= {"glentry", "gldetail", "apbillitem", "arinvoiceitem"}, calls
    assert all(1 <= n <= 30 for n in calls.values()), calls
    state_bytes = len(json.dumps(second.last_state, separators=(",", ":")))
    live_bytes = sum(
        len(json.dumps(second.last_state["bookmarks"][s].get("live_keys"), separators=(",", ":")))
        for s in ("glentry", "gldetail", "apbillitem", "arinvoiceitem")
    )
    assert live_bytes < 4000, (live_bytes, state_bytes)
