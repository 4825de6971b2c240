"""The CLI on hostile or broken input: every line is accounted for, nothing crashes.

None of these inputs reaches Intacct (they all fail validation first), so the config
points at a closed port: a request would fail the test loudly.
"""

from __future__ import annotations

import json
from pathlib import Path

from target_helpers import run_target

CONFIG = {
    "company_id": "C",
    "sender_id": "s",
    "sender_password": "sender-secret-xyz",
    "user_id": "u",
    "user_password": "user-secret-xyz",
    "api_url": "http://127.0.0.1:9/ia/xml/xmlgw.phtml",
    "max_retries": 0,
}

BAD_INPUT = "\n".join(
    [
        '{"type":"SCHEMA","stream":"Vendors","schema":{"properties":{}}}',
        "not json at all",
        "",
        "[1, 2]",
        '{"no": "type"}',
        '{"type": "WEIRD"}',
        '{"type":"RECORD","stream":"Bills","record":{"billNumber":"x"}}',
        '{"type":"RECORD","stream":"Vendors","record":5}',
        '{"type":"RECORD","stream":"Vendors","record":{"name":"' + "x" * 100000 + '","fax":1}}',
        '{"type":"RECORD","stream":"Vendors","record":{"name":"ok","status":"maybe"}}',
        '{"type":"SCHEMA","stream":"X"}',
        '{"type":"SCHEMA","stream":"Bills","schema":{"properties":{}}}',
        '{"type":"RECORD","stream":"Bills","record":{"billNumber":"B","vendorId":"V",'
        '"issueDate":"2024-02-30","dueDate":"2024-03-01","lineItems":[{"accountNumber":"1",'
        '"amount":1}]}}',
        '{"type":"ACTIVATE_VERSION","stream":"Bills","version":1}',
        '{"type":"BATCH","stream":"Bills","encoding":{"format":"jsonl"},"manifest":[]}',
        '{"type":"RECORD","stream":"Bills","record":{"billNumber":"B2","vendorId":"V",'
        '"issueDate":"2024-02-01","dueDate":"2024-03-01","lineItems":[{"accountNumber":"1",'
        '"amount":"1.5x"}]}}',
    ]
)


def test_every_bad_line_gets_an_outcome_and_the_run_fails_cleanly(tmp_path: Path) -> None:
    run = run_target(CONFIG, BAD_INPUT + "\n", tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    by_stream: dict[str, list[dict]] = {}
    for result in run.results:
        by_stream.setdefault(result["stream"], []).append(result)
    assert [r["position"] for r in by_stream["(input)"]] == [2, 4, 5, 6, 8, 11, 15]
    assert all(r["errorno"] == "TI-BAD-MESSAGE" for r in by_stream["(input)"])
    assert "not valid JSON" in by_stream["(input)"][0]["message"]
    bills = by_stream["Bills"]
    assert bills[0]["errorno"] == "TI-BAD-MESSAGE"  # record before schema
    assert "issueDate" in bills[1]["message"]
    assert "2024-02-30" in bills[1]["message"]
    assert "lineItems[0].amount" in bills[2]["message"]
    vendors = by_stream["Vendors"]
    assert len(vendors) == 2
    assert "'name'" in vendors[0]["message"]
    assert "at most 100" in vendors[0]["message"]
    assert len(vendors[0]["message"]) < 1000  # a huge value is cut in messages
    assert "status" in vendors[1]["message"]
    assert "'active'" in vendors[1]["message"]
    summary = run.states[-1]["target_intacct_summary"]
    assert summary["failed"] == len(run.results) == 12
    assert summary["requests"] == 0
    text = run.stdout + run.stderr + json.dumps(run.results)
    assert "sender-secret-xyz" not in text
    assert "user-secret-xyz" not in text


def test_empty_input_still_writes_a_summary_and_a_results_file(tmp_path: Path) -> None:
    run = run_target(CONFIG, "", tmp_path)
    assert run.returncode == 0
    assert run.results == []
    assert run.states[-1]["target_intacct_summary"]["records"] == 0
    assert list(tmp_path.glob("results-*.jsonl"))


def test_null_settings_mean_defaults(tmp_path: Path) -> None:
    """Orchestrators may pass unset settings as null: fail_on_error stays on."""
    config = {**CONFIG, "fail_on_error": None, "batch_size": None, "dry_run": None}
    run = run_target(config, "not json\n", tmp_path)
    assert run.returncode == 1
    assert run.outcomes() == ["failed"]
