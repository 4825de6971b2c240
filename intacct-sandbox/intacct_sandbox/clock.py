"""A wall clock that tests can freeze, so several writes can share one WHENMODIFIED second."""

from __future__ import annotations

import threading
from datetime import datetime, timezone


class Clock:
    """Thread-safe UTC clock: real time unless frozen at a fixed instant."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        """The current instant as a tz-aware UTC datetime (the frozen one when frozen)."""
        with self._lock:
            frozen = self._frozen
        return frozen if frozen is not None else datetime.now(timezone.utc)

    def freeze(self, instant: datetime) -> None:
        """Stop the clock at `instant` (naive values are taken as UTC)."""
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=timezone.utc)
        with self._lock:
            self._frozen = instant.astimezone(timezone.utc)

    def unfreeze(self) -> None:
        with self._lock:
            self._frozen = None

    @property
    def frozen(self) -> datetime | None:
        with self._lock:
            return self._frozen


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant from the control API (accepts a trailing `Z`)."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    return datetime.fromisoformat(value)
