"""The tap's lean emission path must emit exactly what the SDK's own path emits.

When every property is selected and no stream map is configured, the tap skips the
SDK's per-record pruning/mapping and moves the bookmark once per page (see
`IntacctStream._generate_record_messages` and `_increment_stream_state`). These tests
run the real tap against the sandbox with and without the conditions for that path and
compare the emitted rows, and check that no STATE ever promises more than was emitted.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from tap_helpers import TapRun, discover, entry, run_tap, select

STREAM = "gldetail"
DROPPED = "DESCRIPTION"


@pytest.fixture(scope="module")
def catalog(sandbox: Any) -> dict[str, Any]:
    return select(discover(sandbox.config()), [STREAM])


@pytest.fixture(scope="module")
def lean_run(sandbox: Any, catalog: dict[str, Any]) -> TapRun:
    return run_tap(sandbox.config(page_size=700), catalog)


def deselect(catalog: dict[str, Any], field: str) -> dict[str, Any]:
    out = json.loads(json.dumps(catalog))
    for item in entry(out, STREAM)["metadata"]:
        if item["breadcrumb"] == ["properties", field]:
            item["metadata"]["selected"] = False
    return out


def by_key(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    keyed = {int(row["RECORDNO"]): row for row in rows}
    assert len(keyed) == len(rows), "a record was emitted twice"
    return keyed


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_lean_path_emits_every_row_once_with_all_fields(
    sandbox: Any, catalog: dict[str, Any], lean_run: TapRun
) -> None:
    rows = lean_run.rows(STREAM)
    assert len(rows) == int(sandbox.stats()["records"]["GLDETAIL"])
    properties = set(entry(catalog, STREAM)["schema"]["properties"])
    assert all(set(row) == properties - {"_sdc_deleted_at"} for row in rows)


def test_deselected_field_takes_the_sdk_path_and_only_loses_that_field(
    sandbox: Any, catalog: dict[str, Any], lean_run: TapRun
) -> None:
    run = run_tap(sandbox.config(page_size=700), deselect(catalog, DROPPED))
    lean = by_key(lean_run.rows(STREAM))
    pruned = by_key(run.rows(STREAM))
    assert pruned.keys() == lean.keys()
    assert any(row.get(DROPPED) for row in lean.values())
    for key, row in pruned.items():
        assert DROPPED not in row
        expected = {name: value for name, value in lean[key].items() if name != DROPPED}
        assert row == expected, key
    assert run.last_state == lean_run.last_state


def test_stream_maps_take_the_sdk_path_with_the_same_values(
    sandbox: Any, catalog: dict[str, Any], lean_run: TapRun
) -> None:
    config = sandbox.config(
        page_size=700, stream_maps={STREAM: {"__alias__": "gl_lines", DROPPED: None}}
    )
    run = run_tap(config, catalog)
    assert STREAM not in run.records
    mapped = by_key(run.rows("gl_lines"))
    lean = by_key(lean_run.rows(STREAM))
    assert mapped.keys() == lean.keys()
    for key, row in mapped.items():
        expected = {name: value for name, value in lean[key].items() if name != DROPPED}
        assert row == expected, key


def test_no_state_is_ahead_of_the_rows_emitted_before_it(lean_run: TapRun) -> None:
    newest: datetime | None = None
    checked = 0
    for line in lean_run.stdout.splitlines():
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        if message["type"] == "RECORD" and message["record"].get("WHENMODIFIED"):
            moment = instant(message["record"]["WHENMODIFIED"])
            newest = moment if newest is None or moment > newest else newest
        elif message["type"] == "STATE":
            bookmark = message["value"]["bookmarks"].get(STREAM, {}).get("replication_key_value")
            if bookmark is None:
                continue
            assert newest is not None
            assert instant(bookmark) <= newest
            checked += 1
    assert checked >= 5  # several pages of 700 rows, one STATE after each
    final = lean_run.last_state
    assert final is not None
    assert newest is not None
    assert instant(final["bookmarks"][STREAM]["replication_key_value"]) == newest


def test_time_extracted_is_an_aware_instant_per_record(lean_run: TapRun) -> None:
    stamps = [
        json.loads(line)["time_extracted"]
        for line in lean_run.stdout.splitlines()
        if line.startswith('{"type":"RECORD"')
    ]
    assert stamps
    assert all(instant(stamp).utcoffset() is not None for stamp in stamps)
