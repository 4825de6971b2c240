"""The page scheduler on its own: memoised speculation, refused fields, look-ahead budget.

A scripted transport stands in for Intacct here so each call can be counted and held
back; the same scheduler runs against a real sandbox in test_prefetch.py and every
sync test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from intacct_client import IntacctFunctionError, IntacctUnqueryableFieldsError, QueryPage
from tap_intacct.pages import PageRequest
from tap_intacct.scheduler import FirstPage, PageScheduler

PAGE = 10


class ScriptedTransport:
    """Answers every request with `PAGE` rows numbered from its offset; may refuse fields."""

    max_page_size = 2000
    clock: Any = None

    def __init__(self, refuse: frozenset[str] = frozenset(), gate: bool = False) -> None:
        self.refuse = refuse
        self.sent: list[PageRequest] = []
        self.gate = threading.Event()
        if not gate:
            self.gate.set()
        self._lock = threading.Lock()

    @property
    def request_count(self) -> int:
        return len(self.sent)

    def fetch(self, request: PageRequest) -> QueryPage:
        with self._lock:
            self.sent.append(request)
        self.gate.wait(5)
        refused = [name for name in request.fields if name in self.refuse]
        if refused:
            raise IntacctUnqueryableFieldsError("cannot be queried", fields=tuple(refused))
        rows = [
            {name: str(request.offset + n) for name in request.fields}
            for n in range(request.page_size)
        ]
        return QueryPage(
            records=rows, total_count=100, offset=request.offset, count=len(rows), num_remaining=50
        )


def request(
    object_name: str = "VENDOR", offset: int = 0, fields: tuple[str, ...] = ("RECORDNO", "NAME")
) -> PageRequest:
    return PageRequest(
        object_name,
        fields,
        None,
        (("RECORDNO", "ascending"),),
        PAGE,
        offset=offset,
        protected=frozenset({"RECORDNO"}),
    )


@pytest.fixture
def transport() -> ScriptedTransport:
    return ScriptedTransport()


@pytest.fixture
def scheduler(transport: ScriptedTransport) -> Iterator[PageScheduler]:
    running = PageScheduler(transport, slots=2, page_size=PAGE)
    yield running
    running.close()


def test_a_request_made_ahead_is_handed_over_once_and_not_sent_again(
    scheduler: PageScheduler, transport: ScriptedTransport
) -> None:
    scheduler.speculate(request(), owner="vendor")
    page = scheduler.request(request()).result()
    assert [row["RECORDNO"] for row in page.records] == [str(n) for n in range(PAGE)]
    assert len(transport.sent) == 1
    # taken: the same request again is a new call
    scheduler.request(request()).result()
    assert len(transport.sent) == 2


def test_the_follow_up_is_requested_before_the_first_page_is_handed_over(
    scheduler: PageScheduler, transport: ScriptedTransport
) -> None:
    seen: list[int] = []

    def follow_up(page: QueryPage) -> PageRequest:
        seen.append(len(page.records))
        return request(offset=PAGE)

    scheduler.speculate(request(), owner="vendor", follow_up=follow_up)
    scheduler.request(request()).result()
    assert seen == [PAGE]
    assert scheduler.rows_held("vendor") == PAGE  # the follow-up: in flight or back
    second = scheduler.request(request(offset=PAGE)).result()
    assert second.records[0]["RECORDNO"] == str(PAGE)
    assert [sent.offset for sent in transport.sent] == [0, PAGE]


def test_refused_fields_are_dropped_once_for_every_later_request_of_the_object(
    transport: ScriptedTransport,
) -> None:
    transport.refuse = frozenset({"NAME"})
    scheduler = PageScheduler(transport, slots=2, page_size=PAGE)
    try:
        page = scheduler.request(request()).result()
        assert set(page.records[0]) == {"RECORDNO"}
        assert scheduler.refused("vendor") == {"NAME"}
        scheduler.request(request(offset=PAGE)).result()
        # one refused call, then every request goes out without the field
        assert [sent.fields for sent in transport.sent] == [
            ("RECORDNO", "NAME"),
            ("RECORDNO",),
            ("RECORDNO",),
        ]
        # other objects keep their fields
        scheduler.request(request("CUSTOMER", fields=("RECORDNO", "ADDRESS"))).result()
        assert transport.sent[-1].fields == ("RECORDNO", "ADDRESS")
    finally:
        scheduler.close()


def test_a_page_made_ahead_is_found_after_its_fields_were_refused(
    transport: ScriptedTransport,
) -> None:
    """The stream learns of the refusal only with the page, so it asks with the field."""
    transport.refuse = frozenset({"NAME"})
    scheduler = PageScheduler(transport, slots=2, page_size=PAGE)
    try:
        scheduler.speculate(request(), owner="vendor", follow_up=lambda _page: request(offset=PAGE))
        deadline = time.monotonic() + 5
        while scheduler.rows_held("vendor") < 2 * PAGE and time.monotonic() < deadline:
            time.sleep(0.01)  # the page is back and its follow-up requested
        assert scheduler.refused("VENDOR") == {"NAME"}
        first = scheduler.request(request()).result()
        assert set(first.records[0]) == {"RECORDNO"}
        # the stream's next request still names the field; the follow-up is handed over
        second = scheduler.request(request(offset=PAGE)).result()
        assert second.records[0]["RECORDNO"] == str(PAGE)
        assert [(sent.offset, sent.fields) for sent in transport.sent] == [
            (0, ("RECORDNO", "NAME")),
            (0, ("RECORDNO",)),
            (PAGE, ("RECORDNO",)),
        ]
    finally:
        scheduler.close()


def test_a_refused_protected_field_is_an_error(transport: ScriptedTransport) -> None:
    transport.refuse = frozenset({"RECORDNO"})
    scheduler = PageScheduler(transport, slots=1, page_size=PAGE)
    try:
        with pytest.raises(IntacctUnqueryableFieldsError):
            scheduler.request(request()).result()
        assert scheduler.refused("VENDOR") == frozenset()
    finally:
        scheduler.close()


def test_other_failures_of_a_speculative_page_reach_whoever_asks_for_it(
    scheduler: PageScheduler, transport: ScriptedTransport
) -> None:
    def broken(_request: PageRequest) -> QueryPage:
        raise IntacctFunctionError("refused by the gateway")

    transport.fetch = broken  # type: ignore[method-assign]
    scheduler.speculate(request(), owner="vendor")
    assert scheduler.rows_held("vendor") in (0, PAGE)
    with pytest.raises(IntacctFunctionError):
        scheduler.request(request()).result()


class Upcoming:
    def __init__(self, name: str) -> None:
        self.name = name
        self.planned = 0

    def first_page(self) -> FirstPage:
        self.planned += 1
        return FirstPage(request(self.name.upper()))


def test_look_ahead_stays_within_two_full_pages_per_slot_and_plans_each_stream_once() -> None:
    transport = ScriptedTransport(gate=True)  # calls stay in flight: each counts as full
    streams = [Upcoming(f"s{n}") for n in range(8)]
    scheduler = PageScheduler(transport, slots=2, page_size=PAGE, upcoming=lambda _name: streams)
    try:
        scheduler.look_ahead("current")
        scheduler.look_ahead("current")
        planned = [stream.name for stream in streams if stream.planned]
        assert planned == ["s0", "s1", "s2", "s3"]  # 2 pages x 2 slots
        assert all(stream.planned == 1 for stream in streams[:4])
        transport.gate.set()
        for stream in streams[:4]:
            page = scheduler.request(request(stream.name.upper())).result()
            assert len(page.records) == PAGE
        assert len(transport.sent) == 4
    finally:
        scheduler.close()


def test_release_forgets_pages_nobody_asked_for(transport: ScriptedTransport) -> None:
    transport.gate.clear()
    scheduler = PageScheduler(transport, slots=1, page_size=PAGE)
    try:
        scheduler.speculate(request(), owner="vendor")
        assert scheduler.rows_held("vendor") == PAGE
        scheduler.release("vendor")
        assert scheduler.rows_held("vendor") == 0
        scheduler.speculate(request(offset=PAGE), owner="vendor")  # after release: ignored
        assert scheduler.rows_held("vendor") == 0
    finally:
        transport.gate.set()
        scheduler.close()


def test_speculative_requests_never_hold_every_worker(transport: ScriptedTransport) -> None:
    """At most one speculative call per slot runs; the stream's own page goes at once."""
    transport.gate.clear()
    scheduler = PageScheduler(transport, slots=2, page_size=PAGE)
    try:
        for n in range(6):
            scheduler.speculate(request(f"AHEAD{n}"), owner=f"s{n}")
        deadline = time.monotonic() + 5
        while len(transport.sent) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
        assert {sent.object_name for sent in transport.sent} == {"AHEAD0", "AHEAD1"}
        own = scheduler.request(request("CURRENT"))
        while len(transport.sent) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert transport.sent[2].object_name == "CURRENT"
        transport.gate.set()
        assert len(own.result(timeout=5).records) == PAGE
        for n in range(6):
            page = scheduler.request(request(f"AHEAD{n}")).result(timeout=5)
            assert len(page.records) == PAGE
        assert len(transport.sent) == 7
    finally:
        transport.gate.set()
        scheduler.close()
