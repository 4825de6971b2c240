"""Settings: every one is described, secrets are marked, defaults are the documented ones."""

from __future__ import annotations

import subprocess
from typing import Any

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


def test_progress_line_counts_outcomes_failures_and_requests(
    tmp_path: Any, monkeypatch: Any, caplog: Any
) -> None:
    import logging

    import target_intacct.target as target_module
    from target_intacct.outcomes import failed
    from target_intacct.records import InputRecord

    monkeypatch.setattr(target_module, "PROGRESS_EVERY_S", 0.0)
    target = TargetIntacct(
        config={
            "sender_id": "s",
            "sender_password": "sp",
            "user_id": "u",
            "user_password": "up",
            "company_id": "c",
            "results_path": str(tmp_path / "results.jsonl"),
        },
        validate_config=False,
    )
    record = InputRecord(stream="Vendors", position=1, data={}, record_id=None)
    with caplog.at_level(logging.INFO):
        target.report([failed(record, "no name", errorno="TI-TEST")])
    lines = [
        r.getMessage() for r in caplog.records if "records written or reported" in r.getMessage()
    ]
    assert len(lines) == 1  # one line for one report
    assert lines[0].startswith("1 records written or reported so far (1 failed), ")
    assert lines[0].endswith("records/s, 0 requests")
    target.results.close()
