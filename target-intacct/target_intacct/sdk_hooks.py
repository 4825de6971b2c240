"""Every private singer-sdk method the target overrides, in one place.

singer-sdk has no public hook for "this input line is unusable" or "add to the STATE the
SDK writes", and its default for each is to stop the run, which would leave records
without an outcome. These overrides turn each case into a reported failure and hand
the work to public methods of the target, reader and sinks. singer-sdk is pinned
(~=0.54.9) and `tests/target/test_sdk_hooks.py` fails, naming the method, when an
upgrade renames or drops one of `HOOKED`.
"""

from __future__ import annotations

from types import FrameType
from typing import TYPE_CHECKING, Any

from singer_sdk import Target
from singer_sdk.exceptions import InvalidInputLine, RecordsWithoutSchemaException
from singer_sdk.io_base import SingerReader
from singer_sdk.sinks import BatchSink, Sink

if TYPE_CHECKING:
    from singer_sdk.helpers.conform import DatetimeErrorTreatmentEnum

# (SDK class, private method, its parameter names): what the overrides below rely on.
HOOKED: tuple[tuple[type, str, tuple[str, ...]], ...] = (
    (Target, "_process_record_message", ("self", "message_dict")),
    (Target, "_process_schema_message", ("self", "message_dict")),
    (Target, "_process_batch_message", ("self", "message_dict")),
    (Target, "_process_activate_version_message", ("self", "message_dict")),
    (Target, "_write_state_message", ("self", "state")),
    (Target, "_handle_termination", ("self", "signum", "frame")),
    (SingerReader, "_process_unknown_message", ("self", "message_dict")),
    (BatchSink, "_parse_timestamps_in_record", ("self", "record", "schema", "treatment")),
    (BatchSink, "_singer_validate_message", ("self", "record")),
)
# Private attributes of a Target instance that the helpers below read.
HOOKED_TARGET_ATTRIBUTES: tuple[str, ...] = ("_latest_state", "_sinks_active")


class GuardedTarget(Target):
    """A Target whose unusable messages become reported failures, not a crash."""

    def report_bad_message(self, error: str, *, stream: str | None, record: Any) -> None:
        """Report one unusable input message (implemented by the target)."""
        raise NotImplementedError

    def state_to_write(self, state: dict[str, Any]) -> dict[str, Any]:
        """The STATE to emit for the tap's `state` (implemented by the target)."""
        raise NotImplementedError

    def stop_on_signal(self, signum: int) -> None:
        """Finish the records read so far and exit (implemented by the target)."""
        raise NotImplementedError

    def active_sinks(self) -> list[Sink]:
        """The sinks holding records not yet drained."""
        return list(self._sinks_active.values())

    def state_was_received(self) -> bool:
        """Whether the input carried any STATE message so far."""
        return self._latest_state is not None

    def write_state(self, state: dict[str, Any]) -> None:
        """Emit a STATE message now (through `state_to_write`)."""
        self._write_state_message(state)

    def _process_record_message(self, message_dict: dict) -> None:
        stream = message_dict.get("stream")
        if not isinstance(message_dict.get("record"), dict) or not isinstance(stream, str):
            self.report_bad_message(
                "RECORD message without a 'stream' name and a 'record' object",
                stream=None,
                record=None,
            )
            return
        try:
            super()._process_record_message(message_dict)
        except (InvalidInputLine, RecordsWithoutSchemaException) as exc:
            self.report_bad_message(str(exc), stream=stream, record=message_dict["record"])

    def _process_schema_message(self, message_dict: dict) -> None:
        try:
            super()._process_schema_message(message_dict)
        except InvalidInputLine as exc:
            self.report_bad_message(f"bad SCHEMA message: {exc}", stream=None, record=None)

    def _process_batch_message(self, message_dict: dict) -> None:
        # BATCH is not advertised; a tap that sends it anyway gets a clear failure.
        self.report_bad_message(
            "BATCH messages are not supported; send RECORD messages", stream=None, record=None
        )

    def _process_activate_version_message(self, message_dict: dict) -> None:
        # Intacct writes have no table versions; the SDK's handler would also fail on a
        # stream without a SCHEMA.
        self.logger.info("Ignoring ACTIVATE_VERSION for %r", message_dict.get("stream"))

    def _write_state_message(self, state: dict) -> None:
        super()._write_state_message(self.state_to_write(state))

    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:
        self.stop_on_signal(signum)


class GuardedReader(SingerReader):
    """A reader that hands unknown or unreadable messages to `on_bad_line`."""

    BAD_LINE = "_TARGET_INTACCT_BAD_LINE"
    BLANK_LINE = "_TARGET_INTACCT_BLANK_LINE"

    def report_bad_line(self, message: dict[str, Any]) -> bool:
        """Report `{"line", "error"}`; False when nobody listens (implemented below)."""
        raise NotImplementedError

    def _process_unknown_message(self, message_dict: dict) -> None:
        kind = message_dict.get("type")
        if kind == self.BLANK_LINE:
            return
        if kind != self.BAD_LINE:
            message_dict = {
                "type": self.BAD_LINE,
                "line": getattr(self, "line_number", 0),
                "error": f"unknown message type {kind!r}",
            }
        if not self.report_bad_line(message_dict):
            super()._process_unknown_message(message_dict)


class LenientBatchSink(BatchSink):
    """A batch sink that leaves validation and date parsing to the target.

    The SDK's own checks raise on the first bad record and stop the run; the target's
    validation turns each bad record into one failed outcome naming the field.
    """

    def _parse_timestamps_in_record(
        self, record: dict, schema: dict, treatment: DatetimeErrorTreatmentEnum
    ) -> None:
        """Dates stay text: the target's validation parses them and names bad ones."""

    def _singer_validate_message(self, record: dict) -> None:
        """Missing keys become rejections in the target's validation, not a crash."""
