"""Unit tests: concurrency slots, calls-per-second spacing and the thread-safe call meter."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from intacct_client.throttle import CallMeter, Throttle


def test_at_most_n_slots_are_held_at_once() -> None:
    throttle = Throttle(max_concurrent=2)
    lock = threading.Lock()
    active = 0
    peak = 0

    def work(_: int) -> None:
        nonlocal active, peak
        with throttle.slot():
            with lock:
                active += 1
                peak = max(peak, active)
            time.sleep(0.01)
            with lock:
                active -= 1

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(24)))
    assert peak == 2


def test_calls_per_second_spaces_request_starts() -> None:
    throttle = Throttle(max_concurrent=4, calls_per_second=50)
    starts: list[float] = []
    for _ in range(6):
        with throttle.slot():
            starts.append(time.monotonic())
    # Starts are scheduled 1/50 s apart; a late wake-up can shorten one gap, never
    # the whole span.
    assert starts[-1] - starts[0] >= 5 * 0.02 - 0.002


def test_call_meter_counts_every_function_thread_safely() -> None:
    meter = CallMeter()

    def work(_: int) -> None:
        meter.record_request(["query", "query", "read"])
        meter.record_retry()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(200)))
    assert meter.call_counts == {"query": 400, "read": 200}
    assert meter.request_count == 200
    assert meter.retry_count == 200
    snapshot = meter.call_counts
    snapshot["query"] = 0
    assert meter.call_counts["query"] == 400


def test_backoff_waits_are_capped_full_jitter_and_honour_retry_after() -> None:
    from intacct_client.errors import IntacctRateLimitError
    from intacct_client.transport import full_jitter_waits, retry_after_seconds

    waits = full_jitter_waits(base=0.5, cap=4.0)
    waits.send(None)
    plain = IntacctRateLimitError("x")
    bounds = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    for bound in bounds:
        assert 0.0 <= waits.send(plain) <= bound
    told = IntacctRateLimitError("y")
    told.retry_after = 3.0
    assert 3.0 <= waits.send(told) <= 4.0
    told.retry_after = 60.0
    assert waits.send(told) == 4.0  # never beyond the cap
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") is None
    assert retry_after_seconds(None) is None
