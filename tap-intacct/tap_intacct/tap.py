"""TapIntacct: settings, discovery or catalog, one shared client, the run summary."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from intacct_client import (
    ClientConfig,
    IntacctClient,
    IntacctObjectNotFoundError,
    IntacctPermissionError,
    IntacctRestClient,
)
from singer_sdk import Tap

from tap_intacct import other_streams
from tap_intacct.clock import run_start
from tap_intacct.deletes import Deletion, read_deletions
from tap_intacct.discovery import discover_specs
from tap_intacct.errors import ActionableError
from tap_intacct.rest_discovery import discover_rest_specs
from tap_intacct.rest_streams import RestStream
from tap_intacct.rest_transport import REST_MAX_PAGE_SIZE, RestTransport
from tap_intacct.scheduler import PageScheduler
from tap_intacct.schema import spec_from_catalog_entry
from tap_intacct.settings import APIS, CONFIG_JSONSCHEMA
from tap_intacct.streams import IntacctStream
from tap_intacct.transport import XML_MAX_PAGE_SIZE, Transport, XmlTransport
from tap_intacct.writer import BufferedRecordWriter

if TYPE_CHECKING:
    from singer_sdk.streams import Stream


class RunOwner(Protocol):
    """What a stream is given besides its config: the run's page scheduler."""

    @property
    def scheduler(self) -> PageScheduler:
        """The run's page scheduler."""
        ...


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
        self._rest_client: IntacctRestClient | None = None
        self._client_lock = threading.Lock()
        self._scheduler: PageScheduler | None = None
        self._deletions: dict[str, list[Deletion]] | None = None
        self._finished_streams: set[str] = set()
        self.run_started_at = run_start()
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
    def api(self) -> str:
        """`xml` (the XML gateway, default) or `rest` (the REST API), from the settings."""
        api = str(self.config.get("api") or "xml").strip().lower()
        if api not in APIS:
            raise ActionableError(f"api: {api!r} is not one of {', '.join(APIS)}.")
        return api

    @property
    def rest_client(self) -> IntacctRestClient:
        """The one REST client (one OAuth token) of this process, created on first use."""
        with self._client_lock:
            if self._rest_client is None:
                config = ClientConfig.from_mapping(dict(self.config))
                self._rest_client = IntacctRestClient(config)
            return self._rest_client

    def _transport(self) -> Transport:
        if self.api == "rest":
            return RestTransport(self.rest_client, self.run_started_at)
        return XmlTransport(self.client, self.config, self.run_started_at)

    @property
    def scheduler(self) -> PageScheduler:
        """The run's page scheduler (one executor), created on first use."""
        with self._client_lock:
            if self._scheduler is not None:
                return self._scheduler
        scheduler = PageScheduler(
            self._transport(),
            slots=max(1, int(self.config.get("max_concurrent_requests") or 1)),
            page_size=self.page_size,
            upcoming=self._streams_after,
            deletions=self._deletions_of,
            on_stream_finished=self.stream_finished,
        )
        with self._client_lock:
            if self._scheduler is None:
                self._scheduler = scheduler
            return self._scheduler

    @property
    def page_size(self) -> int:
        """Rows per query call: the setting, within the API's largest page (the default)."""
        largest = REST_MAX_PAGE_SIZE if self.api == "rest" else XML_MAX_PAGE_SIZE
        size = int(self.config.get("page_size") or largest)
        return max(1, min(size, largest))

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
        if self.api == "rest":
            return self._rest_streams()
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

    def _rest_streams(self) -> list[Stream]:
        """REST mode: one stream per REST object (catalog entries, else the model service)."""
        if self.config.get("query_streams"):
            raise ActionableError(
                "query_streams are read through the XML gateway: set api to xml to use them."
            )
        if self.input_catalog is not None:
            specs = [
                spec_from_catalog_entry(entry.to_dict()) for entry in self.input_catalog.streams
            ]
        else:
            client = self.rest_client
            specs = discover_rest_specs(client, self.config, self.logger)
            self.logger.info(
                "Discovery: %d streams; API calls %s",
                len(specs),
                dict(sorted(client.call_counts.items())),
            )
        return [RestStream(self, spec) for spec in specs]

    # --- deletions ------------------------------------------------------------------

    def _deletions_of(self, object_name: str) -> list[Deletion]:
        """Deletions of an object in this run (one AUDITHISTORY read per run)."""
        if self._deletions is None:
            # REST streams find deletes by key census (rest_streams); AUDITHISTORY is XML.
            self._deletions = {} if self.api == "rest" else self._read_all_deletions()
        return self._deletions.get(object_name.lower(), [])

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
        scheduler = self.scheduler
        clock = scheduler.clock
        try:
            return read_deletions(
                scheduler.fetch,
                [stream.spec.object_name for stream in streams],
                lower=None if lower is None else clock.wire_time(lower),
                upper=clock.wire_time(clock.upper_bound),
                parse_time=clock.parse_wire_time,
                page_size=self.page_size,
                show_private=self.show_private,
            )
        except (IntacctPermissionError, IntacctObjectNotFoundError) as exc:
            # Unreadable for good: nothing to lose by moving on. Any other failure stops
            # the run, so bookmarks never pass deletions that were not emitted.
            self.logger.warning("Deletes are not captured: AUDITHISTORY is not readable (%s)", exc)
            return {}

    # --- the order streams sync in ---------------------------------------------------

    def _streams_after(self, name: str) -> list[IntacctStream]:
        """The streams sync_all will sync after stream `name` (same order and skip rules)."""
        names = list(self.streams)
        later = names[names.index(name) + 1 :] if name in names else []
        return [
            candidate
            for candidate in (self.streams[following] for following in later)
            if isinstance(candidate, IntacctStream)
            and candidate.selected
            and not candidate.parent_stream_type
        ]

    # --- run summary ----------------------------------------------------------------

    def stream_finished(self, name: str) -> None:
        """Called for every stream at the end of sync_all; logs the summary after the last."""
        self._finished_streams.add(name)
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
        calls: dict[str, int] = {}
        for client in (self._client, self._rest_client):
            if client is not None:
                calls.update(client.call_counts)
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
        if self._scheduler is not None:
            self._scheduler.close()
            self._scheduler = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._rest_client is not None:
            self._rest_client.close()
            self._rest_client = None
