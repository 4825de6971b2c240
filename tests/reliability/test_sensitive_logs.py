"""The tap at DEBUG: tax ids reach the emitted records (the data) and never its log.

The suite runs every tap at LOGLEVEL=DEBUG, where the client logs each request and
answer; the values of the names Intacct's SDKs mask (tax ids, bank and card numbers,
passwords, session ids) must appear there only as the mask.
"""

from __future__ import annotations

import re
from typing import Any

from intacct_client.redaction import MASK
from reliability_kit import fast_tap_config, run_tap_captured
from tap_helpers import select


def test_tap_debug_log_masks_vendor_tax_ids(sandbox: Any, suite_catalog: dict[str, Any]) -> None:
    catalog = select(suite_catalog, ["vendor"])
    config = fast_tap_config(sandbox, page_size=25, include_deletes=False)
    run = run_tap_captured(config, catalog, label="vendor at DEBUG")
    assert run.returncode == 0, run.stderr[-3000:]
    tax_ids = {str(row["TAXID"]) for row in run.rows("vendor") if row.get("TAXID")}
    seeded = {str(row["TAXID"]) for row in sandbox.records("VENDOR") if row.get("TAXID")}
    assert tax_ids == seeded
    assert len(tax_ids) >= 50
    assert "response HTTP 200" in run.stderr  # the answers are in the log
    leaked = sorted(value for value in tax_ids if value in run.stderr)
    assert leaked == [], f"{len(leaked)} tax ids in clear in the log, e.g. {leaked[:3]}"
    # The logged answers (each cut at 20,000 characters) hold the element, masked.
    shown = re.findall(r"<TAXID>([^<]*)", run.stderr)
    assert len(shown) >= 10
    assert set(shown) <= {MASK, ""}, sorted(set(shown))[:5]
