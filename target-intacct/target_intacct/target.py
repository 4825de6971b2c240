"""TargetIntacct: writes unified records (or native objects) into Sage Intacct.

Batches of up to `batch_size` records go out as one request each, with uniqueid=true and
deterministic function controlids; re-runs upsert on natural keys. Every input record
gets one line in the results file; a summary lands in the final STATE under
`target_intacct_summary` (never under `bookmarks`).
"""

from __future__ import annotations

import copy
import json
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar

from intacct_client import ClientConfig, IntacctClient
from singer_sdk.helpers.capabilities import CapabilitiesEnum, PluginCapabilities
from singer_sdk.sinks import Sink

from target_intacct.input_guard import AccountingReader
from target_intacct.mapping.base import WriteSettings
from target_intacct.mapping.registry import (
    DEPENDS_ON,
    MASTER_STREAMS,
    UNIFIED_SPECS,
    is_native_stream,
)
from target_intacct.outcomes import (
    Outcome,
    ResultsWriter,
    Summary,
    default_results_path,
    failed,
)
from target_intacct.records import InputRecord
from target_intacct.references import ReferenceResolver
from target_intacct.sdk_hooks import GuardedTarget
from target_intacct.settings import config_schema
from target_intacct.sinks import IntacctSink, UnknownStreamSink
from target_intacct.writer import RunState

SUMMARY_KEY = "target_intacct_summary"
PROGRESS_EVERY_S = 30.0
INPUT_STREAM = "(input)"  # outcome lines for input that belongs to no stream


