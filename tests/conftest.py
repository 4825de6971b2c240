"""Shared fixtures: a real sandbox process on a free loopback port.

`sandbox` is one demo-seeded process for the whole test session; tests that change
data take `clean_sandbox`, which resets it to the seed first. Tests that need other
server options (latency, time zone, limits) start their own with `sandbox_factory`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sandbox_process import (
    DEFAULT_CREDENTIALS,
    READONLY_CREDENTIALS,
    Sandbox,
    start_sandbox,
)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One demo-seeded sandbox for the session (read-only use, or reset first)."""
    box = start_sandbox(seed="demo")
    try:
        yield box
    finally:
        box.stop()


@pytest.fixture
def clean_sandbox(sandbox: Sandbox) -> Sandbox:
    """The session sandbox, reset to its seed (data, faults, clock) before the test."""
    sandbox.reset()
    return sandbox


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    """Start extra sandboxes with custom options; all are stopped after the test."""
    started: list[Sandbox] = []

    def factory(**kwargs: Any) -> Sandbox:
        box = start_sandbox(**kwargs)
        started.append(box)
        return box

    yield factory
    for box in started:
        box.stop()


@pytest.fixture
def default_credentials() -> dict[str, str]:
    return dict(DEFAULT_CREDENTIALS)


@pytest.fixture
def readonly_credentials() -> dict[str, str]:
    return dict(READONLY_CREDENTIALS)
