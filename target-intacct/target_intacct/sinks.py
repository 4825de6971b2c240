"""SDK sinks: collect a batch of one stream, hand it to the BatchWriter, report outcomes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from target_intacct.mapping.base import UnifiedSpec
from target_intacct.mapping.native import NativeSpec
from target_intacct.mapping.registry import spec_for
from target_intacct.outcomes import failed
from target_intacct.records import InputRecord
from target_intacct.schemas import UNIFIED_STREAMS
from target_intacct.sdk_hooks import LenientBatchSink
from target_intacct.writer import BatchWriter

if TYPE_CHECKING:
    from target_intacct.target import TargetIntacct


def lookup_window(batch_size: int) -> int:
    """Records collected per drain: up to 10 requests' worth (<= 1000, the `in` limit).

    Existing records are looked up once per window; writes still go out batch_size per
    request. The SDK's batch_size_rows setting, when set, overrides this.
    """
    return max(batch_size, min(1000, 10 * batch_size))


class _CollectingSink(LenientBatchSink):
    """Collects InputRecords (with their position) without the SDK's own checks.

    Validation against the stream's own schema, key-property checks and timestamp
    parsing are switched off: each would raise and stop the run, while we want every
    bad record to become one failed outcome with a precise message.
    """

    MAX_SIZE_DEFAULT = 100

    def __init__(
        self,
        target: TargetIntacct,
        stream_name: str,
        schema: dict,
        key_properties: Any,
    ) -> None:
        super().__init__(target, stream_name, schema, key_properties)
        self.MAX_SIZE_DEFAULT = lookup_window(int(target.config.get("batch_size") or 100))
        self.owner = target

    def get_validator(self) -> None:
        return None

    def record_id(self, record: dict) -> str | None:
        return None

    def process_record(self, record: dict, context: dict) -> None:
        position = self.owner.next_position(self.stream_name)
        context.setdefault("records", []).append(
            InputRecord(
                stream=self.stream_name,
                position=position,
                data=record,
                record_id=self.record_id(record),
            )
        )


class IntacctSink(_CollectingSink):
    """A unified stream or a native object stream."""

    def __init__(
        self,
        target: TargetIntacct,
        stream_name: str,
        schema: dict,
        key_properties: Any,
    ) -> None:
        super().__init__(target, stream_name, schema, key_properties)
        spec = spec_for(stream_name)
        self.spec: UnifiedSpec = spec if spec is not None else NativeSpec(stream_name)

    def record_id(self, record: dict) -> str | None:
        """The id shown in messages for a record of this stream."""
        return self.spec.record_id(record)

    def process_batch(self, context: dict) -> None:
        """Write a batch through the stream's spec and report one outcome per record."""
        items: list[InputRecord] = context.get("records", [])
        if not items:
            return
        self.owner.before_batch(self)
        run = self.owner.run_state()
        writer = BatchWriter(self.spec, run, report=self.owner.report)
        try:
            writer.write(items)
        except Exception as exc:
            # Never end without an outcome per record: report the rest, stop writing.
            self.logger.exception("Unexpected error while writing a batch")
            run.fatal_error = f"internal error: {exc!r}"
            writer.fail_unreported(items, run.fatal_error)


class UnknownStreamSink(_CollectingSink):
    """Every record of a stream we cannot write fails with a message saying why."""

    def setup(self) -> None:
        """Log once why this stream's records cannot be written."""
        self.logger.error("%s", self.reason())

    def reason(self) -> str:
        """The message explaining which streams the target writes."""
        return (
            f"unknown stream {self.stream_name!r}: target-intacct writes "
            f"{', '.join(UNIFIED_STREAMS)}, or a stream named exactly as an Intacct object "
            "in upper case (VENDOR, GLBATCH, CLASS, a custom object ...)"
        )

    def process_batch(self, context: dict) -> None:
        """Report every record of the batch as failed: the stream is unknown."""
        items: list[InputRecord] = context.get("records", [])
        self.owner.report(
            [failed(item, self.reason(), errorno="TI-UNKNOWN-STREAM") for item in items]
        )
