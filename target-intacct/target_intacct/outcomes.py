"""Per-record outcomes: one JSONL line per input record, plus counts per stream.

The results file never holds secrets: only record ids, Intacct keys and the error
texts the client already redacts.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from target_intacct.records import InputRecord, RecordRejected

logger = logging.getLogger(__name__)

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
FAILED = "failed"
WOULD_CREATE = "would_create"  # dry_run only
WOULD_UPDATE = "would_update"  # dry_run only
OUTCOMES: tuple[str, ...] = (CREATED, UPDATED, UNCHANGED, FAILED, WOULD_CREATE, WOULD_UPDATE)


@dataclass(frozen=True)
class Outcome:
    """What happened to one input record."""

    record: InputRecord
    outcome: str
    key: str | None = None
    errorno: str | None = None
    description2: str | None = None
    correction: str | None = None
    message: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The record's line in the results file."""
        line: dict[str, Any] = {
            "stream": self.record.stream,
            "position": self.record.position,
            "record_id": self.record.record_id,
            "outcome": self.outcome,
            "key": self.key,
        }
        if self.outcome == FAILED:
            line.update(
                errorno=self.errorno,
                description2=self.description2,
                correction=self.correction,
                message=self.message,
            )
        return line


def rejected(error: RecordRejected) -> Outcome:
    """The outcome of a record refused before any call."""
    return Outcome(
        record=error.record,
        outcome=FAILED,
        errorno=error.code,
        description2=error.reason,
        correction=None,
        message=error.message,
    )


def failed(
    record: InputRecord,
    message: str,
    *,
    errorno: str | None = None,
    description2: str | None = None,
    correction: str | None = None,
) -> Outcome:
    """A failed outcome for a record, with Intacct's error fields when known."""
    return Outcome(
        record=record,
        outcome=FAILED,
        errorno=errorno,
        description2=description2 if description2 is not None else message,
        correction=correction or None,
        message=f"{record.describe()}: {message}",
    )


def default_results_path(now: datetime | None = None) -> Path:
    """`./target-intacct-results-<UTC timestamp>.jsonl` in the working directory."""
    moment = now or datetime.now(timezone.utc)
    return Path.cwd() / f"target-intacct-results-{moment.strftime('%Y%m%dT%H%M%S%fZ')}.jsonl"


class Summary:
    """Counts of outcomes per stream (thread-safe)."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._lock = threading.Lock()

    def add(self, outcome: Outcome) -> None:
        """Count one outcome under its stream."""
        with self._lock:
            self._counts[outcome.record.stream][outcome.outcome] += 1

    def as_dict(self) -> dict[str, dict[str, int]]:
        """Counts per stream and outcome, streams sorted."""
        with self._lock:
            return {stream: dict(counts) for stream, counts in sorted(self._counts.items())}

    def failures(self) -> int:
        """Number of failed outcomes so far."""
        with self._lock:
            return sum(counts.get(FAILED, 0) for counts in self._counts.values())

    def total(self) -> int:
        """Number of outcomes so far."""
        with self._lock:
            return sum(sum(counts.values()) for counts in self._counts.values())


class ResultsWriter:
    """Appends outcome lines to the results file, flushing each batch."""

    def __init__(self, path: Path, summary: Summary) -> None:
        self.path = path
        self.summary = summary
        self._file: IO[str] | None = None
        self._lock = threading.Lock()

    def write(self, outcomes: list[Outcome]) -> None:
        """Append outcomes to the results file, one JSON line each."""
        with self._lock:
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            for outcome in outcomes:
                self._file.write(json.dumps(outcome.as_json(), ensure_ascii=False) + "\n")
                self.summary.add(outcome)
                if outcome.outcome == FAILED:
                    logger.error("%s", outcome.message)
            self._file.flush()

    def close(self) -> None:
        """Close the results file, creating an empty one when nothing was written."""
        with self._lock:
            if self._file is None:
                # An empty run still leaves a (empty) results file, so callers can rely on it.
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.touch()
            else:
                self._file.close()
                self._file = None
