"""Unit tests of the tap's pure parts: selection, type mapping, casting, keyset paging.

The keyset tests page through an in-memory table with a tiny evaluator of the client's
filter tree that behaves like Intacct does on the points that matter: timestamps are
stored in UTC, filter literals are wall-clock times in the company zone read as their
first occurrence, results are ordered by (WHENMODIFIED, RECORDNO) with nulls at one end.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import random
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from intacct_client import (
    ErrorDetail,
    IntacctAuthenticationError,
    IntacctControlError,
    IntacctRateLimitError,
    IntacctTransportError,
    IntacctUnqueryableFieldsError,
    QueryPage,
    values,
)
from intacct_client.filters import Filter
from tap_intacct.casting import PageCaster, cast_integer, caster_for
from tap_intacct.deletes import key_value
from tap_intacct.errors import ActionableError, explain
from tap_intacct.keyset import IncrementalCursor, KeyCursor
from tap_intacct.pages import PageRequest, page_request, refused_fields
from tap_intacct.prefetch import pipelined_pages, request_after_first
from tap_intacct.scheduler import PageScheduler
from tap_intacct.schema import DELETED_AT, build_spec, json_type, spec_from_catalog_entry
from tap_intacct.selection import matches, missing_explicit_objects, select_objects

LA = "America/Los_Angeles"

# --- selection -------------------------------------------------------------------------


def test_globs_are_case_insensitive_and_exclusions_apply_after_inclusions() -> None:
    names = ["VENDOR", "GLACCOUNT", "GLDETAIL", "GLBATCH", "apbill", "MyCustomObj"]
    assert select_objects(names, ["vendor", "gl*"], None) == [
        "VENDOR",
        "GLACCOUNT",
        "GLDETAIL",
        "GLBATCH",
    ]
    assert select_objects(names, ["GL*"], ["gldetail"]) == ["GLACCOUNT", "GLBATCH"]
    assert select_objects(names, None, ["*"]) == []
    assert select_objects(names, [], None) == names
    assert select_objects(names, ["APBILL", "mycustom*"], None) == ["apbill", "MyCustomObj"]
    assert matches("GLDETAIL", ["g?etail"]) is False
    assert matches("GLDETAIL", ["gl?etail"]) is True


def test_explicit_object_names_that_do_not_exist_are_reported() -> None:
    assert missing_explicit_objects(["VENDOR"], ["vendor", "NOPE", "GL*"]) == ["NOPE"]


# --- type mapping ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("datatype", "expected"),
    [
        ("INTEGER", {"type": ["integer", "null"]}),
        ("DECIMAL", {"type": ["number", "null"]}),
        ("CURRENCY", {"type": ["number", "null"]}),
        ("PERCENT", {"type": ["number", "null"]}),
        ("BOOLEAN", {"type": ["boolean", "null"]}),
        ("DATE", {"type": ["string", "null"], "format": "date"}),
        ("TIMESTAMP", {"type": ["string", "null"], "format": "date-time"}),
        ("TEXT", {"type": ["string", "null"]}),
        ("ENUM", {"type": ["string", "null"]}),
        ("SOMETHINGNEW", {"type": ["string", "null"]}),
    ],
)
def test_datatype_mapping(datatype: str, expected: dict[str, Any]) -> None:
    assert json_type(datatype) == expected


def test_spec_keys_replication_and_deleted_at() -> None:
    spec = build_spec(
        "VENDOR",
        [("RECORDNO", "INTEGER"), ("VENDORID", "TEXT"), ("WHENMODIFIED", "TIMESTAMP")],
    )
    assert spec.stream_name == "vendor"
    assert spec.key_properties == ("RECORDNO",)
    assert spec.replication_key == "WHENMODIFIED"
    assert DELETED_AT in spec.schema["properties"]
    assert spec.query_fields == ("RECORDNO", "VENDORID", "WHENMODIFIED")

    full = build_spec("COMPANYPREF", [("RECORDNO", "INTEGER"), ("VALUE", "TEXT")])
    assert full.replication_key is None
    assert DELETED_AT not in full.schema["properties"]


def test_spec_round_trips_through_a_catalog_entry() -> None:
    entry = {
        "tap_stream_id": "my_obj",
        "stream": "my_obj",
        "table_name": "My_Obj",
        "key_properties": ["RECORDNO"],
        "replication_key": "WHENMODIFIED",
        "schema": {
            "type": "object",
            "properties": {
                "RECORDNO": {"type": ["integer", "null"]},
                "WHENMODIFIED": {"type": ["string", "null"], "format": "date-time"},
                DELETED_AT: {"type": ["string", "null"], "format": "date-time"},
            },
        },
        "metadata": [],
    }
    spec = spec_from_catalog_entry(entry)
    assert spec.object_name == "My_Obj"
    assert spec.query_fields == ("RECORDNO", "WHENMODIFIED")
    assert spec.replication_key == "WHENMODIFIED"


# --- casting ---------------------------------------------------------------------------


def bill_caster() -> PageCaster:
    """A caster over one field of each kind (integer, money, boolean, date, timestamp, text)."""
    spec = build_spec(
        "APBILL",
        [
            ("RECORDNO", "INTEGER"),
            ("TOTALDUE", "CURRENCY"),
            ("ONHOLD", "BOOLEAN"),
            ("WHENDUE", "DATE"),
            ("WHENMODIFIED", "TIMESTAMP"),
            ("STATE", "TEXT"),
        ],
    )
    return PageCaster(spec.schema, spec.query_fields, LA)


def test_page_caster_types_every_field_once() -> None:
    caster = bill_caster()
    rows = caster.cast_page(
        [
            {
                "RECORDNO": "12",
                "TOTALDUE": "1234.50",
                "ONHOLD": "false",
                "WHENDUE": "01/31/2026",
                "WHENMODIFIED": "07/04/2026 10:00:00",
                "STATE": "Posted",
            },
            {"RECORDNO": "13", "TOTALDUE": "", "ONHOLD": "T", "WHENMODIFIED": None},
        ]
    )
    assert rows[0] == {
        "RECORDNO": 12,
        "TOTALDUE": Decimal("1234.50"),
        "ONHOLD": False,
        "WHENDUE": "2026-01-31",
        "WHENMODIFIED": "2026-07-04T17:00:00+00:00",
        "STATE": "Posted",
    }
    assert isinstance(rows[0]["TOTALDUE"], Decimal)
    assert rows[1] == {
        "RECORDNO": 13,
        "TOTALDUE": None,
        "ONHOLD": True,
        "WHENDUE": None,
        "WHENMODIFIED": None,
        "STATE": None,
    }


def test_timestamps_use_the_offset_in_force_on_that_day() -> None:
    cast = caster_for({"type": ["string", "null"], "format": "date-time"}, LA)
    assert cast is not None
    assert cast("01/15/2026 08:00:00") == "2026-01-15T16:00:00+00:00"  # PST, UTC-8
    assert cast("07/15/2026 08:00:00") == "2026-07-15T15:00:00+00:00"  # PDT, UTC-7


def test_integer_caster_accepts_integral_decimals() -> None:
    assert cast_integer("12.0") == 12
    assert cast_integer(" 7 ") == 7


def test_dropping_refused_fields() -> None:
    spec = build_spec("X", [("RECORDNO", "INTEGER"), ("A", "TEXT"), ("B", "TEXT")])
    caster = PageCaster(spec.schema, spec.query_fields, "UTC")
    caster.drop_fields(["B"])
    assert caster.fields == ("RECORDNO", "A")
    assert caster.cast_record({"RECORDNO": "1", "A": "a", "B": "b"}) == {"RECORDNO": 1, "A": "a"}


def test_in_place_casting_matches_the_copying_caster() -> None:
    caster = bill_caster()
    full = {
        "RECORDNO": "12",
        "TOTALDUE": "1234.50",
        "ONHOLD": "false",
        "WHENDUE": "01/31/2026",
        "WHENMODIFIED": "07/04/2026 10:00:00",
        "STATE": None,
    }
    pages = [
        dict(full),  # exactly the selected fields: typed in its own dict
        {**full, "TOTALDUE": ""},  # an empty typed value: None
        {"RECORDNO": "13", "STATE": "Draft"},  # fields missing: copied, filled with None
        {**full, "EXTRA": "x"},  # a field nobody asked for: copied without it
    ]
    expected = [caster.cast_record(dict(raw)) for raw in pages]
    inputs = [dict(raw) for raw in pages]
    got = caster.cast_page(inputs)
    assert got == expected
    assert got[0] is inputs[0]
    assert got[1]["TOTALDUE"] is None
    assert got[2]["TOTALDUE"] is None
    assert got[2]["ONHOLD"] is None
    assert "EXTRA" not in got[3]
    # a page whose first row does not fit is copied row by row
    odd_first = [{"RECORDNO": "14"}, dict(full)]
    assert caster.cast_page([dict(r) for r in odd_first]) == [
        caster.cast_record(dict(r)) for r in odd_first
    ]
    assert isinstance(got[0]["TOTALDUE"], Decimal)
    assert got[0]["ONHOLD"] is False


def test_refused_fields_are_named_as_selected_and_keys_are_never_dropped() -> None:
    fields = ("RECORDNO", "WhenModified", "PAYTOCONTACTNAME")
    request = PageRequest("APBILL", fields, None, (), 10, protected=frozenset({"RECORDNO"}))
    error = IntacctUnqueryableFieldsError("refused", fields=("paytocontactname", "OTHER"))
    assert refused_fields(request, error) == ["PAYTOCONTACTNAME"]
    with pytest.raises(IntacctUnqueryableFieldsError):
        refused_fields(request, IntacctUnqueryableFieldsError("x", fields=("OTHER",)))
    key_refused = IntacctUnqueryableFieldsError("x", fields=("RECORDNO",))
    both = dataclasses.replace(request, protected=frozenset({"RECORDNO", "WhenModified"}))
    with pytest.raises(IntacctUnqueryableFieldsError):
        refused_fields(both, key_refused)
    assert both == request  # what a request protects is not part of its identity


def test_audit_object_keys() -> None:
    assert key_value("123") == 123
    assert key_value("123--REC") == 123
    assert key_value("V-100") == "V-100"


# --- errors ----------------------------------------------------------------------------


def test_actionable_errors_pass_through_and_others_are_not_explained() -> None:
    assert explain(ActionableError("fix objects"), {}) == "fix objects"
    assert explain(ValueError("boom"), {}) is None


# --- keyset paging against an in-memory Intacct ----------------------------------------


@dataclass
class Row:
    recordno: int
    modified: datetime | None  # true UTC instant (None = never modified)


@functools.lru_cache(maxsize=10000)
def _parse_cached(text: str, tz: str) -> datetime | None:
    return values.parse_timestamp(text, tz)


class FakeQuery:
    """query() over rows with Intacct's filter/ordering semantics (see module docstring)."""

    def __init__(self, rows: list[Row], tz: str, *, nulls_first: bool) -> None:
        self.rows = rows
        self.tz = tz
        self.nulls_first = nulls_first
        self.calls = 0

    def wire(self, row: Row) -> str | None:
        return None if row.modified is None else values.format_timestamp(row.modified, self.tz)

    def _literal(self, field: str, text: Any) -> Any:
        if field == "WHENMODIFIED":
            return _parse_cached(str(text), self.tz)
        return int(text)

    def _value(self, row: Row, field: str) -> Any:
        return row.modified if field == "WHENMODIFIED" else row.recordno

    def matches(self, node: Filter, row: Row) -> bool:
        if node.operator == "and":
            return all(self.matches(child, row) for child in node.children)
        if node.operator == "or":
            return any(self.matches(child, row) for child in node.children)
        assert node.field is not None
        value = self._value(row, node.field)
        if node.operator == "isnull":
            return value is None
        if value is None:
            return False
        literal = self._literal(node.field, node.values[0])
        return {
            "equalto": value == literal,
            "greaterthan": value > literal,
            "greaterthanorequalto": value >= literal,
            "lessthanorequalto": value <= literal,
            "lessthan": value < literal,
        }[node.operator]

    def query(self, flt: Filter | None, page_size: int, offset: int) -> tuple[list[dict], int]:
        self.calls += 1
        hits = [row for row in self.rows if flt is None or self.matches(flt, row)]
        far = datetime.max.replace(tzinfo=timezone.utc)
        near = datetime.min.replace(tzinfo=timezone.utc)
        null_at = near if self.nulls_first else far
        hits.sort(key=lambda row: (row.modified or null_at, row.recordno))
        page = hits[offset : offset + page_size]
        remaining = max(0, len(hits) - offset - len(page))
        records = [
            {"RECORDNO": str(row.recordno), "WHENMODIFIED": self.wire(row) or ""} for row in page
        ]
        return records, remaining


