"""Fixtures for client integration tests: clients pointed at a sandbox, with fast retries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from intacct_client import ClientConfig, IntacctClient

FAST_RETRIES: dict[str, Any] = {"backoff_base": 0.01, "backoff_max": 0.05, "max_retries": 3}


@pytest.fixture
def make_client() -> Iterator[Callable[..., IntacctClient]]:
    """Build IntacctClients for a sandbox (fast backoff); all are closed after the test."""
    clients: list[IntacctClient] = []

    def factory(box: Any, **overrides: Any) -> IntacctClient:
        settings = {**FAST_RETRIES, **overrides}
        client = IntacctClient(ClientConfig.from_mapping(box.config(**settings)))
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()
