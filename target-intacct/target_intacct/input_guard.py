"""Unreadable input becomes a reported failure, never a crash that loses buffered outcomes.

A line that is not JSON, not an object, or has no `type` is handed to a callback (the
target reports it as a failed input line and carries on); blank lines are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from singer_sdk.singerlib.json import deserialize_json

from target_intacct.sdk_hooks import GuardedReader


class AccountingReader(GuardedReader):
    """SDK reader that counts lines and reports the ones it cannot use."""

    def __init__(self) -> None:
        super().__init__()
        self.line_number = 0
        self.on_bad_line: Callable[[dict[str, Any]], None] | None = None

    def deserialize_json(self, line: str) -> dict:
        """Parse one input line; a line that is no Singer message becomes a bad-line message."""
        self.line_number += 1
        if not line.strip():
            return {"type": self.BLANK_LINE}
        try:
            message = deserialize_json(line)
        except (json.JSONDecodeError, ValueError) as exc:
            return self._bad(f"not valid JSON ({exc})")
        if not isinstance(message, dict):
            return self._bad("not a JSON object")
        if "type" not in message:
            return self._bad("no 'type' key")
        return message

    def _bad(self, error: str) -> dict[str, Any]:
        return {"type": self.BAD_LINE, "line": self.line_number, "error": error}

    def report_bad_line(self, message: dict[str, Any]) -> bool:
        """Hand a bad line to the target's callback; False when none is set."""
        if self.on_bad_line is None:
            return False
        self.on_bad_line(message)
        return True
