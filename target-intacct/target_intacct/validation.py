"""Validation of unified records before any call: schema, dates, amounts, balance.

Each check raises RecordRejected naming the stream, the record, the field and the value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from target_intacct.records import InputRecord, RecordRejected
from target_intacct.schemas import schema_problems
from target_intacct.values import ValueProblem, iso_date, non_negative_amount, positive_amount

DIMENSION_FIELDS: tuple[str, ...] = (
    "location",
    "department",
    "class",
    "project",
    "customer",
    "vendor",
    "employee",
    "item",
)


def validate_schema(item: InputRecord) -> None:
    """The record matches the packaged JSON schema (unknown fields refused)."""
    for field, value, reason in schema_problems(item.stream, item.data):
        raise RecordRejected(item, field, value, reason, code="TI-SCHEMA")


def check_date(item: InputRecord, field: str, *, required: bool = False) -> None:
    """Reject the record when ``field`` is no ISO date (or is missing and ``required``)."""
    value = item.data.get(field)
    if value is None:
        if required:
            raise RecordRejected(item, field, value, "is required")
        return
    try:
        iso_date(value)
    except ValueProblem as problem:
        raise RecordRejected(item, field, value, str(problem)) from None


def line_amount(item: InputRecord, field: str, value: Any) -> Decimal:
    """Read a line amount as a positive Decimal, rejecting the record otherwise."""
    try:
        return positive_amount(value)
    except ValueProblem as problem:
        raise RecordRejected(item, field, value, str(problem)) from None


def check_account(item: InputRecord, path: str, line: dict[str, Any]) -> None:
    """Reject a line that names no GL account."""
    if not (line.get("accountNumber") or line.get("accountName")):
        raise RecordRejected(
            item, f"{path}.accountNumber", None, "a line needs accountNumber or accountName"
        )


def check_one_of(item: InputRecord, first: str, second: str, what: str) -> None:
    """Reject the record when neither ``first`` nor ``second`` is given."""
    if not (item.data.get(first) or item.data.get(second)):
        raise RecordRejected(item, first, None, f"{what}: give {first} or {second}")


def validate_journal_entry(item: InputRecord, default_journal: str | None) -> None:
    """Check a journal entry: dates, journal, lines and that debits equal credits."""
    data = item.data
    check_date(item, "transactionDate", required=True)
    check_date(item, "reversalDate")
    if not (data.get("journal") or default_journal):
        raise RecordRejected(
            item, "journal", None, "no journal given and no default_journal setting"
        )
    debits = Decimal(0)
    credits = Decimal(0)
    lines = data.get("lines") or []
    if len(lines) < 2:
        raise RecordRejected(item, "lines", len(lines), "a journal entry needs at least 2 lines")
    for index, line in enumerate(lines):
        path = f"lines[{index}]"
        check_account(item, path, line)
        amount = line_amount(item, f"{path}.amount", line.get("amount"))
        if line.get("postingType") == "debit":
            debits += amount
        else:
            credits += amount
    if debits != credits:
        raise RecordRejected(
            item,
            "lines",
            f"debits {debits} / credits {credits}",
            f"entry is not balanced: debits minus credits = {debits - credits}",
        )


def validate_document(item: InputRecord, party: str) -> None:
    """Bills (party 'vendor') and invoices (party 'customer')."""
    data = item.data
    check_one_of(item, f"{party}Id", f"{party}Name", f"the {party} is missing")
    check_date(item, "issueDate", required=True)
    check_date(item, "dueDate")
    check_date(item, "postingDate")
    if not (data.get("dueDate") or data.get("paymentTerm")):
        raise RecordRejected(item, "dueDate", None, "give dueDate or paymentTerm")
    for index, line in enumerate(data.get("lineItems") or []):
        path = f"lineItems[{index}]"
        check_account(item, path, line)
        line_amount(item, f"{path}.amount", line.get("amount"))


def validate_party(item: InputRecord) -> None:
    """Vendors and customers."""
    name = item.data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RecordRejected(item, "name", name, "a non-blank name is required")
    if "creditLimit" in item.data and item.data["creditLimit"] is not None:
        try:
            non_negative_amount(item.data["creditLimit"])
        except ValueProblem as problem:
            raise RecordRejected(
                item, "creditLimit", item.data["creditLimit"], str(problem)
            ) from None


def validate_unified(item: InputRecord, default_journal: str | None) -> None:
    """Every local check for a unified stream record, schema first."""
    validate_schema(item)
    if item.stream == "JournalEntries":
        validate_journal_entry(item, default_journal)
    elif item.stream == "Bills":
        validate_document(item, "vendor")
    elif item.stream == "Invoices":
        validate_document(item, "customer")
    else:
        validate_party(item)
