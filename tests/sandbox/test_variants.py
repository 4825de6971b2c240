"""Variants: chosen by flag or environment, reported by GET /_sandbox/variants, checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from intacct_sandbox import variants


def test_defaults_are_reported_by_a_plain_sandbox(sandbox: Any) -> None:
    reported = sandbox.variants()
    assert reported == variants.defaults()
    assert {"line_audit", "audit_accessmode", "audit_objecttype", "timestamp_zone"} <= set(reported)
    assert reported["line_audit"] == "unaudited"


def test_flag_and_environment_choose_variants(sandbox_factory: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv(
        variants.ENVIRONMENT_VARIABLE, "audit_accessmode=words, date_format=dd/mm/yyyy"
    )
    box = sandbox_factory(
        seed="empty", variants={"date_format": "yyyy-mm-dd", "LINE_AUDIT": "Audited"}
    )
    reported = box.variants()
    assert reported["audit_accessmode"] == "words"  # from the environment
    assert reported["date_format"] == "yyyy-mm-dd"  # the flag wins over the environment
    assert reported["line_audit"] == "audited"  # names and values are case-insensitive
    assert reported["timestamp_zone"] == variants.defaults()["timestamp_zone"]


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("nosuch=1", "unknown variant 'nosuch'"),
        ("line_audit=maybe", "has no value 'maybe'"),
        ("line_audit", "is not NAME=VALUE"),
    ],
)
def test_bad_variant_is_refused_before_serving(tmp_path: Path, argument: str, message: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != variants.ENVIRONMENT_VARIABLE}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "intacct_sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(tmp_path / "x.db"),
            "--seed",
            "empty",
            "--variant",
            argument,
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "listening" not in done.stdout


def test_overridden_restores_previous_answers() -> None:
    before = variants.snapshot()
    with variants.overridden(session_fields="minimal") as inside:
        assert variants.active("session_fields") == "minimal"
        assert inside["session_fields"] == "minimal"
    assert variants.snapshot() == before
