"""One stream per Intacct object: keyset pages, typed records, page-level checkpoints.

State (SDK layout, `bookmarks.<stream>`):
- `replication_key_value`: WHENMODIFIED (UTC ISO-8601) of the last emitted row. The SDK
  advances it per record (`is_sorted`: pages come in (WHENMODIFIED, RECORDNO) order),
  and a STATE message is written after every completed page, so a killed run restarted
  from its last STATE re-reads from `bookmark - lookback_minutes` and loses nothing.
- `null_modified_after`: RECORDNO of the last emitted row whose WHENMODIFIED is null.
  Such rows are read in the same query calls (see `keyset`); new ones have higher
  RECORDNOs, so later runs read only those.

Deletes are emitted first (before any row of the run), so the bookmark never moves past
deletions that were not yet emitted; their window is (start bookmark - lookback, run
start], which chains run to run without gaps.

Line objects (`key_census`) also keep `live_keys`, the RECORDNOs the tap knows to be
live as `[[lo, hi], ...]`, as of the last finished census. Keys emitted during a run are
gathered in memory and `live_keys_open` is set; after the last page the census emits
deletes for keys Intacct no longer has, then stores the new set, clears the flag and
writes STATE. A run stopped in between emits those deletes again next time, and its
successor reads the keys above the stored maximum once (keys only) to rebuild the set.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from intacct_client import IntacctObjectNotFoundError, IntacctPermissionError
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.mapper import SameRecordTransform
from singer_sdk.singerlib import RecordMessage

from tap_intacct.casting import PageCaster, PageCasting, utc_iso
from tap_intacct.deletes import key_value
from tap_intacct.key_census import (
    LINE_OBJECTS,
    OPEN_KEY,
    STATE_KEY,
    CensusResult,
    KeyQueries,
    KeyRanges,
    read_above,
    take_census,
)
from tap_intacct.keyset import IncrementalCursor, KeyCursor, OffsetCursor
from tap_intacct.pages import PageRequest, page_request
from tap_intacct.prefetch import pipelined_pages, request_after_first
from tap_intacct.progress import StreamProgress
from tap_intacct.scheduler import FirstPage, PageScheduler
from tap_intacct.schema import DELETED_AT, StreamSpec
from tap_intacct.sdk_hooks import HookedStream
from tap_intacct.selection import matches

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_intacct.tap import RunOwner, TapIntacct

NULL_BOOKMARK = "null_modified_after"
# Emitted keys gathered before they are merged into the in-memory key set.
KEYS_GATHERED = 100_000
Cursor = IncrementalCursor | KeyCursor | OffsetCursor


@dataclass
class _Start:
    """The caster, cursor and first request a stream starts with (built once)."""

    caster: PageCasting
    cursor: Cursor
    first: FirstPage


def parse_bookmark(value: Any) -> datetime | None:
    """ISO-8601 bookmark -> aware UTC datetime (naive values are UTC)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


