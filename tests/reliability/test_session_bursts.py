"""Sessions that expire while requests are in flight.

The sandbox fault `expire_session` expires, on the server, the session the matching
request carries: that request and every other one still carrying the session id are
refused "Invalid session" until a new login, as on Intacct when a session times out
under load. A queued `slow` fault without delay is consumed first, so the expiry lands
on a later page (or batch), while several requests are in flight.

Exact outcomes: a burst costs one login and one replay per refused request, never the
run; the emitted records equal the sandbox's, and written records land exactly once.
Only a request refused on the session obtained after its first refusal ends the run.

The suite's leak scan finds session ids by the digests the sandbox keeps of live
sessions; an expired session's digest is gone, so this module also fails a test when
anything captured holds a token shaped like a sandbox session id at all.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from intacct_client import ClientConfig, IntacctClient, IntacctSessionExpiredError
from intacct_client.client import MAX_SESSION_RENEWALS
from reliability_kit import (
    CAPTURE,
    RELOGIN_LINE,
    SESSION_LINE,
    SESSION_TOKEN,
    assert_union_equals_sandbox,
    count_lines,
    duplicates_in_run,
    fast_tap_config,
    fast_target_config,
    natural_keys,
    retry_lines,
    run_tap_captured,
    run_target_captured,
)
from tap_helpers import select
from target_helpers import singer_lines
from target_inputs import STREAM_KINDS, make_record

STREAM = "apbill"
OBJECT = "APBILL"  # 150 rows in the demo seed
PAGE_SIZE = 10
PAGES_BEFORE_EXPIRY = 4
# No `timezone` setting: timestamps are read in the user's preference zone, as the
# sandbox writes them (this module is about sessions, not zones).
USER_ZONE = None
EVERY_SESSION = 50
# Sessions a failing stream may use up: each page refused twice ends in an error, and
# the tap re-asks a failed speculative page (on a new session) a few times.
MAX_EXPIRED_BEFORE_STOP = 10
LATENCY_MS = 400  # every request in flight sleeps this long before its session is checked
JOURNAL = next(kind for kind in STREAM_KINDS if kind.stream == "JournalEntries")
ENTRIES = 120
BATCH = 20


@pytest.fixture(autouse=True)
def no_session_shaped_tokens() -> Iterator[None]:
    """After the test (before the suite's own scan clears the capture): no text holds
    anything shaped like a sandbox session id, expired or not."""
    yield
    texts = list(CAPTURE.texts)
    texts += [
        (f"sandbox log {box.log_path}", box.log_path.read_text("utf-8", "replace"))
        for box in CAPTURE.sandboxes
        if box.log_path.exists()
    ]
    found = sorted({label for label, text in texts if SESSION_TOKEN.search(text)})
    assert found == [], f"a session-id-shaped token appears in {found}"


def _expire_after(box: Any, function: str, obj: str, passes: int, expiries: int = 1) -> None:
    """``passes`` matching requests are answered normally, then the next one expires its
    session. With ``expiries`` > 1 the pattern repeats (the replay after an expiry is
    one of the next passes)."""
    for _ in range(expiries):
        box.fault("slow", count=passes, function=function, obj=obj, delay_s=0)
        box.fault("expire_session", count=1, function=function, obj=obj)


def _burst_box(sandbox_factory: Any) -> Any:
    # Room for 4 pages plus the logins; the latency keeps every page of a burst in
    # flight past the moment its session expires.
    return sandbox_factory(latency_ms=LATENCY_MS, max_concurrent=8)


# ----------------------------------------------------------------------------- the tap
@pytest.mark.parametrize("in_flight", [2, 3, 4])
def test_tap_burst_of_invalid_session_costs_one_login_and_one_replay_each(
    sandbox_factory: Any, suite_catalog: dict[str, Any], in_flight: int
) -> None:
    box = _burst_box(sandbox_factory)
    catalog = select(suite_catalog, [STREAM])
    # The stream's first queries go out one at a time; later pages `in_flight` at a
    # time: the expiry lands among those.
    _expire_after(box, "query", OBJECT, passes=PAGES_BEFORE_EXPIRY)
    config = fast_tap_config(
        box,
        page_size=PAGE_SIZE,
        max_concurrent_requests=in_flight,
        include_deletes=False,
        timezone=USER_ZONE,
    )
    run = run_tap_captured(config, catalog, label=f"burst of {in_flight}")
    assert run.returncode == 0, run.stderr[-3000:]
    assert box.control("GET", "faults") == [], "the expiry was never reached"
    # Every page in flight when the session expired was refused (and so was a page
    # launched with the old session before the new login was back); the whole burst
    # shared one new login, and no replay was refused.
    refused = count_lines(run.stderr, RELOGIN_LINE)
    assert in_flight <= refused <= 2 * in_flight, run.stderr[-4000:]
    assert count_lines(run.stderr, SESSION_LINE) == 2
    assert retry_lines(run.stderr) == []
    sizes = assert_union_equals_sandbox(box, catalog, [run], [STREAM])
    assert sizes == {STREAM: 150}
    assert duplicates_in_run(run, STREAM) == []


def test_tap_refused_on_the_fresh_session_ends_the_run_with_a_clear_message(
    sandbox_factory: Any, suite_catalog: dict[str, Any]
) -> None:
    box = sandbox_factory(max_concurrent=8)
    catalog = select(suite_catalog, [STREAM])
    box.fault("slow", count=PAGES_BEFORE_EXPIRY, function="query", obj=OBJECT, delay_s=0)
    # From here on every session expires at its first page: each replay is refused too.
    # (Two are not enough: a refused speculative page is only discarded and asked
    # again, on a third session.)
    box.fault("expire_session", count=EVERY_SESSION, function="query", obj=OBJECT)
    config = fast_tap_config(
        box, page_size=PAGE_SIZE, max_concurrent_requests=1, include_deletes=False
    )
    run = run_tap_captured(config, catalog, label="fresh session refused")
    assert run.returncode == 2, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    last = [line for line in run.stderr.splitlines() if "| ERROR" in line][-1]
    assert "kept answering 'Invalid session' even after a fresh sign-in" in last, last
    assert "refused again with a session obtained after the first refusal" in last, last
    # The run stopped instead of signing in again and again.
    (left,) = box.control("GET", "faults")
    expired = EVERY_SESSION - left["remaining"]
    logins = count_lines(run.stderr, SESSION_LINE)
    assert 2 <= expired <= MAX_EXPIRED_BEFORE_STOP, run.stderr[-3000:]
    # The run's own login, then at most one login per expired session (none after the
    # last one, when its refusal ended the run first): never two for the same expiry.
    assert expired <= logins <= expired + 1
    keys = {int(row["RECORDNO"]) for row in run.rows(STREAM)}
    assert len(keys) < 150


# ----------------------------------------------------------------------------- writes
def _journal_entries(tag: str, count: int) -> list[dict[str, Any]]:
    return [make_record(JOURNAL, tag, n) for n in range(1, count + 1)]


def _assert_each_once(box: Any, tag: str, ids: list[str]) -> None:
    landed = natural_keys(box, JOURNAL.obj, JOURNAL.natural_key, f"{tag}-")
    assert landed == Counter(dict.fromkeys(ids, 1)), {k: n for k, n in landed.items() if n != 1}


@pytest.mark.parametrize("expiries", [2, 3, 4])
def test_target_writes_every_entry_once_across_expired_sessions(
    sandbox_factory: Any, tmp_path: Path, expiries: int
) -> None:
    """The target sends one request at a time, so each expiry meets one create request:
    it is refused, one login follows and the batch is replayed with the same controlids.
    Concurrent writes refused in one burst are the next test's subject."""
    box = sandbox_factory(max_concurrent=8)
    tag = f"SX{expiries}"
    entries = _journal_entries(tag, ENTRIES)
    _expire_after(box, "create", JOURNAL.obj, passes=1, expiries=expiries)
    config = fast_target_config(box, batch_size=BATCH, max_concurrent_requests=3)
    run = run_target_captured(config, singer_lines({"JournalEntries": entries}), tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert box.control("GET", "faults") == [], "an expiry was never reached"
    ids = [entry["id"] for entry in entries]
    _assert_each_once(box, tag, ids)
    assert Counter(r["record_id"] for r in run.results) == Counter(ids)
    assert {r["outcome"] for r in run.results} == {"created"}, run.results[:3]
    keys = {str(row["RECORDNO"]) for row in box.records("GLBATCH")}
    assert all(r["key"] in keys for r in run.results)
    assert count_lines(run.stderr, RELOGIN_LINE) == expiries
    assert count_lines(run.stderr, SESSION_LINE) == 1 + expiries
    summary = run.states[-1]["target_intacct_summary"]
    assert summary["failed"] == 0
    assert summary["records"] == ENTRIES


def test_target_refused_on_the_fresh_session_stops_with_a_clear_message(
    sandbox_factory: Any, tmp_path: Path
) -> None:
    box = sandbox_factory(max_concurrent=8)
    tag = "SXF"
    entries = _journal_entries(tag, ENTRIES)
    box.fault("slow", count=1, function="create", obj=JOURNAL.obj, delay_s=0)
    # The request's own session, then every session it obtains after that, expire.
    box.fault("expire_session", count=1 + MAX_SESSION_RENEWALS, function="create", obj=JOURNAL.obj)
    config = fast_target_config(box, batch_size=BATCH)
    run = run_target_captured(config, singer_lines({"JournalEntries": entries}), tmp_path)
    assert run.returncode != 0
    assert box.control("GET", "faults") == []
    ids = [entry["id"] for entry in entries]
    assert Counter(r["record_id"] for r in run.results) == Counter(ids)
    outcomes = {r["record_id"]: r for r in run.results}
    # The first batch landed; the refused batch and everything after it did not.
    _assert_each_once(box, tag, ids[:BATCH])
    assert [outcomes[i]["outcome"] for i in ids[:BATCH]] == ["created"] * BATCH
    refused = [outcomes[i]["message"] for i in ids[BATCH : 2 * BATCH]]
    assert all("Invalid session" in m for m in refused), refused[0]
    assert all("refused again with a session obtained after" in m for m in refused), refused[0]
    later = [outcomes[i]["message"] for i in ids[2 * BATCH :]]
    assert all("not sent: an earlier error stops the run" in m for m in later), later[0]
    assert all("refused again with a session obtained after" in m for m in later), later[0]
    assert count_lines(run.stderr, SESSION_LINE) == 1 + MAX_SESSION_RENEWALS


@pytest.mark.parametrize("refusals", [1, 2, 3])
def test_target_survives_refusals_on_new_sessions_up_to_the_limit(
    sandbox_factory: Any, tmp_path: Path, refusals: int
) -> None:
    """Fault `session_expired` answers "Invalid session" to the next create requests
    whatever session they carry, as a gateway node that does not know a new session yet
    would: up to MAX_SESSION_RENEWALS refusals of one request cost that many logins,
    and all 120 entries land once (batch 20, 3 requests allowed in flight)."""
    box = sandbox_factory(max_concurrent=8)
    tag = f"SR{refusals}"
    entries = _journal_entries(tag, ENTRIES)
    box.fault("session_expired", count=refusals, function="create", obj=JOURNAL.obj)
    config = fast_target_config(box, batch_size=BATCH, max_concurrent_requests=3)
    run = run_target_captured(config, singer_lines({"JournalEntries": entries}), tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert box.control("GET", "faults") == []
    ids = [entry["id"] for entry in entries]
    _assert_each_once(box, tag, ids)
    assert {r["outcome"] for r in run.results} == {"created"}
    assert count_lines(run.stderr, SESSION_LINE) == 1 + refusals


def test_tap_survives_two_refusals_of_a_page_on_new_sessions(
    sandbox_factory: Any, suite_catalog: dict[str, Any]
) -> None:
    box = sandbox_factory(max_concurrent=8)
    catalog = select(suite_catalog, [STREAM])
    box.fault("session_expired", count=2, function="query", obj=OBJECT)
    config = fast_tap_config(box, page_size=100, include_deletes=False)
    run = run_tap_captured(config, catalog, label="session_expired twice")
    assert run.returncode == 0, run.stderr[-3000:]
    assert box.control("GET", "faults") == []
    sizes = assert_union_equals_sandbox(box, catalog, [run], [STREAM])
    assert sizes == {STREAM: 150}
    assert duplicates_in_run(run, STREAM) == []


@pytest.mark.parametrize("in_flight", [2, 3, 4])
def test_concurrent_writes_refused_in_one_burst_are_replayed_once_each(
    sandbox_factory: Any, in_flight: int
) -> None:
    """Several create requests of one client carry the session when it expires: each is
    refused, one login serves them all, and every replay (same controlids, uniqueid)
    creates its entries exactly once."""
    box = _burst_box(sandbox_factory)
    tag = f"CW{in_flight}"
    client = IntacctClient(
        ClientConfig.from_mapping(fast_tap_config(box, max_concurrent_requests=in_flight))
    )
    CAPTURE.session_ids.add(client._sessions.current().session_id)
    box.fault("expire_session", count=1, function="create", obj=JOURNAL.obj)
    per_request = ENTRIES // in_flight
    ids = [f"{tag}-JE{n:03d}" for n in range(1, per_request * in_flight + 1)]
    start = threading.Barrier(in_flight)

    def write(part: int) -> list[bool]:
        chunk = ids[part * per_request : (part + 1) * per_request]
        records = [("GLBATCH", _glbatch(ident)) for ident in chunk]
        start.wait()
        result = client.create(
            records, controlid=f"{tag}-{part}-{uuid.uuid4().hex[:6]}", unique_id=True
        )
        return [result.ok, result.replayed]

    try:
        with ThreadPoolExecutor(max_workers=in_flight) as pool:
            answers = list(pool.map(write, range(in_flight)))
        CAPTURE.session_ids.add(client._sessions.current().session_id)
        assert answers == [[True, False]] * in_flight
        assert client.login_count == 2
        assert client.call_counts["create"] == 2 * in_flight  # each refused, each replayed
        assert client.retry_count == 0
    finally:
        client.close()
    assert box.control("GET", "faults") == []
    _assert_each_once(box, tag, ids)


def _glbatch(ident: str) -> dict[str, Any]:
    amount = Decimal("12.50")
    return {
        "JOURNAL": "GJ",
        "BATCH_DATE": "03/31/2025",
        "BATCH_TITLE": f"Burst {ident}",
        "REFERENCENO": ident,
        "ENTRIES": {
            "GLENTRY": [
                {"ACCOUNTNO": "6100", "TR_TYPE": "1", "TRX_AMOUNT": amount},
                {"ACCOUNTNO": "2100", "TR_TYPE": "-1", "TRX_AMOUNT": amount},
            ]
        },
    }


def test_requests_on_a_session_the_fault_never_touched_are_answered(
    sandbox_factory: Any,
) -> None:
    """The fault expires one client's session: another client's requests pass, and the
    expired client's next request costs it one login."""
    box = sandbox_factory(max_concurrent=8)
    first = IntacctClient(ClientConfig.from_mapping(fast_tap_config(box)))
    second = IntacctClient(ClientConfig.from_mapping(fast_tap_config(box)))
    try:
        first.query("GLACCOUNT", ["RECORDNO"], page_size=1)
        second.query("GLACCOUNT", ["RECORDNO"], page_size=1)
        for client in (first, second):
            CAPTURE.session_ids.add(client._sessions.current().session_id)
        box.fault("expire_session", count=1, function="query", obj="GLACCOUNT")
        assert first.query("GLACCOUNT", ["RECORDNO"], page_size=2).count == 2
        assert first.login_count == 2
        # The fault is spent, and the second session was never expired by it.
        assert box.control("GET", "faults") == []
        assert second.query("GLACCOUNT", ["RECORDNO"], page_size=3).count == 3
        assert second.login_count == 1
        CAPTURE.session_ids.add(first._sessions.current().session_id)
    finally:
        first.close()
        second.close()
    with pytest.raises(IntacctSessionExpiredError):
        _refused_on_every_new_session(box)


def _refused_on_every_new_session(box: Any) -> None:
    client = IntacctClient(ClientConfig.from_mapping(fast_tap_config(box)))
    try:
        client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
        CAPTURE.session_ids.add(client._sessions.current().session_id)
        box.fault(
            "expire_session", count=1 + MAX_SESSION_RENEWALS, function="query", obj="GLACCOUNT"
        )
        client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    finally:
        client.close()


def test_a_login_request_never_uses_up_the_expiry(sandbox_factory: Any) -> None:
    """Queued before any session exists, the fault lets the login through and expires
    the session of the first request that carries one."""
    box = sandbox_factory(max_concurrent=8)
    box.fault("expire_session", count=1)
    client = IntacctClient(ClientConfig.from_mapping(fast_tap_config(box)))
    try:
        page = client.query("GLACCOUNT", ["RECORDNO", "ACCOUNTNO"], page_size=5)
        CAPTURE.session_ids.add(client._sessions.current().session_id)
        assert page.count == 5
        assert client.login_count == 2  # the first session expired at its first use
        assert client.call_counts["getAPISession"] == 2
        assert box.control("GET", "faults") == []
        expected = sorted(int(row["RECORDNO"]) for row in box.records("GLACCOUNT"))[:5]
        assert [int(row["RECORDNO"]) for row in page.records] == expected
    finally:
        client.close()
