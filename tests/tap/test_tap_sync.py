"""Sync against a real sandbox: exact records, incremental changes, deletes, resumability.

Every comparison is set equality on keys and normalised values per stream against the
sandbox's stored records (`/_sandbox/records/<OBJ>`), never "no exception".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tap_helpers import (
    WIRE_ZONE,
    TapRun,
    comparable,
    discover,
    entry,
    run_tap,
    run_tap_interactive,
    select,
)

# Streams that are not one Intacct object (no /_sandbox/records table to compare with):
# test_gl_balances.py and test_attachments.py reconcile them with the sandbox.
NOT_ONE_OBJECT = {"gl_account_balances", "attachments"}


@pytest.fixture(scope="module")
def catalog(sandbox: Any) -> dict[str, Any]:
    return discover(sandbox.config())


def incremental(catalog: dict[str, Any]) -> list[str]:
    return sorted(e["tap_stream_id"] for e in catalog["streams"] if e.get("replication_key"))


def smallest_incremental(box: Any, catalog: dict[str, Any], at_least: int) -> str:
    """The smallest incremental object with enough rows (keeps latency tests short)."""
    counts = {name.lower(): n for name, n in box.stats()["records"].items()}
    names = [
        s for s in incremental(catalog) if counts.get(s, 0) >= at_least and s != "audithistory"
    ]
    assert names, f"no incremental object with {at_least}+ records in the seed"
    return min(names, key=lambda s: counts[s])


def truth(
    box: Any, catalog: dict[str, Any], stream: str, schema: dict[str, Any] | None = None
) -> dict[int, dict[str, Any]]:
    e = entry(catalog, stream)
    return comparable(box.records(e["table_name"]), schema or e["schema"])


def emitted(run: TapRun, catalog: dict[str, Any], stream: str) -> dict[int, dict[str, Any]]:
    """Emitted rows, over the fields of the last SCHEMA message (fields Intacct refuses to
    query are dropped from it)."""
    rows = run.rows(stream)
    keys = [int(r["RECORDNO"]) for r in rows]
    assert len(keys) == len(set(keys)), f"{stream}: a record was emitted twice"
    return comparable(rows, run.schemas.get(stream) or entry(catalog, stream)["schema"])


def instant(wall: datetime) -> datetime:
    """A normalised (company wall-clock) timestamp back to an aware UTC instant."""
    return wall.replace(tzinfo=ZoneInfo(WIRE_ZONE)).astimezone(timezone.utc)


def state_for(stream: str, value: datetime) -> dict[str, Any]:
    return {
        "bookmarks": {
            stream: {"replication_key": "WHENMODIFIED", "replication_key_value": value.isoformat()}
        }
    }


def test_full_sync_emits_exactly_the_sandbox_records(
    clean_sandbox: Any, catalog: dict[str, Any]
) -> None:
    box = clean_sandbox
    streams = [e["tap_stream_id"] for e in catalog["streams"]]
    run = run_tap(box.config(), select(catalog, streams))
    counts = {name.lower(): n for name, n in box.stats()["records"].items()}
    checked = 0
    for stream in streams:
        if stream in NOT_ONE_OBJECT:
            assert run.records[stream], stream  # reconciled in their own test modules
            continue
        expected = truth(box, catalog, stream, run.schemas[stream])
        assert counts.get(stream, len(expected)) == len(expected)
        got = emitted(run, catalog, stream)
        dropped = set(entry(catalog, stream)["schema"]["properties"]) - set(
            run.schemas[stream]["properties"]
        )
        if dropped:  # only fields Intacct refused to query, with one warning
            table = entry(catalog, stream)["table_name"]
            warned = [
                line
                for line in run.stderr.splitlines()
                if "refuses to query" in line and f" {table}." in line
            ]
            assert len(warned) == 1, stream
            assert all(name in warned[0] for name in dropped)
        assert got.keys() == expected.keys(), stream
        for key, values in expected.items():
            assert got[key] == values, (stream, key)
        checked += len(expected)
    assert checked > 0
    assert "Run summary" in run.stderr
    final = run.last_state
    assert final is not None
    for stream in incremental(catalog):
        if stream in NOT_ONE_OBJECT:
            continue
        bookmark = final["bookmarks"].get(stream, {}).get("replication_key_value")
        if truth(box, catalog, stream):
            assert bookmark is not None, stream
            assert bookmark.endswith("+00:00"), stream


def test_incremental_run_emits_exactly_the_changes_and_deletions(
    clean_sandbox: Any, catalog: dict[str, Any]
) -> None:
    box = clean_sandbox
    streams = ["vendor", "apbill", "customer"]
    cat = select(catalog, streams)
    config = box.config(lookback_minutes=0)
    first = run_tap(config, cat)
    state = first.last_state
    assert state is not None

    vendors = sorted(truth(box, catalog, "vendor"))
    bills = sorted(truth(box, catalog, "apbill"))
    touched = {"vendor": vendors[:2], "apbill": bills[:1]}
    deleted = {"vendor": [vendors[-1]]}
    box.touch("VENDOR", touched["vendor"])
    box.touch("APBILL", touched["apbill"])
    box.delete("VENDOR", deleted["vendor"])

    second = run_tap(config, cat, state)
    for stream in streams:
        bookmark = datetime.fromisoformat(state["bookmarks"][stream]["replication_key_value"])
        now_truth = truth(box, catalog, stream, second.schemas[stream])
        # Exactly: rows modified at or after the previous bookmark (the bookmark second is
        # re-read on purpose), i.e. the touched rows plus that boundary second.
        expected = {
            key: row
            for key, row in now_truth.items()
            if row["WHENMODIFIED"] is not None and instant(row["WHENMODIFIED"]) >= bookmark
        }
        got = emitted(second, catalog, stream)
        assert got == expected, stream
        assert set(touched.get(stream, [])) <= got.keys()
        deletes = {int(r["RECORDNO"]) for r in second.deletes(stream)}
        # Exactly the deletions audited after the previous bookmark (minus lookback 0):
        # ours, plus any the seed audited after that bookmark (windows overlap on purpose).
        audited = {
            int(str(row["OBJECTKEY"]).split("--")[0])
            for row in box.records("AUDITHISTORY")
            if row["OBJECTTYPE"] == stream
            and row["ACCESSMODE"] == "D"
            and datetime.fromisoformat(row["ACCESSTIME"].replace("Z", "+00:00")) > bookmark
        }
        assert set(deleted.get(stream, [])) <= audited
        assert deletes == audited, stream
        for record in second.deletes(stream):
            assert record["_sdc_deleted_at"].endswith("+00:00")


def test_sixty_records_sharing_one_second_across_pages(
    clean_sandbox: Any, catalog: dict[str, Any]
) -> None:
    box = clean_sandbox
    stream = smallest_incremental(box, catalog, 60)
    table = entry(catalog, stream)["table_name"]
    keys = sorted(truth(box, catalog, stream))[:60]
    moment = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)
    box.freeze_clock(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    box.touch(table, keys)
    box.unfreeze_clock()
    config = box.config(page_size=20, lookback_minutes=0, include_deletes=False)
    run = run_tap(config, select(catalog, [stream]), state_for(stream, moment))
    got = emitted(run, catalog, stream)
    expected = {
        key: row
        for key, row in truth(box, catalog, stream, run.schemas[stream]).items()
        if row["WHENMODIFIED"] is not None and instant(row["WHENMODIFIED"]) >= moment
    }
    assert set(keys) <= got.keys()
    assert got == expected
    # the same holds for a full run with small pages
    full = run_tap(config, select(catalog, [stream]))
    assert emitted(full, catalog, stream) == truth(box, catalog, stream, full.schemas[stream])


def test_records_touched_between_pages_are_not_lost(
    sandbox_factory: Any, catalog: dict[str, Any]
) -> None:
    box = sandbox_factory(latency_ms=150)
    stream = smallest_incremental(box, catalog, 40)
    table = entry(catalog, stream)["table_name"]
    all_keys = sorted(truth(box, catalog, stream))
    config = box.config(page_size=10, lookback_minutes=0, include_deletes=False)
    touched: list[int] = []

    def touch_once(count: int, run: TapRun) -> None:
        if count == 2 and not touched:
            seen = {int(r["RECORDNO"]) for r in run.rows(stream)}
            unseen = [k for k in all_keys if k not in seen]
            touched.extend([min(seen), unseen[-1]])
            box.touch(table, touched)

    first = run_tap_interactive(config, select(catalog, [stream]), None, on_state=touch_once)
    assert first.returncode == 0
    assert len(touched) == 2
    second = run_tap(config, select(catalog, [stream]), first.last_state)
    truth_now = truth(box, catalog, stream, second.schemas[stream])
    union = {int(r["RECORDNO"]) for r in first.rows(stream) + second.rows(stream)}
    assert union == set(truth_now)
    got = emitted(second, catalog, stream)
    for key in touched:
        assert got[key] == truth_now[key]  # the new WHENMODIFIED arrived in the next run


def test_killed_tap_resumes_from_last_state_without_loss(
    sandbox_factory: Any, catalog: dict[str, Any]
) -> None:
    box = sandbox_factory(latency_ms=100)
    stream = smallest_incremental(box, catalog, 40)
    other = "vendor" if stream != "vendor" else "customer"
    cat = select(catalog, [stream, other])
    config = box.config(page_size=10, lookback_minutes=0)

    def kill_mid_stream(_count: int, run: TapRun) -> str | None:
        bookmark = run.states[-1].get("bookmarks", {}).get(stream, {})
        if bookmark.get("replication_key_value") and len(run.rows(stream)) >= 20:
            return "kill"
        return None

    killed = run_tap_interactive(config, cat, None, on_state=kill_mid_stream)
    assert killed.returncode != 0
    state = killed.last_state
    assert state is not None
    assert state["bookmarks"][stream].get("replication_key_value")
    resumed = run_tap(config, cat, state)
    for name in (stream, other):
        union = {int(r["RECORDNO"]) for r in killed.rows(name) + resumed.rows(name)}
        assert union == set(truth(box, catalog, name)), name
    # the resumed run started at the bookmark (lookback 0), not from scratch
    bookmark = datetime.fromisoformat(state["bookmarks"][stream]["replication_key_value"])
    for row in resumed.rows(stream):
        if row["WHENMODIFIED"] is not None:  # never-modified rows are keyed on RECORDNO
            assert datetime.fromisoformat(row["WHENMODIFIED"]) >= bookmark


def test_timestamps_are_utc_instants_across_dst(
    clean_sandbox: Any, catalog: dict[str, Any]
) -> None:
    box = clean_sandbox  # company zone America/Los_Angeles (PST -8 / PDT -7)
    vendors = sorted(truth(box, catalog, "vendor"))
    summer = datetime(2026, 7, 15, 18, 0, 5, tzinfo=timezone.utc)
    winter = datetime(2026, 1, 15, 18, 0, 5, tzinfo=timezone.utc)
    for moment, key in ((summer, vendors[0]), (winter, vendors[1])):
        box.freeze_clock(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
        box.touch("VENDOR", [key])
    box.unfreeze_clock()
    run = run_tap(box.config(include_deletes=False), select(catalog, ["vendor"]))
    by_key = {int(r["RECORDNO"]): r for r in run.rows("vendor")}
    assert by_key[vendors[0]]["WHENMODIFIED"] == "2026-07-15T18:00:05+00:00"
    assert by_key[vendors[1]]["WHENMODIFIED"] == "2026-01-15T18:00:05+00:00"


def test_never_modified_rows_are_read_once_and_remembered(
    clean_sandbox: Any, catalog: dict[str, Any]
) -> None:
    box = clean_sandbox
    never = {k for k, row in truth(box, catalog, "vendor").items() if row["WHENMODIFIED"] is None}
    assert never, "the demo seed has vendors with a null WHENMODIFIED"
    config = box.config(lookback_minutes=0, include_deletes=False)
    first = run_tap(config, select(catalog, ["vendor"]))
    assert never <= {int(r["RECORDNO"]) for r in first.rows("vendor")}
    state = first.last_state
    assert state is not None
    assert state["bookmarks"]["vendor"]["null_modified_after"] == max(never)
    second = run_tap(config, select(catalog, ["vendor"]), state)
    assert not never & {int(r["RECORDNO"]) for r in second.rows("vendor")}


def test_entity_session_reads_one_entity_and_top_level_reads_all(
    sandbox: Any, catalog: dict[str, Any]
) -> None:
    streams = ["vendor", "customer"]
    top = run_tap(sandbox.config(include_deletes=False), select(catalog, streams))
    entity = run_tap(
        sandbox.config(entity_id="E100", include_deletes=False), select(catalog, streams)
    )
    for stream in streams:
        rows = sandbox.records(entry(catalog, stream)["table_name"])
        assert {int(r["RECORDNO"]) for r in top.rows(stream)} == {int(r["RECORDNO"]) for r in rows}
        visible = {int(r["RECORDNO"]) for r in rows if r.get("MEGAENTITYID") in (None, "E100")}
        assert {int(r["RECORDNO"]) for r in entity.rows(stream)} == visible
        assert len(visible) < len(rows)


def test_sync_skips_an_object_the_user_may_not_read_with_one_warning(
    sandbox: Any, catalog: dict[str, Any], readonly_credentials: dict[str, str]
) -> None:
    config = {**sandbox.config(include_deletes=False), **readonly_credentials}
    run = run_tap(config, select(catalog, ["arinvoice", "vendor"]))
    assert run.returncode == 0
    assert not run.rows("arinvoice")
    assert run.rows("vendor")
    warned = [line for line in run.stderr.splitlines() if "Skipping stream arinvoice" in line]
    assert len(warned) == 1


def test_lookback_re_reads_recent_rows_and_start_date_bounds_the_first_run(
    clean_sandbox: Any, catalog: dict[str, Any]
) -> None:
    box = clean_sandbox
    vendors = sorted(truth(box, catalog, "vendor"))
    mark = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=3)
    touches = {
        vendors[0]: mark - timedelta(minutes=90),  # before bookmark - lookback: not re-read
        vendors[1]: mark - timedelta(minutes=30),  # inside the lookback window: re-read
        vendors[2]: mark + timedelta(minutes=10),  # after the bookmark
    }
    for key, moment in touches.items():
        box.freeze_clock(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
        box.touch("VENDOR", [key])
    box.unfreeze_clock()
    config = box.config(include_deletes=False)  # lookback_minutes defaults to 60
    run = run_tap(config, select(catalog, ["vendor"]), state_for("vendor", mark))
    got = {int(r["RECORDNO"]) for r in run.rows("vendor") if r["WHENMODIFIED"] is not None}
    assert got == {vendors[1], vendors[2]}

    start = mark - timedelta(minutes=60)
    first = run_tap(
        box.config(include_deletes=False, start_date=start.isoformat()), select(catalog, ["vendor"])
    )
    dated = {int(r["RECORDNO"]) for r in first.rows("vendor") if r["WHENMODIFIED"] is not None}
    assert dated == {vendors[1], vendors[2]}


def test_kill_between_pages_of_a_batch_keeps_never_modified_rows(
    clean_sandbox: Any, catalog: dict[str, Any]
) -> None:
    box = clean_sandbox
    never = {k for k, row in truth(box, catalog, "vendor").items() if row["WHENMODIFIED"] is None}
    assert len(never) >= 2
    config = box.config(page_size=2, max_concurrent_requests=2, include_deletes=False)
    cat = select(catalog, ["vendor"])

    def kill_after_first_null(_count: int, run: TapRun) -> str | None:
        marker = run.states[-1].get("bookmarks", {}).get("vendor", {})
        return "kill" if "null_modified_after" in marker else None

    killed = run_tap_interactive(config, cat, None, on_state=kill_after_first_null)
    state = killed.last_state
    assert state is not None
    emitted_nulls = {int(r["RECORDNO"]) for r in killed.rows("vendor")} & never
    assert state["bookmarks"]["vendor"]["null_modified_after"] == max(emitted_nulls)
    resumed = run_tap(config, cat, state)
    union = {int(r["RECORDNO"]) for r in killed.rows("vendor") + resumed.rows("vendor")}
    assert union == set(truth(box, catalog, "vendor"))
