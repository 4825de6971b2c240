"""Streams whose records may carry attachments (Bills, Invoices, JournalEntries)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from target_intacct.attachments import check_attachments
from target_intacct.mapping.base import UnifiedSpec, WriteSettings
from target_intacct.records import InputRecord, RecordRejected

if TYPE_CHECKING:
    from target_intacct.writer import RunState


class WithAttachments(UnifiedSpec):
    """A unified stream whose records may carry attachments.

    It checks attachments in validation and stores them (once) before prepare, so the
    record can carry the SUPDOCID of its supporting document.
    """

    def __init__(self) -> None:
        self._supdocs: dict[int, str] = {}  # SUPDOCID by position, for this window's prepare

    def check_attachments(self, item: InputRecord, settings: WriteSettings) -> None:
        """Reject the record when its attachments are malformed or too large."""
        check_attachments(item, settings.attachment_max_bytes)

    def preload(self, items: Sequence[InputRecord], run: RunState) -> dict[int, RecordRejected]:
        """Store the window's attachments; return rejections by position."""
        ids, rejections = run.attachments.attach(items, run)
        self._supdocs = ids
        return rejections

    def supdoc_of(self, item: InputRecord) -> str | None:
        """The SUPDOCID stored for the record, or None when it has no attachments."""
        return self._supdocs.get(item.position)
