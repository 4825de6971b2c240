"""The target under both answers of the sandbox variant `unknown_fields`.

Intacct may ignore a field an object does not have (a third-party target has sent
DEPARTMENTID beside DEPARTMENT on journal lines for years) or refuse it. Our target must
not depend on either: it refuses unknown input fields itself (its JSON schemas), and the
fields it writes all exist, so the same input lands the same way under both answers.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from target_helpers import run_target, singer_lines


def _inputs(box: Any) -> dict[str, list[dict[str, Any]]]:
    accounts = [r["ACCOUNTNO"] for r in box.records("GLACCOUNT") if r.get("ACCOUNTNO")]
    department = next(r["DEPARTMENTID"] for r in box.records("DEPARTMENT") if r["DEPARTMENTID"])
    location = next(r["LOCATIONID"] for r in box.records("LOCATION") if r["LOCATIONID"])

    def entry(ident: str, **line_extra: Any) -> dict[str, Any]:
        return {
            "id": ident,
            "journal": "GJ",
            "transactionDate": "2024-05-15",
            "description": f"Entry {ident}",
            "lines": [
                {
                    "accountNumber": accounts[0],
                    "amount": Decimal("40.00"),
                    "postingType": "debit",
                    "department": department,
                    "location": location,
                    **line_extra,
                },
                {
                    "accountNumber": accounts[1],
                    "amount": Decimal("40.00"),
                    "postingType": "credit",
                    "location": location,
                },
            ],
        }

    return {
        "JournalEntries": [
            entry("UF-GOOD"),
            entry("UF-LINE", departmentId=department),  # the third-party client's habit
            {**entry("UF-HEAD"), "colour": "blue"},
        ]
    }


@pytest.mark.parametrize("answer", ["reject", "ignore"])
def test_target_refuses_unknown_fields_itself(
    answer: str, sandbox_factory: Any, tmp_path: Path
) -> None:
    box = sandbox_factory(variants={"unknown_fields": answer})
    batches_before = {b["RECORDNO"] for b in box.records("GLBATCH")}
    creates_before = box.stats()["functions"].get("create", 0)
    run = run_target(box.config(default_journal="GJ"), singer_lines(_inputs(box)), tmp_path)
    assert run.returncode == 1, run.stderr[-2000:]
    good, line, head = (run.by_id(i) for i in ("UF-GOOD", "UF-LINE", "UF-HEAD"))
    assert good["outcome"] == "created"
    for rejected, field in ((line, "lines[0].departmentId"), (head, "colour")):
        assert rejected["outcome"] == "failed"
        assert rejected["errorno"] == "TI-SCHEMA"
        assert field in rejected["message"]
    # only the good entry reached the sandbox, with its department on the first line
    assert box.stats()["functions"].get("create", 0) - creates_before == 1
    new = [b for b in box.records("GLBATCH") if b["RECORDNO"] not in batches_before]
    assert len(new) == 1
    lines = sorted(
        (r for r in box.records("GLENTRY") if r["BATCHNO"] == new[0]["RECORDNO"]),
        key=lambda r: r["LINE_NO"],
    )
    assert [r["DEPARTMENT"] for r in lines] == [
        next(r["DEPARTMENTID"] for r in box.records("DEPARTMENT") if r["DEPARTMENTID"]),
        None,
    ]
    assert [Decimal(str(r["TRX_AMOUNT"])) for r in lines] == [Decimal("40.00")] * 2
