"""Singer output: msgspec serialisation, one flush per STATE instead of per RECORD.

Flushing stdout after every record costs a system call per record (a large share of a
fast tap's time). Records only need to reach the target before the STATE that covers
them, so RECORD lines are left in the buffer and every other message flushes it. A
killed tap can lose only records written after its last flushed STATE, which a restart
from that STATE reads again.
"""

from __future__ import annotations

import sys

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib import Message, RecordMessage


class BufferedRecordWriter(MsgSpecWriter):
    """MsgSpecWriter (Decimal as JSON numbers) that flushes on non-RECORD messages."""

    def write_message(self, message: Message) -> None:
        """Write one message; flush unless it is a RECORD."""
        sys.stdout.buffer.write(self.format_message(message))
        if not isinstance(message, RecordMessage):
            sys.stdout.flush()
