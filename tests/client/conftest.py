"""Fixtures for client integration tests: clients pointed at a sandbox, with fast retries."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from intacct_client import ClientConfig, IntacctClient, IntacctRestClient

sys.path.insert(0, str(Path(__file__).parent))

from rest_kit import FAST_RETRIES, rest_settings


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


@pytest.fixture
def make_rest_client() -> Iterator[Callable[..., IntacctRestClient]]:
    """Build IntacctRestClients for a sandbox (fast backoff); all are closed after the test."""
    clients: list[IntacctRestClient] = []

    def factory(box: Any, **overrides: Any) -> IntacctRestClient:
        client = IntacctRestClient(ClientConfig.from_mapping(rest_settings(box, **overrides)))
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()
