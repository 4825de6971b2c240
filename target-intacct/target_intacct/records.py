"""One input record as the target tracks it, and the rejection raised for a bad one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InputRecord:
    """A record with where it came from, so every outcome can name it."""

    stream: str
    position: int  # 1-based position of the record within its stream in this run
    data: dict[str, Any]
    record_id: str | None  # the record's own id (natural key text), when it has one

    def describe(self) -> str:
        """Human label used in every message about this record."""
        if self.stream == "(input)":
            return f"input line {self.position}"
        label = f"{self.stream} record #{self.position}"
        if self.record_id:
            return f"{label} (id {self.record_id!r})"
        return label


def short_value(value: Any, limit: int = 80) -> str:
    """repr() of a value, cut so a huge string cannot flood a message."""
    text = repr(value)
    if len(text) > limit:
        return text[: limit - 3] + "..."
    return text


class RecordRejected(Exception):  # noqa: N818 - it is an outcome, not a crash
    """A record refused before any call: names stream, record, field and value."""

    def __init__(
        self,
        record: InputRecord,
        field: str | None,
        value: Any,
        reason: str,
        *,
        code: str = "TI-VALIDATION",
    ) -> None:
        self.record = record
        self.field = field
        self.value = value
        self.reason = reason
        self.code = code
        where = record.describe()
        if field is None:
            message = f"{where}: {reason}"
        else:
            message = f"{where}: field {field!r} = {short_value(value)}: {reason}"
        super().__init__(message)

    @property
    def message(self) -> str:
        """The rejection's text, naming the record, field and value."""
        return str(self)
