"""Per-company concurrency limit (HTTP 429 GW-0010) and --latency-ms."""

from __future__ import annotations

import threading
import time
from typing import Any


def test_concurrency_limit(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(seed="empty", latency_ms=1500, max_concurrent=2)
    body = kit.envelope("<getAPISession/>")
    barrier = threading.Barrier(4)
    statuses: list[int] = []
    lock = threading.Lock()

    def call() -> None:
        gw = kit.Gateway(box.api_url)
        barrier.wait()
        response = gw.post_raw(body)
        with lock:
            statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.headers["Content-Type"] == kit.XML_CONTENT_TYPE
            assert b"<errorno>GW-0010</errorno>" in response.content
            assert b"too many concurrent requests" in response.content

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 429, 429]
    # the slots are free again afterwards
    assert kit.Gateway(box.api_url).post_raw(body).status_code == 200


def test_unlimited_when_zero(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(seed="empty", latency_ms=800, max_concurrent=0)
    body = kit.envelope("<getAPISession/>")
    statuses: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: statuses.append(kit.Gateway(box.api_url).post_raw(body).status_code)
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4


def test_latency_is_added_to_every_call(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(seed="empty", latency_ms=400)
    gw = kit.Gateway(box.api_url)
    gw.post(kit.envelope("<getAPISession/>"))  # warm the connection
    started = time.monotonic()
    for _ in range(3):
        gw.post(kit.envelope("<getAPISession/>"))
    assert time.monotonic() - started >= 1.2