def run_pass(
    server: FakeQuery,
    *,
    upper: datetime,
    lower: datetime | None = None,
    page_size: int = 20,
    between_pages: Any = None,
) -> list[int]:
    """Page an incremental pass to the end; returns emitted RECORDNOs in order."""
    cursor = IncrementalCursor(
        key_field="RECORDNO",
        upper=values.format_timestamp(upper, server.tz),
        lower=None if lower is None else values.format_timestamp(lower, server.tz),
        parse_modified=lambda text: values.parse_timestamp(text, server.tz),
    )
    emitted: list[int] = []
    pages = 0
    while not cursor.finished:
        records, remaining = server.query(cursor.filter(), page_size, cursor.offset)
        emitted += [int(r["RECORDNO"]) for r in cursor.advance(records, remaining)]
        pages += 1
        assert pages < 1000, "pass did not terminate"
        if between_pages is not None:
            between_pages(pages)
    return emitted


T0 = datetime(2026, 3, 2, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("nulls_first", [True, False])
def test_sixty_rows_sharing_one_second_cross_page_boundaries(nulls_first: bool) -> None:
    rows = [Row(n, T0) for n in range(1, 61)] + [
        Row(n, T0 + timedelta(seconds=1)) for n in range(61, 71)
    ]
    rows += [Row(n, None) for n in range(71, 76)]
    random.Random(1).shuffle(rows)
    server = FakeQuery(rows, LA, nulls_first=nulls_first)
    emitted = run_pass(server, upper=T0 + timedelta(hours=1), page_size=20)
    assert sorted(emitted) == list(range(1, 76))
    assert len(emitted) == len(set(emitted))
    assert server.calls == 4  # 75 rows / 20 per page, no wasted call


def test_upper_bound_and_lower_bound_are_inclusive() -> None:
    rows = [
        Row(1, T0 - timedelta(seconds=1)),
        Row(2, T0),
        Row(3, T0 + timedelta(hours=1)),
        Row(4, T0 + timedelta(hours=1, seconds=1)),
    ]
    server = FakeQuery(rows, LA, nulls_first=True)
    emitted = run_pass(server, lower=T0, upper=T0 + timedelta(hours=1))
    assert emitted == [2, 3]


def test_rows_touched_between_pages_are_left_for_the_next_run_not_lost() -> None:
    rows = [Row(n, T0 + timedelta(seconds=n)) for n in range(1, 101)]
    server = FakeQuery(rows, "UTC", nulls_first=True)
    upper = T0 + timedelta(minutes=10)
    touched_at = upper + timedelta(seconds=5)

    def touch(page: int) -> None:
        if page == 2:  # modify rows already emitted and rows not yet read
            for row in rows:
                if row.recordno in (5, 50, 90):
                    row.modified = touched_at

    first = run_pass(server, upper=upper, between_pages=touch)
    assert set(first) == set(range(1, 101)) - {50, 90}
    second = run_pass(server, lower=upper - timedelta(minutes=1), upper=touched_at)
    assert {5, 50, 90} <= set(second)


def test_dst_fall_back_hour_neither_loops_nor_duplicates() -> None:
    # 2026-11-01 01:00-02:00 happens twice in Los Angeles (08:00-10:00 UTC).
    start = datetime(2026, 11, 1, 8, 0, 0, tzinfo=timezone.utc)
    rows = [Row(n, start + timedelta(seconds=50 * n)) for n in range(1, 121)]  # ~100 minutes
    random.Random(2).shuffle(rows)
    server = FakeQuery(rows, LA, nulls_first=False)
    emitted = run_pass(server, upper=start + timedelta(hours=3), page_size=10)
    assert sorted(emitted) == list(range(1, 121))
    assert len(emitted) == len(set(emitted))


def test_full_table_key_cursor() -> None:
    cursor = KeyCursor(key_field="RECORDNO")
    assert cursor.filter() is None
    fresh = cursor.advance([{"RECORDNO": "1"}, {"RECORDNO": "2"}], num_remaining=3)
    assert [r["RECORDNO"] for r in fresh] == ["1", "2"]
    node = cursor.filter()
    assert node is not None
    assert node.render() == "<greaterthan><field>RECORDNO</field><value>2</value></greaterthan>"
    cursor.advance([{"RECORDNO": "3"}], num_remaining=0)
    assert cursor.finished


def test_first_incremental_filter_renders_bounds_and_null_branch() -> None:
    cursor = IncrementalCursor(
        key_field="RECORDNO", upper="03/02/2026 04:00:00", lower="03/01/2026 04:00:00"
    )
    xml = cursor.filter().render()
    assert xml == (
        "<or><and>"
        "<greaterthanorequalto><field>WHENMODIFIED</field><value>03/01/2026 04:00:00</value>"
        "</greaterthanorequalto>"
        "<lessthanorequalto><field>WHENMODIFIED</field><value>03/02/2026 04:00:00</value>"
        "</lessthanorequalto></and>"
        "<isnull><field>WHENMODIFIED</field></isnull></or>"
    )


@pytest.mark.parametrize(
    ("error", "setting"),
    [
        (
            IntacctControlError(
                errors=[
                    ErrorDetail("XL03000006", "", "Incorrect Intacct XML Partner ID or password.")
                ]
            ),
            "sender_password",
        ),
        (
            IntacctAuthenticationError(
                errors=[
                    ErrorDetail(
                        "XL03000006",
                        "Invalid Web Services Authorization",
                        "The sender ID 'S' is not authorized to make Web Services requests "
                        "to company ID 'C'.",
                    )
                ]
            ),
            "company_id",
        ),
        (
            IntacctAuthenticationError(
                errors=[ErrorDetail("XL03000006", "", "Sign-in information is incorrect")]
            ),
            "user_password",
        ),
        (
            IntacctControlError(
                errors=[
                    ErrorDetail("PL04000055", "", "This company is a demo company and has expired.")
                ]
            ),
            "company_id",
        ),
        (IntacctRateLimitError("GW-0010 too many"), "max_concurrent_requests"),
        (IntacctTransportError("connection refused"), "api_url"),
    ],
)
def test_user_fixable_intacct_errors_name_the_setting(error: Exception, setting: str) -> None:
    advice = explain(error, {"company_id": "C", "sender_id": "S", "user_id": "U"})
    assert advice is not None
    assert setting in advice
    assert "\n" not in advice


# --- several pages in flight (prefetch) --------------------------------------------------


def fake_fetch(server: FakeQuery, before_call: Any = None) -> Any:
    """`fetch_page` over the in-memory table; `before_call(n)` may change rows first."""

    def fetch(request: PageRequest) -> QueryPage:
        if before_call is not None:
            before_call(server.calls)
        records, remaining = server.query(request.filter, request.page_size, request.offset)
        return QueryPage(
            records=records,
            total_count=request.offset + len(records) + remaining,
            offset=request.offset,
            count=len(records),
            num_remaining=remaining,
        )

    return fetch


class FakeTransport:
    """A `Transport` over the in-memory table, counting calls like the sandbox would.

    The scheduler's workers call it concurrently; each call (the change made before it,
    then the query) runs alone, as each call to Intacct answers from one consistent
    state of the data. The order of the calls is the workers'.
    """

    max_page_size = 2000

    def __init__(self, server: FakeQuery, before_call: Any = None) -> None:
        self._fetch = fake_fetch(server, before_call)
        self._lock = threading.Lock()
        self.clock: Any = None
        self.request_count = 0

    def fetch(self, request: PageRequest) -> QueryPage:
        with self._lock:
            return self._fetch(request)


def run_pipelined(
    server: FakeQuery,
    *,
    upper: datetime,
    page_size: int,
    width: int,
    before_call: Any = None,
    ahead: bool = False,
) -> list[int]:
    """Page the table through the run's scheduler, as a stream does.

    With `ahead`, the first page is requested ahead of the stream together with its
    follow-up (`look_ahead`), and the stream then asks for both.
    """
    cursor = IncrementalCursor(
        key_field="RECORDNO",
        upper=values.format_timestamp(upper, server.tz),
        parse_modified=lambda text: values.parse_timestamp(text, server.tz),
    )
    scheduler = PageScheduler(FakeTransport(server, before_call), slots=width, page_size=page_size)

    def next_request(moving: Any = cursor) -> PageRequest:
        return page_request("X", ["RECORDNO", "WHENMODIFIED"], moving, page_size, True)

    if ahead:
        first = next_request()
        follow_up = request_after_first(cursor, first, next_request)
        scheduler.speculate(first, owner="x", follow_up=follow_up)
        held = scheduler.rows_held("x")
        assert 0 < held <= 2 * page_size
    emitted: list[int] = []
    try:
        for fresh in pipelined_pages(
            cursor,
            key_field="RECORDNO",
            next_request=next_request,
            request=scheduler.request,
            width=width,
        ):
            emitted += [int(r["RECORDNO"]) for r in fresh]
    finally:
        scheduler.close()
    return emitted


def test_batches_of_pages_cover_every_row_once_with_few_calls() -> None:
    rows = [Row(n, T0 + timedelta(seconds=n // 7)) for n in range(1, 1001)]
    server = FakeQuery(rows, LA, nulls_first=True)
    emitted = run_pipelined(server, upper=T0 + timedelta(hours=1), page_size=20, width=3)
    assert emitted == sorted(emitted, key=lambda n: (n // 7, n))
    assert sorted(emitted) == list(range(1, 1001))
    assert server.calls <= math.ceil(1000 / 19) + 1


@pytest.mark.parametrize("seed", range(8))
def test_rows_changing_between_speculative_calls_never_cause_a_skip(seed: int) -> None:
    rng = random.Random(seed)
    upper = T0 + timedelta(hours=1)
    rows = [Row(n, T0 + timedelta(seconds=rng.randrange(600))) for n in range(1, 401)]
    server = FakeQuery(rows, "UTC", nulls_first=False)
    changed: set[int] = set()

    def mutate(_call: int) -> None:
        if rng.random() < 0.5:
            victim = rng.choice(rows)
            changed.add(victim.recordno)
            if rng.random() < 0.5:
                victim.modified = upper + timedelta(seconds=5)  # touched: leaves the window
            else:
                rows.remove(victim)  # deleted
                server.rows = rows

    emitted = run_pipelined(server, upper=upper, page_size=10, width=4, before_call=mutate)
    assert len(emitted) == len(set(emitted))
    untouched = {row.recordno for row in rows if row.recordno not in changed}
    assert untouched <= set(emitted)


@pytest.mark.parametrize("seed", range(8))
def test_follow_up_page_requested_with_the_first_never_causes_a_skip(seed: int) -> None:
    """The scheduler requests a stream's second page right after its first (the
    cursor's next request, told from a copy of it); rows may change before either is
    used."""
    rng = random.Random(seed)
    upper = T0 + timedelta(hours=1)
    rows = [Row(n, T0 + timedelta(seconds=rng.randrange(300))) for n in range(1, 301)]
    server = FakeQuery(rows, "UTC", nulls_first=bool(seed % 2))
    changed: set[int] = set()

    def mutate(call: int) -> None:
        if call == 1 or rng.random() < 0.3:  # always between the first page and its follow-up
            victim = rng.choice(rows)
            changed.add(victim.recordno)
            rows.remove(victim)
            server.rows = rows

    emitted = run_pipelined(
        server, upper=upper, page_size=10, width=3, before_call=mutate, ahead=True
    )
    assert len(emitted) == len(set(emitted))
    untouched = {row.recordno for row in rows if row.recordno not in changed}
    assert untouched <= set(emitted)


def test_follow_up_page_costs_no_extra_call_when_nothing_changes() -> None:
    rows = [Row(n, T0 + timedelta(seconds=n // 7)) for n in range(1, 1001)]
    plain = FakeQuery(rows, LA, nulls_first=True)
    base = run_pipelined(plain, upper=T0 + timedelta(hours=1), page_size=20, width=3)
    ahead = FakeQuery(rows, LA, nulls_first=True)
    emitted = run_pipelined(ahead, upper=T0 + timedelta(hours=1), page_size=20, width=3, ahead=True)
    assert emitted == base
    assert sorted(emitted) == list(range(1, 1001))
    assert ahead.calls == plain.calls


def test_progress_lines_name_records_rate_and_calls(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from tap_intacct.progress import StreamProgress

    logger = logging.getLogger("tap-intacct.test-progress")
    calls = iter([3, 5])
    every = StreamProgress(logger, "gldetail", lambda: next(calls), every_s=0.0)
    with caplog.at_level(logging.INFO, logger=logger.name):
        assert every.page_done(2000)
        assert every.page_done(4000)
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith("gldetail: 2000 records so far, ")
    assert lines[1].endswith("records/s, 5 API calls made by the tap")
    quiet = StreamProgress(logger, "gldetail", lambda: 0, every_s=3600.0)
    assert not quiet.page_done(2000)
