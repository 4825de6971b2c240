"""Settings: every one is described, secrets are marked, defaults are the documented ones."""

from __future__ import annotations

import subprocess

from target_helpers import TARGET_EXE
from target_intacct.sinks import lookup_window
from target_intacct.target import TargetIntacct

OWN = {"batch_size", "transaction", "results_path", "dry_run", "default_journal", "fail_on_error"}


def test_every_setting_is_described_and_secrets_are_marked() -> None:
    properties = TargetIntacct.config_jsonschema["properties"]
    assert set(properties) >= OWN
    for name, spec in properties.items():
        assert spec.get("description"), name
    for secret in ("sender_password", "user_password"):
        assert properties[secret].get("secret") is True
        assert properties[secret].get("writeOnly") is True
    assert properties["batch_size"]["default"] == 100
    assert properties["transaction"]["default"] == "none"
    assert properties["transaction"]["enum"] == ["none", "batch"]
    assert properties["fail_on_error"]["default"] is True


def test_about_markdown_lists_the_settings() -> None:
    out = subprocess.run(
        [str(TARGET_EXE), "--about", "--format", "markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in OWN:
        assert f"| {name} |" in out


def test_lookup_window_is_ten_requests_capped_at_the_in_limit() -> None:
    assert lookup_window(100) == 1000
    assert lookup_window(10) == 100
    assert lookup_window(1000) == 1000
    assert lookup_window(1) == 10
