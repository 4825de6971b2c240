"""Reliability suite fixtures: DEBUG logging everywhere, a leak scan after every test,
and one catalog of the streams the suite syncs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from reliability_kit import CAPTURE, fast_tap_config, run_tap_captured

SUITE_OBJECTS = ["VENDOR", "CUSTOMER", "APBILL", "ARINVOICE", "GLBATCH"]


@pytest.fixture(autouse=True)
def leak_scan(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[None]:
    """Run every tap/target of the test at DEBUG, then fail if anything captured holds a
    password or a session id (stdout, stderr, catalogs, STATE, results, sandbox logs).

    The shared session sandbox is reset after each test that used it, so the suites
    that run after this one find the demo seed and an empty fault queue."""
    monkeypatch.setenv("LOGLEVEL", "DEBUG")
    CAPTURE.clear()
    yield
    found = CAPTURE.findings()
    CAPTURE.clear()
    if {"sandbox", "clean_sandbox"} & set(request.fixturenames):
        request.getfixturevalue("sandbox").reset()
    if found:
        pytest.fail("secret leak: " + "; ".join(found), pytrace=False)


@pytest.fixture(scope="session")
def suite_catalog(sandbox: Any) -> dict[str, Any]:
    """Catalog of the objects the suite syncs (discovered once, from the demo seed)."""
    run = run_tap_captured(
        fast_tap_config(sandbox, objects=SUITE_OBJECTS), extra=["--discover"], label="discover"
    )
    assert run.returncode == 0, run.stderr[-3000:]
    catalog = json.loads(run.stdout)
    names = {e["tap_stream_id"] for e in catalog["streams"]}
    assert {name.lower() for name in SUITE_OBJECTS} <= names
    return catalog
