"""Every private singer-sdk member the tap's streams use, in one place.

singer-sdk has no public hook to name a catalog entry's table, to keep a row from
moving the bookmark, to emit a RECORD without per-record mapping work, or to write
STATE and SCHEMA in the middle of a stream. `HookedStream` wraps each private member
once and offers a public method in its place; the tap's streams use only those.
singer-sdk is pinned (~=0.54.9) and `tests/tap/test_sdk_hooks.py` fails, naming the
member, when an upgrade renames or drops one of `HOOKED`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from singer_sdk import Stream
from singer_sdk.helpers.types import Context, Record
from singer_sdk.singerlib import RecordMessage

# (SDK class, private member, its parameter names; None for a property).
HOOKED: tuple[tuple[type, str, tuple[str, ...] | None], ...] = (
    (Stream, "_singer_catalog_entry", None),
    (Stream, "_increment_stream_state", ("self", "latest_record", "context")),
    (Stream, "_generate_record_messages", ("self", "record")),
    (Stream, "_write_state_message", ("self",)),
    (Stream, "_write_schema_message", ("self",)),
)
# Private attributes of a Stream instance read below.
HOOKED_STREAM_ATTRIBUTES: tuple[str, ...] = ("_stream_version",)


class HookedStream(Stream):
    """A Stream whose SDK internals are reached through public methods only."""

    def catalog_table_name(self) -> str | None:
        """The `table` of the stream's catalog entry (None keeps the SDK's)."""
        return None

    def moves_bookmark(self, record: Record) -> bool:
        """Whether emitting `record` may move the bookmark (the SDK's check follows)."""
        return True

    def plain_record_message(self, record: Record) -> RecordMessage | None:
        """A ready RECORD message for `record`, or None to let the SDK build it."""
        return None

    def write_state_now(self) -> None:
        """Emit the stream's STATE now (between pages, after the rows it covers)."""
        self._write_state_message()

    def write_schema_now(self) -> None:
        """Emit the stream's SCHEMA again (after its properties changed)."""
        self._write_schema_message()

    @property
    def stream_version(self) -> int | None:
        """The table version the SDK stamps on RECORD messages."""
        version: int | None = self._stream_version
        return version

    @property
    def _singer_catalog_entry(self) -> Any:
        entry = super()._singer_catalog_entry
        table = self.catalog_table_name()
        if table is not None:
            entry.table = table
        return entry

    def _increment_stream_state(
        self, latest_record: Record, *, context: Context | None = None
    ) -> None:
        if self.moves_bookmark(latest_record):
            super()._increment_stream_state(latest_record, context=context)

    def _generate_record_messages(self, record: Record) -> Generator[RecordMessage, None, None]:
        message = self.plain_record_message(record)
        if message is None:
            yield from super()._generate_record_messages(record)
            return
        yield message
