"""The tap under the `session_fields=minimal` answer (no sessiontimeout, no locationid):
discovery and a full sync still emit exactly the sandbox's records, RECORD_URL included."""

from __future__ import annotations

from typing import Any

from tap_helpers import discover, run_tap, select

STREAMS = ("class", "vendor")


def test_tap_syncs_under_minimal_session_fields(sandbox_factory: Any) -> None:
    box = sandbox_factory(variants={"session_fields": "minimal"})
    catalog = discover(box.config())
    for stream in STREAMS:
        schema = next(e for e in catalog["streams"] if e["tap_stream_id"] == stream)["schema"]
        assert "RECORD_URL" in schema["properties"]
    run = run_tap(box.config(), select(catalog, list(STREAMS)))
    for stream in STREAMS:
        truth = {r["RECORDNO"]: r["RECORD_URL"] for r in box.records(stream.upper())}
        emitted = {int(r["RECORDNO"]): r["RECORD_URL"] for r in run.rows(stream)}
        assert emitted == truth, stream
        assert all(url.endswith(f"?.r={stream}.{no}") for no, url in emitted.items())
    assert run.last_state is not None
