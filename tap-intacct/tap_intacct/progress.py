"""A progress line every so often while a long stream syncs: records, rate, API calls.

The SDK's own metric lines count records only; an operator watching a million-row
GLDETAIL sync also wants the rate and what it has cost in metered calls so far.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

PROGRESS_EVERY_S = 30.0


class StreamProgress:
    """Called after each page; logs at most once per `every_s` seconds."""

    def __init__(
        self,
        logger: logging.Logger,
        stream: str,
        api_calls: Callable[[], int],
        every_s: float = PROGRESS_EVERY_S,
    ) -> None:
        self._logger = logger
        self._stream = stream
        self._api_calls = api_calls
        self._every_s = every_s
        self._started = time.monotonic()
        self._last = self._started

    def page_done(self, records: int) -> bool:
        """Log when the interval has passed; True when a line was written."""
        now = time.monotonic()
        if now - self._last < self._every_s:
            return False
        self._last = now
        elapsed = max(now - self._started, 1e-9)
        self._logger.info(
            "%s: %d records so far, %.0f records/s, %d API calls made by the tap",
            self._stream,
            records,
            records / elapsed,
            self._api_calls(),
        )
        return True
