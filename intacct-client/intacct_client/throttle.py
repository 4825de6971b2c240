"""Throughput hygiene: concurrent-request limit, calls-per-second limit, call meter."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class Throttle:
    """At most ``max_concurrent`` requests in flight and ``calls_per_second`` starts."""

    def __init__(self, max_concurrent: int, calls_per_second: float | None = None) -> None:
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._interval = 1.0 / calls_per_second if calls_per_second else 0.0
        self._lock = threading.Lock()
        self._next_start = 0.0

    def _wait_for_rate(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self._interval
        delay = start - now
        if delay > 0:
            time.sleep(delay)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one request slot (and respect the rate limit) for the block."""
        with self._slots:
            self._wait_for_rate()
            yield


class CallMeter:
    """Thread-safe counters: API calls per function name, HTTP requests, retries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self._requests = 0
        self._retries = 0

    def record_request(self, function_names: Iterable[str]) -> None:
        """Count one HTTP request and each function it carries."""
        with self._lock:
            self._requests += 1
            self._calls.update(function_names)

    def record_retry(self) -> None:
        """Count one retried request."""
        with self._lock:
            self._retries += 1

    @property
    def call_counts(self) -> dict[str, int]:
        """A snapshot of API calls per function name."""
        with self._lock:
            return dict(self._calls)

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far."""
        with self._lock:
            return self._requests

    @property
    def retry_count(self) -> int:
        """Requests sent again after a retryable failure."""
        with self._lock:
            return self._retries
