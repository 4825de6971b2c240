"""TapIntacct: settings, discovery or catalog, one shared client, the run summary."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from intacct_client import (
    ClientConfig,
    IntacctClient,
    IntacctObjectNotFoundError,
    IntacctPermissionError,
    QueryPage,
    values,
)
from intacct_client.formatting import timezone_setting
from singer_sdk import Tap

from tap_intacct import other_streams
from tap_intacct.casting import WireTime
from tap_intacct.deletes import Deletion, read_deletions
from tap_intacct.discovery import discover_specs
from tap_intacct.errors import ActionableError
from tap_intacct.pages import FollowUp, PageRequest, fetch_page, first_page_with_follow_up
from tap_intacct.schema import spec_from_catalog_entry
from tap_intacct.settings import CONFIG_JSONSCHEMA, DEFAULT_PAGE_SIZE
from tap_intacct.streams import IntacctStream
from tap_intacct.writer import BufferedRecordWriter

if TYPE_CHECKING:
    from singer_sdk.streams import Stream


# First pages requested ahead hold at most this many full pages of rows per request slot.
ROWS_AHEAD_PAGES_PER_SLOT = 2


class TapIntacct(Tap):
    """Singer tap for Sage Intacct (XML gateway).

    Discovers every object the user can read (standard, custom platform objects and
    user-defined dimensions, with custom fields) and makes one stream per object, named
    in lower case. Objects with WHENMODIFIED replicate incrementally (replication key
    WHENMODIFIED, keyset paging on WHENMODIFIED and RECORDNO, bookmark minus
    lookback_minutes, deletes from AUDITHISTORY as `_sdc_deleted_at` records); objects
    without it replicate full table (keyset on RECORDNO). Money is emitted as exact
    decimals and timestamps as UTC ISO-8601.
    """

    name = "tap-intacct"
    package_name = "intacct-connectors-tap"
    config_jsonschema = CONFIG_JSONSCHEMA
    dynamic_catalog = True
    # msgspec serialisation (Decimal as a JSON number), flushed per STATE (writer.py).
    message_writer_class = BufferedRecordWriter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._client: IntacctClient | None = None
        self._client_lock = threading.Lock()
        self._timezone: str | None = None
        self._wire: WireTime | None = None
        self._deletions: dict[str, list[Deletion]] | None = None
        self._finished_streams: set[str] = set()
        self._ahead_pool: ThreadPoolExecutor | None = None
        self.run_started_at = datetime.now(timezone.utc).replace(microsecond=0)
        super().__init__(*args, **kwargs)

    # --- shared client --------------------------------------------------------------

    @property
    def client(self) -> IntacctClient:
        """The one client (one session) of this process, created on first use."""
        with self._client_lock:
            if self._client is None:
                self._client = IntacctClient(ClientConfig.from_mapping(dict(self.config)))
            return self._client

    @property
    def timezone(self) -> str:
        """Zone of Intacct timestamps (setting, else the user's gmtoffset preference)."""
        if self._timezone is None:
            self._timezone = self.client.user_timezone()
        return self._timezone

    @property
    def wire(self) -> WireTime:
        """Zones and date style of Intacct's answers for this run."""
        if self._wire is None:
            audit = str(self.config.get("audit_timestamps_zone") or "UTC").strip()
            audit_zone = None if audit.lower() == "user" else timezone_setting(audit)
            self._wire = WireTime(self.timezone, self.client.user_date_style(), audit_zone)
        return self._wire

    def wire_time(self, moment: datetime) -> str:
        """Write a UTC instant as the timestamp literal Intacct filters expect.

        The literal is in the zone of the timestamps, in the date form requests carry
        (see `IntacctClient.request_date_style`).
        """
        return values.format_timestamp(moment, self.timezone, self.client.request_date_style())

    def parse_wire_time(self, text: str) -> datetime | None:
        """A timestamp as Intacct answers it (user's date format) -> aware UTC datetime."""
        return values.parse_timestamp(text, self.timezone, self.wire.style)

    def resend_literal(self, text: str) -> str:
        """A timestamp from an answer -> the same wall-clock time in request form."""
        moment = self.parse_wire_time(text)
        return text if moment is None else self.wire_time(moment)

    @property
    def upper_bound(self) -> datetime:
        """The newest WHENMODIFIED/ACCESSTIME this run reads.

        It is the run's start, widened when the
        zone came from the user's preference and lies west of GMT.

        Whether Intacct writes WHENMODIFIED in the preference zone or in GMT is not in
        the public record. Under GMT, a west-of-GMT preference makes the run's start, as
        a wall-clock literal, lie hours before Intacct's "now", and the newest rows would
        wait for a later run; the widening keeps them in this one. With the `timezone`
        setting the zone is known and nothing is widened.
        """
        slack = timedelta(0)
        if not self.config.get("timezone"):
            offset = self.run_started_at.astimezone(values.zone(self.timezone)).utcoffset()
            slack = max(timedelta(0), -(offset or timedelta(0)))
        return self.run_started_at + slack

    @property
    def page_size(self) -> int:
        """Rows per query call, within Intacct's 1-2000."""
        size = int(self.config.get("page_size") or DEFAULT_PAGE_SIZE)
        return max(1, min(size, 2000))

    @property
    def show_private(self) -> bool:
        """Top-level sessions read private entities too; entity sessions stay in theirs."""
        return not self.config.get("entity_id")

    # --- streams --------------------------------------------------------------------

    def discover_streams(self) -> Sequence[Stream]:
        """Return the tap's streams: object streams plus the other streams.

        From the input catalog when given (no API call), else from the API; the
        streams that are not objects (other_streams) are added by name.
        """
        others = other_streams.factories(self.config)
        if self.input_catalog is not None:
            entries = [entry.to_dict() for entry in self.input_catalog.streams]
            specs = [
                spec_from_catalog_entry(entry)
                for entry in entries
                if entry["tap_stream_id"] not in others
            ]
            extra = [
                entry["tap_stream_id"] for entry in entries if entry["tap_stream_id"] in others
            ]
        else:
            specs = discover_specs(self.client, self.config, self.logger, list(others))
            calls = self.client.call_counts
            self.logger.info(
                "Discovery: %d streams; API calls %s", len(specs), dict(sorted(calls.items()))
            )
            extra = other_streams.selected_names(self.config)
        taken = {spec.stream_name for spec in specs} & set(extra)
        if taken:
            raise ActionableError(
                f"Stream names {', '.join(sorted(taken))} are taken by Intacct objects: "
                "rename the query_streams entries."
            )
        streams: list[Stream] = [IntacctStream(self, spec) for spec in specs]
        return streams + [others[name](self) for name in extra]

    # --- deletions ------------------------------------------------------------------

    def deletions_for(self, stream: IntacctStream) -> list[Deletion]:
        """Deletions of the stream's object in this run (one AUDITHISTORY read per run)."""
        if self._deletions is None:
            self._deletions = self._read_all_deletions()
        return self._deletions.get(stream.spec.object_name.lower(), [])

    def _read_all_deletions(self) -> dict[str, list[Deletion]]:
        streams = [
            stream
            for stream in self.streams.values()
            if isinstance(stream, IntacctStream) and stream.selected and stream.captures_deletes
        ]
        if not streams:
            return {}
        bounds = [stream.lower_bound() for stream in streams]
        lower = (
            None
            if any(bound is None for bound in bounds)
            else min(bound for bound in bounds if bound is not None)
        )
        try:
            return read_deletions(
                self.client,
                [stream.spec.object_name for stream in streams],
                lower=None if lower is None else self.wire_time(lower),
                upper=self.wire_time(self.upper_bound),
                parse_time=self.parse_wire_time,
                page_size=self.page_size,
                show_private=self.show_private,
            )
        except (IntacctPermissionError, IntacctObjectNotFoundError) as exc:
            # Unreadable for good: nothing to lose by moving on. Any other failure stops
            # the run, so bookmarks never pass deletions that were not emitted.
            self.logger.warning("Deletes are not captured: AUDITHISTORY is not readable (%s)", exc)
            return {}

    # --- the next stream's first page -------------------------------------------------

    def prefetch_after(self, stream: IntacctStream) -> None:
        """Request the first pages of the streams synced after `stream`.

        Streams are synced one after the other (sync_all); without this each stream
        would start with one lone request, and streams of one small page would leave
        request slots idle. Called when `stream` starts, after each of its pages and
        when its last pages are in flight. Memory stays bounded by rows, not streams:
        first pages are requested ahead while the rows they hold (a page still in
        flight counts as a full page) stay under two full pages per request slot; a
        stream whose first page is already requested is left as it is.
        """
        budget = ROWS_AHEAD_PAGES_PER_SLOT * self._requests_in_flight() * self.page_size
        for following in self._streams_after(stream):
            if budget <= 0:
                return
            following.prepare_first_page(self._submit_ahead)
            budget -= following.rows_held_ahead(self.page_size)

    def _requests_in_flight(self) -> int:
        return max(1, int(self.config.get("max_concurrent_requests") or 1))

    def _streams_after(self, stream: IntacctStream) -> list[IntacctStream]:
        """The streams sync_all will sync after `stream` (same order and skip rules)."""
        names = list(self.streams)
        later = names[names.index(stream.name) + 1 :] if stream.name in names else []
        return [
            candidate
            for candidate in (self.streams[name] for name in later)
            if isinstance(candidate, IntacctStream)
            and candidate.selected
            and not candidate.parent_stream_type
        ]

    def submit_ahead(
        self,
        request: PageRequest,
        protected: Collection[str] = (),
        follow_up: FollowUp | None = None,
    ) -> Future[QueryPage]:
        """Request a stream's first page ahead, on the tap's own pool.

        The request runs outside any stream's window; refused fields other than
        `protected` are dropped there and then, and with `follow_up` the next page is
        requested as soon as this one is back.
        """
        return self._submit_ahead(request, protected, follow_up)

    def _submit_ahead(
        self,
        request: PageRequest,
        protected: Collection[str],
        follow_up: FollowUp | None = None,
    ) -> Future[QueryPage]:
        if self._ahead_pool is None:
            self._ahead_pool = ThreadPoolExecutor(
                max_workers=self._requests_in_flight(), thread_name_prefix="page-ahead"
            )
        pool = self._ahead_pool
        return pool.submit(
            first_page_with_follow_up,
            self.client,
            request,
            protected,
            follow_up,
            lambda nxt: pool.submit(fetch_page, self.client, nxt),
        )

    # --- run summary ----------------------------------------------------------------

    def stream_finished(self, stream: Stream) -> None:
        """Called for every stream at the end of sync_all; logs the summary after the last."""
        self._finished_streams.add(stream.name)
        if self._finished_streams >= set(self.streams):
            self.log_run_summary()

    def log_run_summary(self) -> None:
        """API calls per function and records per stream, then release the client."""
        records = {
            name: int(getattr(stream, "records_emitted", 0))
            for name, stream in self.streams.items()
            if stream.selected
        }
        deletes = {
            name: stream.deletes_emitted
            for name, stream in self.streams.items()
            if isinstance(stream, IntacctStream) and stream.deletes_emitted
        }
        census = {
            name: stream.census.calls
            for name, stream in self.streams.items()
            if isinstance(stream, IntacctStream) and stream.census is not None
        }
        calls = self._client.call_counts if self._client is not None else {}
        self.logger.info(
            "Run summary: API calls %s (total %d); records %s (total %d); deletes %s; "
            "key census calls %s",
            dict(sorted(calls.items())),
            sum(calls.values()),
            records,
            sum(records.values()),
            deletes,
            census,
        )
        if self._ahead_pool is not None:
            self._ahead_pool.shutdown(wait=False, cancel_futures=True)
            self._ahead_pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
