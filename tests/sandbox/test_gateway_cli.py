"""The command line: banner, clean exit on SIGTERM/SIGINT, reuse of a seeded file, seed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any


def test_sigterm_exits_cleanly_and_file_is_reused(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(seed="empty")
    vendor_id = kit.unique_id("CLI")
    created = kit.Gateway(box.api_url).post(kit.envelope(kit.vendor_create(vendor_id)))
    assert kit.text_of(created.results()[0], "status") == "success"
    box.process.send_signal(signal.SIGTERM)
    assert box.process.wait(timeout=15) == 0
    assert box.process.stdout is not None
    assert box.process.stdout.read() == ""  # the banner was the only line
    again = sandbox_factory(seed="empty", db_path=box.db_path)
    assert vendor_id in {row["VENDORID"] for row in again.records("VENDOR")}
    again.process.send_signal(signal.SIGINT)
    assert again.process.wait(timeout=15) == 0


def test_seed_command(tmp_path: Path) -> None:
    db = tmp_path / "seeded.db"
    out = subprocess.run(
        [sys.executable, "-m", "intacct_sandbox", "seed", "--db", str(db), "--scale", "1"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(out.stdout)
    assert report["scale"] == 1
    assert report["records"]["GLDETAIL"] > 0
    assert report["rows"] == sum(report["records"].values())
    assert db.exists()
    assert Path(str(db) + ".pristine").exists()
