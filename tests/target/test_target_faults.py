"""Target under faults: slow answers past the timeout, and a SIGKILL mid-run then rerun.

Ground truth is the sandbox's own records: every natural key exists exactly once.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from target_helpers import TARGET_EXE, run_target, singer_lines


def _bills(prefix: str, vendor: str, count: int) -> list[dict[str, Any]]:
    return [
        {
            "billNumber": f"{prefix}-{n:04d}",
            "vendorId": vendor,
            "issueDate": "2025-01-15",
            "dueDate": "2025-02-14",
            "lineItems": [{"accountNumber": "6200", "amount": Decimal(n + 1) + Decimal("0.10")}],
        }
        for n in range(count)
    ]


def _bill_numbers(sandbox: Any, prefix: str) -> Counter[str]:
    return Counter(
        b["RECORDID"]
        for b in sandbox.records("APBILL")
        if str(b.get("RECORDID")).startswith(prefix)
    )


def test_slow_answer_past_the_timeout_is_retried_without_duplicates(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    box.fault("slow", count=1, function="create", delay_s=3)
    data = {
        "Bills": _bills("SLOW", "V00001", 12),
        "JournalEntries": [
            {
                "id": "SLOW-JE",
                "journal": "GJ",
                "transactionDate": "2025-01-31",
                "lines": [
                    {"accountNumber": "6100", "amount": Decimal("10"), "postingType": "debit"},
                    {"accountNumber": "2100", "amount": Decimal("10"), "postingType": "credit"},
                ],
            }
        ],
    }
    run = run_target(
        box.config(request_timeout=1, max_retries=4, batch_size=5), singer_lines(data), tmp_path
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert set(run.outcomes()) == {"created"}
    numbers = _bill_numbers(box, "SLOW-")
    assert len(numbers) == 12
    assert set(numbers.values()) == {1}
    entries = [g for g in box.records("GLBATCH") if g.get("REFERENCENO") == "SLOW-JE"]
    assert len(entries) == 1
    summary = run.states[-1]["target_intacct_summary"]
    assert summary["retries"] >= 1


def test_killed_run_rerun_on_the_same_input_creates_nothing_twice(
    sandbox_factory: Any, tmp_path: Path
) -> None:
    box = sandbox_factory(latency_ms=60)
    total = 200
    text = singer_lines({"Bills": _bills("KILL", "V00002", total)})
    workdir = tmp_path / "killed"
    workdir.mkdir()
    results = workdir / "results.jsonl"
    config = box.config(batch_size=10, results_path=str(results), backoff_base=0.05)
    (workdir / "config.json").write_text(json.dumps(config))
    proc = subprocess.Popen(
        [str(TARGET_EXE), "--config", str(workdir / "config.json")],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=workdir,
    )
    assert proc.stdin is not None
    proc.stdin.write(text)
    proc.stdin.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = len(results.read_text().splitlines()) if results.exists() else 0
        if done >= 60:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(1.5)  # a request in flight at the kill still commits on the server
    landed_before_rerun = sum(_bill_numbers(box, "KILL-").values())
    assert 0 < landed_before_rerun < total

    rerun = run_target(box.config(batch_size=10), text, tmp_path / "rerun")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    numbers = _bill_numbers(box, "KILL-")
    assert len(numbers) == total
    assert set(numbers.values()) == {1}
    outcomes = Counter(rerun.outcomes())
    assert outcomes["unchanged"] == landed_before_rerun
    assert outcomes["created"] == total - landed_before_rerun


def test_commit_then_drop_with_transaction_batch(clean_sandbox: Any, tmp_path: Path) -> None:
    box = clean_sandbox
    box.fault("commit_then_drop", count=1, function="create")
    run = run_target(
        box.config(transaction="batch", batch_size=4),
        singer_lines({"Bills": _bills("TXD", "V00003", 10)}),
        tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.outcomes() == ["created"] * 10
    numbers = _bill_numbers(box, "TXD-")
    assert len(numbers) == 10
    assert set(numbers.values()) == {1}


def test_wrong_credentials_fail_every_record_without_leaking(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    config = box.config(user_password="wrong-password-123", max_retries=1)
    text = singer_lines(
        {"Bills": _bills("AUTH", "V00001", 3), "Vendors": [{"id": "AUTH-V", "name": "x"}]}
    )
    before = box.stats()["records"]["APBILL"]
    run = run_target(config, text, tmp_path)
    assert run.returncode == 1
    assert len(run.results) == 4
    assert run.outcomes() == ["failed"] * 4
    assert box.stats()["records"]["APBILL"] == before
    assert any(
        r["errorno"] == "TI-NOT-SENT" or "authentic" in (r["message"] or "").lower()
        for r in run.results
    )
    everything = run.stdout + run.stderr + json.dumps(run.results)
    assert "wrong-password-123" not in everything
    assert "sandbox-sender-pass" not in everything


def test_sigterm_writes_what_was_read_and_reports_it(clean_sandbox: Any, tmp_path: Path) -> None:
    box = clean_sandbox
    results = tmp_path / "results.jsonl"
    (tmp_path / "config.json").write_text(json.dumps(box.config(results_path=str(results))))
    proc = subprocess.Popen(
        [str(TARGET_EXE), "--config", str(tmp_path / "config.json")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert proc.stdin is not None
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until the signal handlers are installed
        if "Ready:" in line:
            break
    proc.stdin.write(singer_lines({"Bills": _bills("TERM", "V00004", 5)}))
    proc.stdin.flush()  # input stays open: the target is still waiting for more
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr[-3000:]
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert [line["outcome"] for line in lines] == ["created"] * 5
    assert len(_bill_numbers(box, "TERM-")) == 5
    final = json.loads(stdout.splitlines()[-1])
    assert final["target_intacct_summary"]["streams"]["Bills"] == {"created": 5}


def test_gateway_failing_beyond_retries_stops_the_run_loudly(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    box.fault("http_503", count=1000)
    vendors = [{"id": f"DOWN-{n}", "name": f"Down {n}"} for n in range(30)]
    run = run_target(
        box.config(batch_size=1, max_retries=2), singer_lines({"Vendors": vendors}), tmp_path
    )
    box.reset()  # clear the remaining faults for later tests
    assert run.returncode == 1
    assert run.outcomes() == ["failed"] * 30
    first, later = run.results[0], run.results[-1]
    assert "503" in first["message"] or "HTTP" in first["message"]
    assert later["errorno"] == "TI-NOT-SENT"
    assert "kept failing" in later["message"] or "stops the run" in later["message"]
    # The first window's lookup (1 + 2 retries) and nothing per later window.
    assert run.states[-1]["target_intacct_summary"]["requests"] <= 6
    assert "Traceback" not in run.stderr
