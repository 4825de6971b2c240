"""The target under the user's date-format preference: dates it writes land on the right
day (03/04 is never read as 4 March for one reading and 3 April for the other), and a
re-run compares the day-first dates Intacct answers with as equal (nothing re-written)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from target_helpers import run_target, singer_lines


def _accounts(box: Any) -> tuple[str, str]:
    numbers = [r["ACCOUNTNO"] for r in box.records("GLACCOUNT") if r.get("ACCOUNTNO")]
    assert len(numbers) >= 2
    return numbers[0], numbers[1]


def _input(box: Any) -> str:
    expense, liability = _accounts(box)
    return singer_lines(
        {
            "Vendors": [{"id": "DV-1", "name": "Day First Supplies"}],
            "Bills": [
                {
                    "billNumber": "DB-1",
                    "vendorId": "DV-1",
                    "issueDate": "2026-03-04",
                    "dueDate": "2026-04-05",
                    "lineItems": [{"accountNumber": expense, "amount": Decimal("42.10")}],
                }
            ],
            "JournalEntries": [
                {
                    "id": "DJ-1",
                    "journal": "GJ",
                    "transactionDate": "2026-02-01",
                    "lines": [
                        {"accountNumber": expense, "amount": Decimal("7"), "postingType": "debit"},
                        {
                            "accountNumber": liability,
                            "amount": Decimal("7"),
                            "postingType": "credit",
                        },
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize("date_format", ["dd/mm/yyyy", "dd.mm.yyyy", "mm/dd/yyyy"])
def test_dates_land_and_read_back_under_date_format(
    sandbox_factory: Any, tmp_path: Path, date_format: str
) -> None:
    box = sandbox_factory(variants={"date_format": date_format})
    config = box.config(default_journal="GJ", max_retries=2)
    text = _input(box)
    first = run_target(config, text, tmp_path / "one")
    assert first.returncode == 0, first.stderr[-3000:]
    assert set(first.outcomes()) == {"created"}, first.results
    bill = next(r for r in box.records("APBILL") if r.get("RECORDID") == "DB-1")
    assert (bill["WHENCREATED"], bill["WHENDUE"]) == ("2026-03-04", "2026-04-05")
    batch_key = first.by_id("DJ-1")["key"]
    batch = next(r for r in box.records("GLBATCH") if str(r["RECORDNO"]) == str(batch_key))
    assert batch["BATCH_DATE"] == "2026-02-01"
    second = run_target(config, text, tmp_path / "two")
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.outcomes("Bills") == ["unchanged"], second.results
    assert second.outcomes("JournalEntries") == ["unchanged"], second.results
