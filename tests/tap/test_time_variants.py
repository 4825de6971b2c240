"""The tap under every time-zone and date-format variant of the sandbox: DATE and
TIMESTAMP values equal the stored ones, and an incremental run after `touch` reads
exactly the touched rows (plus the bookmark row the `>=` lower bound re-reads)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tap_helpers import discover, run_tap, select

STREAMS = {"apbill": "APBILL", "vendor": "VENDOR"}
PACIFIC_STANDARD = timedelta(hours=-8)  # the sandbox company's zone outside DST

HOUR = timedelta(hours=1)
CASES: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("defaults", {}, {}),
    # A preference that follows DST, told to the tap: exact but for the fall-back hour.
    ("iana-with-zone-setting", {"user_timezone": "iana"}, {"timezone": "America/Los_Angeles"}),
    # Not told: gmtoffset is today's offset, so daylight-saving times come out an hour late.
    ("iana-empty-timezone", {"user_timezone": "iana"}, {}),
    ("dd/mm/yyyy", {"date_format": "dd/mm/yyyy"}, {}),
    ("yyyy-mm-dd", {"date_format": "yyyy-mm-dd"}, {}),
    ("dd.mm.yyyy", {"date_format": "dd.mm.yyyy"}, {}),
    ("gmt-with-utc-setting", {"timestamp_zone": "gmt"}, {"timezone": "UTC"}),
    ("auwhencreated-user", {"auwhencreated_zone": "user"}, {"audit_timestamps_zone": "user"}),
]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _dated_fields(schema: dict[str, Any]) -> tuple[list[str], list[str]]:
    props = schema["properties"]
    dates = [n for n, p in props.items() if p.get("format") == "date"]
    stamps = [n for n, p in props.items() if p.get("format") == "date-time" and n[0] != "_"]
    return dates, stamps


def _check_values(
    run: Any, box: Any, *, shift: timedelta = timedelta(0), slack: timedelta | None = None
) -> int:
    """Every emitted DATE equals the stored date, every TIMESTAMP the stored instant (+
    `shift` for non-AU fields); with `slack`, a non-AU timestamp may also be off by
    exactly that much (DST: the fall-back hour read as its first occurrence, or summer
    times read with the winter offset)."""
    checked = 0
    for stream, obj in STREAMS.items():
        dates, stamps = _dated_fields(run.schemas[stream])
        assert dates or stamps
        stored = {int(r["RECORDNO"]): r for r in box.records(obj)}
        rows = run.rows(stream)
        assert len(rows) == len(stored)
        for row in rows:
            truth = stored[int(row["RECORDNO"])]
            for name in dates:
                assert row.get(name) == (truth.get(name) or None), (obj, name, row)
                checked += 1
            for name in stamps:
                if not truth.get(name):
                    assert row.get(name) is None
                    continue
                expected = _instant(truth[name]) + (
                    timedelta(0) if name.startswith("AU") else shift
                )
                got = _instant(row[name])
                if slack is not None and got != expected and not name.startswith("AU"):
                    assert got - expected == slack, (obj, name, row, truth[name])
                else:
                    assert got == expected, (obj, name, row, truth[name])
                checked += 1
    return checked


def _incremental(box: Any, config: dict[str, Any], catalog: dict[str, Any], first: Any) -> None:
    touched = sorted(int(r["RECORDNO"]) for r in box.records("APBILL"))[:3]
    box.touch("APBILL", touched)
    second = run_tap(config, catalog, first.last_state)
    emitted = {int(r["RECORDNO"]) for r in second.rows("apbill")}
    assert set(touched) <= emitted
    bookmark = first.last_state["bookmarks"]["apbill"]["replication_key_value"]
    stored = {int(r["RECORDNO"]): r for r in box.records("APBILL")}
    for extra in emitted - set(touched):  # only the row(s) at the old bookmark itself
        assert stored[extra]["WHENMODIFIED"], extra
    assert len(emitted - set(touched)) <= len(
        [r for r in first.rows("apbill") if r["WHENMODIFIED"] == bookmark]
    )


@pytest.mark.parametrize(("name", "assignments", "settings"), CASES, ids=[c[0] for c in CASES])
def test_values_and_increments_under_variant(
    sandbox_factory: Any, name: str, assignments: dict[str, str], settings: dict[str, Any]
) -> None:
    box = sandbox_factory(variants=assignments)
    assert box.variants() | assignments == box.variants()
    config = box.config(lookback_minutes=0, **settings)
    catalog = select(discover(config), list(STREAMS))
    first = run_tap(config, catalog)
    slack = {"iana-with-zone-setting": -HOUR, "iana-empty-timezone": HOUR}.get(name)
    assert _check_values(first, box, slack=slack) > 100
    _incremental(box, config, catalog, first)


def test_gmt_timestamps_with_empty_timezone_lose_no_row(sandbox_factory: Any) -> None:
    """Intacct writing WHENMODIFIED in GMT while the preference says -08:00: values come
    out shifted by the preference offset (the documented fix is `timezone: UTC`), and no
    row is lost, not even the ones touched just before the next run."""
    box = sandbox_factory(variants={"timestamp_zone": "gmt"})
    config = box.config(lookback_minutes=0)
    catalog = select(discover(config), list(STREAMS))
    first = run_tap(config, catalog)
    assert _check_values(first, box, shift=-PACIFIC_STANDARD) > 100
    _incremental(box, config, catalog, first)


def test_unknown_zone_is_reported_in_one_line() -> None:
    from intacct_client import UserFormattingError
    from tap_intacct.errors import explain

    error = UserFormattingError("the user's time zone is unknown; set the `timezone` setting")
    assert explain(error, {}) == str(error)