class TargetIntacct(GuardedTarget):
    """Sage Intacct target: journal entries, bills, invoices, vendors, customers and more.

    Unified streams and native objects are written in batches, exactly once, with one
    outcome per record.
    """

    name = "target-intacct"
    package_name = "intacct-connectors-target"
    message_reader_class = AccountingReader
    config_jsonschema = config_schema()
    # Records are validated against the packaged unified schemas instead of the SDK's
    # validate_records (which would stop the run at the first bad record).
    capabilities: ClassVar[list[CapabilitiesEnum]] = [
        PluginCapabilities.ABOUT,
        PluginCapabilities.STREAM_MAPS,
        PluginCapabilities.FLATTENING,
        PluginCapabilities.STRUCTURED_LOGGING,
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_parallelism = 1  # one Intacct session, ordered writes
        self._positions: dict[str, int] = defaultdict(int)
        self._run: RunState | None = None
        self._client: IntacctClient | None = None
        self._lock = threading.RLock()
        self.summary = Summary()
        path = self.config.get("results_path")
        self.results = ResultsWriter(Path(path) if path else default_results_path(), self.summary)
        self._state_written = False
        self._started_at = self._progress_logged_at = time.monotonic()
        if isinstance(self.message_reader, AccountingReader):
            self.message_reader.on_bad_line = self._report_bad_line
        self.logger.info(
            "Ready: batch_size=%s transaction=%s dry_run=%s results_path=%s",
            self.config.get("batch_size", 100),
            self.config.get("transaction", "none"),
            bool(self.config.get("dry_run", False)),
            self.results.path,
        )

    # ------------------------------------------------------------------ sinks
    def get_sink_class(self, stream_name: str) -> type[Sink]:
        """Unified streams and upper-case native objects; anything else is refused."""
        if stream_name in UNIFIED_SPECS or is_native_stream(stream_name):
            return IntacctSink
        return UnknownStreamSink

    def next_position(self, stream: str) -> int:
        """Hand out the next input position of a stream (counted from 1)."""
        with self._lock:
            self._positions[stream] += 1
            return self._positions[stream]

    def run_state(self) -> RunState:
        """The client, reference cache and settings, created on first use."""
        with self._lock:
            if self._run is None:
                self._client = IntacctClient(ClientConfig.from_mapping(self.config))
                self._run = RunState(
                    client=self._client,
                    resolver=ReferenceResolver(self._client),
                    settings=WriteSettings(
                        default_journal=self.config.get("default_journal"),
                        purchase_order_transaction_type=self.config.get(
                            "purchase_order_transaction_type"
                        ),
                        attachment_folder=self.config.get("attachment_folder") or "target-intacct",
                        attachment_max_bytes=int(
                            self.config.get("attachment_max_bytes") or 10 * 1024 * 1024
                        ),
                        request_dates=self._client.request_date_style,
                    ),
                    transaction=self.config.get("transaction") == "batch",
                    dry_run=bool(self.config.get("dry_run", False)),
                    batch_size=int(self.config.get("batch_size") or 100),
                )
            return self._run

    def before_batch(self, sink: Sink) -> None:
        """Drain the sinks a batch may refer to before it is written.

        Write pending records a batch may refer to first: vendors/customers/native
        records before documents, bills before bill payments, invoices before receipts.
        """
        if sink.stream_name in MASTER_STREAMS or is_native_stream(sink.stream_name):
            return
        earlier = DEPENDS_ON.get(sink.stream_name, frozenset())
        for other in self.active_sinks():
            if other is sink:
                continue
            name = other.stream_name
            if name in MASTER_STREAMS or is_native_stream(name) or name in earlier:
                self.drain_one(other)

    def report(self, outcomes: list[Outcome]) -> None:
        """Record outcomes in the results file and the summary, and log progress."""
        self.results.write(outcomes)
        self._log_progress()

    def _log_progress(self) -> None:
        """Every 30 s: records with an outcome so far, failures, rate and requests."""
        now = time.monotonic()
        if now - self._progress_logged_at < PROGRESS_EVERY_S:
            return
        self._progress_logged_at = now
        done = self.summary.total()
        elapsed = max(now - self._started_at, 1e-9)
        requests = self._client.request_count if self._client is not None else 0
        self.logger.info(
            "%d records written or reported so far (%d failed), %.0f records/s, %d requests",
            done,
            self.summary.failures(),
            done / elapsed,
            requests,
        )

    # ------------------------------------------------------------------ bad input
    def _report_bad_line(self, message: dict[str, Any]) -> None:
        line = int(message.get("line") or 0)
        record = InputRecord(stream=INPUT_STREAM, position=line, data={}, record_id=None)
        self.report([failed(record, str(message["error"]), errorno="TI-BAD-MESSAGE")])

    def report_bad_message(self, error: str, *, stream: str | None, record: Any) -> None:
        """One failed outcome for an unusable message: in its stream when it names one."""
        if stream is None or not isinstance(record, dict):
            line = getattr(self.message_reader, "line_number", 0)
            self._report_bad_line({"line": line, "error": error})
            return
        item = InputRecord(
            stream=stream, position=self.next_position(stream), data=record, record_id=None
        )
        self.report([failed(item, error, errorno="TI-BAD-MESSAGE")])

    # ------------------------------------------------------------------ summary
    def summary_payload(self) -> dict[str, Any]:
        """The run summary: outcome counts, results path and, when connected, API usage."""
        payload: dict[str, Any] = {
            "streams": self.summary.as_dict(),
            "records": self.summary.total(),
            "failed": self.summary.failures(),
            "results_path": str(self.results.path),
        }
        if self._client is not None:
            payload["requests"] = self._client.request_count
            payload["retries"] = self._client.retry_count
            payload["api_calls"] = dict(self._client.call_counts)
        return payload

    def state_to_write(self, state: dict[str, Any]) -> dict[str, Any]:
        """The tap's state passes through; our summary rides along at the top level."""
        merged = copy.deepcopy(state)
        merged[SUMMARY_KEY] = self.summary_payload()
        self._state_written = True
        return merged

    def process_endofpipe(self) -> None:
        """Drain everything, emit the final STATE with the summary, set the exit code."""
        try:
            super().process_endofpipe()
            if not self.state_was_received():
                self.write_state({})
        finally:
            self._close()
        self._exit_for_failures()

    def stop_on_signal(self, signum: int) -> None:
        """SIGTERM/SIGINT: write what was read, report it, exit like a normal end."""
        self.logger.warning("Signal %d: writing the records read so far, then stopping", signum)
        try:
            self.drain_all(is_endofpipe=True)
            if not self.state_was_received():
                self.write_state({})
        finally:
            self._close()
        self._exit_for_failures()
        sys.exit(0)

    def _close(self) -> None:
        self.results.close()
        if self._client is not None:
            self._client.close()

    def _exit_for_failures(self) -> None:
        summary = self.summary_payload()
        self.logger.info("target-intacct summary: %s", json.dumps(summary, sort_keys=True))
        failures = summary["failed"]
        if failures and self.config.get("fail_on_error") is not False:  # None = default
            self.logger.error(
                "%d of %d records failed; see %s (set fail_on_error=false to exit 0)",
                failures,
                summary["records"],
                summary["results_path"],
            )
            sys.exit(1)


if __name__ == "__main__":
    TargetIntacct.cli()
