"""Unreadable input becomes a reported failure, never a crash that loses buffered outcomes.

A line that is not JSON, not an object, or has no `type` is handed to a callback (the
target reports it as a failed input line and carries on); blank lines are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from singer_sdk.io_base import SingerReader
from singer_sdk.singerlib.json import deserialize_json

BAD_LINE = "_TARGET_INTACCT_BAD_LINE"
BLANK_LINE = "_TARGET_INTACCT_BLANK_LINE"


class AccountingReader(SingerReader):
    """SDK reader that counts lines and reports the ones it cannot use."""

    def __init__(self) -> None:
        super().__init__()
        self.line_number = 0
        self.on_bad_line: Callable[[dict[str, Any]], None] | None = None

    def deserialize_json(self, line: str) -> dict:
        self.line_number += 1
        if not line.strip():
            return {"type": BLANK_LINE}
        try:
            message = deserialize_json(line)
        except (json.JSONDecodeError, ValueError) as exc:
            return {"type": BAD_LINE, "line": self.line_number, "error": f"not valid JSON ({exc})"}
        if not isinstance(message, dict):
            return {"type": BAD_LINE, "line": self.line_number, "error": "not a JSON object"}
        if "type" not in message:
            return {"type": BAD_LINE, "line": self.line_number, "error": "no 'type' key"}
        return message

    def _process_unknown_message(self, message_dict: dict) -> None:
        kind = message_dict.get("type")
        if kind == BLANK_LINE:
            return
        if kind != BAD_LINE:
            message_dict = {
                "type": BAD_LINE,
                "line": self.line_number,
                "error": f"unknown message type {kind!r}",
            }
        if self.on_bad_line is None:
            super()._process_unknown_message(message_dict)
            return
        self.on_bad_line(message_dict)