class IntacctStream(HookedStream):
    """Records of one Intacct object."""

    is_sorted = True
    # The lookback re-reads rows older than the bookmark on purpose, so the SDK's
    # "never below the previous value" check would reject correct runs.
    check_sorted = False
    # Values are cast to their final JSON form once per page (casting.PageCaster).
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE
    # Streams holding every row of their object may find deletes by key census.
    key_census_applies = True

    def __init__(self, tap: TapIntacct, spec: StreamSpec) -> None:
        super().__init__(tap, schema=spec.schema, name=spec.stream_name)
        self.spec = spec
        self._run: RunOwner = tap
        self.primary_keys = list(spec.key_properties)
        self.replication_key = spec.replication_key
        self.forced_replication_method = "INCREMENTAL" if spec.replication_key else "FULL_TABLE"
        self.records_emitted = 0
        self._start: _Start | None = None
        self.deletes_emitted = 0
        self._page_extracted_at = datetime.now(timezone.utc)
        self._page_bookmark_row: dict[str, Any] | None = None
        self._plain_emission_ok: bool | None = None
        self._live_keys: KeyRanges | None = None
        self._emitted_keys: array[int] = array("q")
        self._read_above: int | None = None  # keys above this are read once (set incomplete)
        self.census: CensusResult | None = None
        self._set_from_this_run = False

    @property
    def scheduler(self) -> PageScheduler:
        """The run's page scheduler: the only way this stream reaches Intacct."""
        return self._run.scheduler

    # --- catalog -----------------------------------------------------------------

    def catalog_table_name(self) -> str | None:
        """The catalog entry's table is the Intacct object the stream reads."""
        return self.spec.object_name

    @property
    def is_incremental(self) -> bool:
        """WHENMODIFIED replication (else a full-table pass)."""
        return bool(self.replication_key) and self.replication_method == "INCREMENTAL"

    @property
    def captures_deletes(self) -> bool:
        """Incremental, `include_deletes` on, and `_sdc_deleted_at` in the schema."""
        return (
            self.is_incremental
            and bool(self.config.get("include_deletes", True))
            and DELETED_AT in self.effective_schema.get("properties", {})
        )

    @property
    def uses_key_census(self) -> bool:
        """Whether deletes are also found by key census.

        True for a line object (or one named in
        `key_census_objects`) with an integer key, whose deletes are captured.
        """
        if not self.key_census_applies or not self.captures_deletes or not self.spec.key_field:
            return False
        key_schema = self.effective_schema.get("properties", {}).get(self.spec.key_field, {})
        if "integer" not in key_schema.get("type", []):
            return False
        patterns = [*LINE_OBJECTS, *(self.config.get("key_census_objects") or [])]
        return matches(self.spec.object_name, patterns)

    def query_fields(self) -> list[str]:
        """Selected Intacct fields, always with the key and WHENMODIFIED."""
        properties = self.effective_schema.get("properties", {})
        required = set(self.primary_keys)
        if self.replication_key:
            required.add(self.replication_key)
        fields = []
        for name in properties:
            if name.startswith("_sdc_"):
                continue
            if name in required or self.mask.get(("properties", name), True):
                fields.append(name)
        return fields

    # --- bounds ------------------------------------------------------------------

    def lower_bound(self) -> datetime | None:
        """Bookmark minus lookback, never before start_date; None = all history."""
        state = self.get_context_state(None)
        lower: datetime | None = None
        if state.get("replication_key") in (None, self.replication_key):
            bookmark = parse_bookmark(state.get("replication_key_value"))
            if bookmark is not None:
                lower = bookmark - timedelta(minutes=int(self.config.get("lookback_minutes") or 0))
        start = parse_bookmark(self.config.get("start_date"))
        if start is not None and (lower is None or start > lower):
            lower = start
        return lower

    # --- sync --------------------------------------------------------------------

    def first_page(self) -> FirstPage:
        """This stream's first request, and how to tell the one after it from its page.

        Built once: the caster and cursor are kept for `get_records`, so a page the
        scheduler requests ahead is exactly the one the stream asks for. Only keyset
        cursors get a follow-up: their next request depends on the page alone.
        """
        return self._starting().first

    def make_caster(self) -> PageCasting:
        """The caster of this stream's pages (XML text values to Singer values)."""
        return PageCaster(self.effective_schema, self.query_fields(), self.scheduler.clock.wire)

    def _starting(self) -> _Start:
        if self._start is None:
            caster = self.make_caster()
            cursor = self._new_cursor(caster)
            request = self._next_request(cursor, caster)
            follow_up = None
            if not isinstance(cursor, OffsetCursor):
                follow_up = request_after_first(
                    cursor, request, lambda probe: self._next_request(probe, caster)
                )
            self._start = _Start(caster, cursor, FirstPage(request, follow_up))
        return self._start

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Deletes first (incremental streams), then every page of rows.

        The first page is requested before the deletions are read (unless it was
        requested ahead, while the stream before this one ran), so the two calls
        overlap; then the next streams' first pages are requested (`look_ahead`).
        """
        scheduler = self.scheduler
        start = self._starting()
        scheduler.first_page(self)
        caster, cursor = start.caster, start.cursor
        progress = StreamProgress(self.logger, self.name, lambda: scheduler.request_count)
        census = isinstance(cursor, IncrementalCursor) and self.uses_key_census
        if census:
            self._load_live_keys()
        if isinstance(cursor, IncrementalCursor) and self.captures_deletes:
            yield from self._deleted_records()
        # While this stream's first page is alone in flight (its row count, and so its
        # next pages, are unknown until it returns), the free request slots fetch the
        # first pages of the streams that come next.
        scheduler.look_ahead(self.name)
        try:
            for fresh in self._pages(cursor, caster):
                self._drop_refused(caster)
                rows = caster.cast_page(fresh)
                self._page_extracted_at = datetime.now(timezone.utc)
                self._page_bookmark_row = self._last_dated(rows)
                yield from rows
                self.records_emitted += len(rows)
                self._checkpoint(rows)
                progress.page_done(self.records_emitted)
                scheduler.look_ahead(self.name)
            if census:
                yield from self._census_deletes()
        except (IntacctPermissionError, IntacctObjectNotFoundError) as exc:
            self.logger.warning("Skipping stream %s: %s", self.name, exc)
        finally:
            scheduler.release(self.name)
            # The cursor and caster hold per-stream caches; the run goes on without them.
            self._start = None

    # --- key census (line objects) ----------------------------------------------------

    def _load_live_keys(self) -> None:
        """The set of the last finished census, and whether part of it must be read.

        A first run from nothing builds the set from its rows (no extra call). Without a
        stored set otherwise (older STATE, `start_date`), or after a run that stopped
        before its census, the keys above the stored maximum are read once.
        """
        state = self.get_context_state(None)
        kept = KeyRanges.from_state(state.get(STATE_KEY))
        if kept is None:
            from_nothing = (
                not state.get("replication_key_value")
                and state.get(NULL_BOOKMARK) is None
                and not self.config.get("start_date")
            )
            self._live_keys = KeyRanges()
            self._read_above = None if from_nothing else -1
            self._set_from_this_run = from_nothing
            return
        self._live_keys = kept
        if state.get(OPEN_KEY):
            self._read_above = kept.max() if len(kept) else -1

    def _census_deletes(self) -> Iterator[dict[str, Any]]:
        """Deletes of known keys Intacct no longer has (after this run's rows), then STATE."""
        known = self._live_keys
        key_field = self.spec.key_field
        if known is None or not key_field:
            return
        known.add(self._emitted_keys)
        self._emitted_keys = array("q")
        if not len(known):
            if self._read_above is None:
                self._store_live_keys()  # an empty object, read whole: the set is empty
            return
        scheduler = self.scheduler
        queries = KeyQueries(
            scheduler.fetch,
            self.spec.object_name,
            key_field,
            scheduler.page_size,
            self.show_private,
        )
        result = CensusResult()
        if self._read_above is not None:
            result = read_above(known, queries.read_keys, self._read_above)
            known.discard(result.deleted)
            known.add(result.unknown)
        # A set built from nothing by this run's own rows needs no count: the next run's
        # census checks it (a first full sync costs no census call).
        counted = (
            CensusResult()
            if self._set_from_this_run
            else take_census(known, queries.count, queries.read_keys, scheduler.page_size)
        )
        known.discard(counted.deleted)
        known.add(counted.unknown)
        result = CensusResult(
            deleted=sorted(result.deleted + counted.deleted),
            unknown=sorted(result.unknown + counted.unknown),
            count_calls=result.count_calls + counted.count_calls,
            key_calls=result.key_calls + counted.key_calls,
        )
        deleted_at = utc_iso(scheduler.clock.run_started_at)
        for key in result.deleted:
            self.deletes_emitted += 1
            yield {key_field: key, DELETED_AT: deleted_at}
        self._read_above = None
        self.census = result
        self._store_live_keys()
        self.write_state_now()
        state_bytes = len(json.dumps(known.to_state(), separators=(",", ":")))
        self.logger.info(
            "Key census of %s: %d API calls (%d counts, %d key pages); %d deleted, "
            "%d live keys not emitted before added; live_keys %d ranges, %d bytes",
            self.name,
            result.calls,
            result.count_calls,
            result.key_calls,
            len(result.deleted),
            len(result.unknown),
            known.range_count,
            state_bytes,
        )

    def _store_live_keys(self) -> None:
        """The finished census's set into STATE (the run is no longer open)."""
        if self._live_keys is None:
            return
        state = self.get_context_state(None)
        state[STATE_KEY] = self._live_keys.to_state()
        state.pop(OPEN_KEY, None)
        self.state_manager.is_flushed = False

    def _note_emitted_keys(self, rows: list[dict[str, Any]], key_field: str) -> None:
        """Gather a page's keys in memory; STATE says a census is pending."""
        self._emitted_keys.extend(
            row[key_field] for row in rows if isinstance(row.get(key_field), int)
        )
        if len(self._emitted_keys) >= KEYS_GATHERED and self._live_keys is not None:
            self._live_keys.add(self._emitted_keys)  # in memory only: bounds the buffer
            self._emitted_keys = array("q")
        state = self.get_context_state(None)
        if not state.get(OPEN_KEY):
            state[OPEN_KEY] = True
            self.state_manager.is_flushed = False

    def _new_cursor(self, caster: PageCasting) -> Cursor:
        clock = self.scheduler.clock
        key = self.spec.key_field if self.spec.key_field in caster.fields else None
        if self.is_incremental and key:
            lower = self.lower_bound()
            state = self.get_context_state(None)
            null_after = state.get(NULL_BOOKMARK)
            return IncrementalCursor(
                key_field=key,
                modified_field=self.replication_key or "WHENMODIFIED",
                upper=clock.wire_time(clock.upper_bound),
                lower=None if lower is None else clock.wire_time(lower),
                parse_modified=clock.cursor_parser(),
                literal=clock.resend_literal,
                null_after_key=None if null_after is None else int(null_after),
            )
        if key:
            return KeyCursor(key_field=key)
        return OffsetCursor(order_field=self.replication_key)

    def _pages(self, cursor: Cursor, caster: PageCasting) -> Iterator[list[dict[str, Any]]]:
        """New raw records of each page until the cursor is done.

        Up to `max_concurrent_requests` requests are in flight (see `prefetch`:
        speculative pages are verified to be contiguous, else asked for again), and the
        next page is requested while this one is cast and emitted. The window holds one
        page more than the request limit: a worker parsing its page has already given its
        request slot back (the client's throttle), so the next request need not wait for
        the parse. The cursor and everything that writes messages stay on this thread.
        When this stream's last pages are in flight, the next stream's first page is
        requested (`PageScheduler.look_ahead`).
        """
        scheduler = self.scheduler
        width = max(1, int(self.config.get("max_concurrent_requests") or 1)) + 1
        yield from pipelined_pages(  # type: ignore[misc]
            cursor,
            key_field=None if isinstance(cursor, OffsetCursor) else cursor.key_field,
            next_request=lambda: self._next_request(cursor, caster),
            request=scheduler.request,
            width=width,
            on_last_launched=lambda: scheduler.look_ahead(self.name),
        )

    def _next_request(self, cursor: Cursor, caster: PageCasting) -> PageRequest:
        scheduler = self.scheduler
        return page_request(
            self.spec.object_name,
            caster.fields,
            cursor,
            scheduler.page_size,
            self.show_private,
            protected=self.protected_fields(),
        )

    @property
    def show_private(self) -> bool:
        """Top-level sessions read private entities too; entity sessions stay in theirs."""
        return not self.config.get("entity_id")

    def protected_fields(self) -> frozenset[str]:
        """Fields a stream cannot do without (never dropped when Intacct refuses them)."""
        names = [*self.primary_keys, self.replication_key]
        return frozenset(name for name in names if name)

    def _drop_refused(self, caster: PageCasting) -> None:
        """Drop from the stream the fields Intacct refused (the scheduler left them out)."""
        refused_now = self.scheduler.refused(self.spec.object_name)
        refused = [name for name in caster.fields if name in refused_now]
        if not refused:
            return
        self.logger.warning(
            "Intacct refuses to query %s.%s; dropping them from the stream",
            self.spec.object_name,
            ", ".join(refused),
        )
        caster.drop_fields(refused)
        self._forget_properties(refused)

    def _forget_properties(self, names: list[str]) -> None:
        """Remove fields from the schema (and the stream maps' copies) and re-send SCHEMA."""
        schemas = [self.effective_schema, self.schema]
        schemas += [stream_map.transformed_schema for stream_map in self.stream_maps]
        for schema in schemas:
            properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
            for name in names:
                properties.pop(name, None)
        self.write_schema_now()

    def _checkpoint(self, rows: list[dict[str, Any]]) -> None:
        """After a page is emitted: note its never-modified rows and write STATE.

        Taken from the emitted rows, not the cursor: with several pages in flight the
        cursor is already past rows that have not been written yet.
        """
        if not self.is_incremental:
            return
        key_field = self.spec.key_field
        modified = self.replication_key
        nulls = [
            row[key_field]
            for row in rows
            if key_field and row.get(modified or "") is None and row.get(key_field) is not None
        ]
        if nulls:
            state = self.get_context_state(None)
            previous = state.get(NULL_BOOKMARK)
            newest = max(nulls) if previous is None else max(int(previous), *nulls)
            if newest != previous:
                state[NULL_BOOKMARK] = newest
                self.state_manager.is_flushed = False
        if self._live_keys is not None and key_field:
            self._note_emitted_keys(rows, key_field)
        self.write_state_now()

    def _deleted_records(self) -> Iterator[dict[str, Any]]:
        """Soft-delete records (key + `_sdc_deleted_at`) for this object."""
        key_field = self.spec.key_field
        if not key_field:
            return
        deletions = self.scheduler.deletions(self.spec.object_name)
        lower = self.lower_bound()
        key_type = self.effective_schema.get("properties", {}).get(key_field, {}).get("type", [])
        integer_key = "integer" in key_type
        unmatched = 0
        for deletion in deletions:
            if lower is not None and deletion.deleted_at <= lower:
                continue
            key = key_value(deletion.object_key)
            if integer_key and not isinstance(key, int):
                unmatched += 1  # audited by another key (USERINFO: LOGINID)
                continue
            self.deletes_emitted += 1
            yield {key_field: key, DELETED_AT: utc_iso(deletion.deleted_at)}
            if self._live_keys is not None and isinstance(key, int):
                self._live_keys.discard([key])  # reported: the census need not find it
        if unmatched:
            self.logger.warning(
                "%d deletions of %s are audited by a key other than %s and are not emitted",
                unmatched,
                self.spec.object_name,
                key_field,
            )

    def _last_dated(self, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The page's last row with a replication value: the only one that moves state."""
        modified = self.replication_key
        if not modified:
            return None
        for row in reversed(rows):
            if row.get(modified) is not None:
                return row
        return None

    def moves_bookmark(self, record: dict[str, Any]) -> bool:
        """Only the page's last dated row moves the bookmark.

        Delete records and never-modified rows carry no WHENMODIFIED: they must not move
        it (and the SDK would log a warning for each one). Rows come in replication order
        and STATE is written only between pages, so the page's last dated row sets the
        same bookmark as every row would, for one call per page.
        """
        return record is self._page_bookmark_row

    def plain_record_message(self, record: dict[str, Any]) -> RecordMessage | None:
        """A RECORD message without the SDK's per-record work when it cannot change a row.

        Rows hold only selected fields and are already typed (no conformance), so when
        every property is selected and the only stream map is the untouched default,
        the SDK's per-record pruning and mapping are no-ops and are skipped; one
        extraction time is stamped per page. Otherwise (None) the SDK's path runs.
        """
        if not self._plain_emission():
            return None
        return RecordMessage(
            stream=self.name,
            record=record,
            version=self.stream_version,
            time_extracted=self._page_extracted_at,
        )

    def _plain_emission(self) -> bool:
        if self._plain_emission_ok is None:
            properties = self.schema.get("properties", {})
            maps = self.stream_maps
            self._plain_emission_ok = (
                all(self.mask[("properties", name)] for name in properties)
                and len(maps) == 1
                and type(maps[0]) is SameRecordTransform
                and maps[0].stream_alias == self.name
                and not maps[0].flattening_enabled
                and self.TYPE_CONFORMANCE_LEVEL == TypeConformanceLevel.NONE
            )
        return self._plain_emission_ok

    def log_sync_costs(self) -> None:
        """SDK end-of-run hook; the tap logs its run summary after the last stream."""
        super().log_sync_costs()
        self.scheduler.stream_finished(self.name)
