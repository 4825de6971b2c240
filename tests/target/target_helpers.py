"""Small builders shared by the target tests (records, stand-in reference listings)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from target_intacct.records import InputRecord


def item(stream: str, data: dict[str, Any], position: int = 1) -> InputRecord:
    return InputRecord(stream=stream, position=position, data=data, record_id=None)


def journal_entry(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "JE-1",
        "journal": "GJ",
        "transactionDate": "2024-03-31",
        "description": "Accrual",
        "lines": [
            {"accountNumber": "6000", "amount": Decimal("100.10"), "postingType": "debit"},
            {"accountNumber": "2000", "amount": Decimal("100.10"), "postingType": "credit"},
        ],
    }
    entry.update(overrides)
    return entry


def bill(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "billNumber": "B-1",
        "vendorId": "V100",
        "issueDate": "2024-02-01",
        "dueDate": "2024-03-01",
        "lineItems": [{"accountNumber": "6000", "amount": Decimal("250.00")}],
    }
    data.update(overrides)
    return data


@dataclass
class Page:
    records: list[dict[str, Any]]
    num_remaining: int = 0
    total_count: int = 0
    offset: int = 0
    count: int = 0


class ListingClient:
    """Answers `query` from fixed rows per object (for reference-cache unit tests)."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        self.rows = rows
        self.calls: list[str] = []

    def query(self, object_name: str, fields: Any, **kwargs: Any) -> Page:
        self.calls.append(object_name)
        return Page(records=[dict(row) for row in self.rows.get(object_name, [])])
