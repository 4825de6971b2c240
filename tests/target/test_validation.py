"""Unit tests: unified records are refused before any call, with precise messages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from target_helpers import bill, item, journal_entry
from target_intacct.records import RecordRejected
from target_intacct.schemas import UNIFIED_STREAMS, load_schema, validator_for
from target_intacct.validation import validate_unified
from target_intacct.values import ValueProblem, iso_date, positive_amount, to_decimal


@pytest.mark.parametrize("stream", UNIFIED_STREAMS)
def test_packaged_schemas_are_valid_and_closed(stream: str) -> None:
    schema = load_schema(stream)
    validator_for(stream)  # check_schema passes
    assert schema["additionalProperties"] is False


def test_balanced_entry_passes() -> None:
    validate_unified(item("JournalEntries", journal_entry()), None)


def test_unbalanced_entry_is_rejected_with_the_difference() -> None:
    data = journal_entry()
    data["lines"][1]["amount"] = Decimal("100.00")
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("JournalEntries", data, position=7), None)
    message = str(info.value)
    assert "JournalEntries record #7" in message
    assert "'lines'" in message
    assert "not balanced" in message
    assert "0.10" in message


def test_single_line_entry_is_rejected() -> None:
    data = journal_entry()
    data["lines"] = data["lines"][:1]
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("JournalEntries", data), None)
    assert "lines" in str(info.value)


def test_unknown_field_is_named_with_its_value() -> None:
    data = journal_entry(memo="oops")
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("JournalEntries", data, position=3), None)
    message = str(info.value)
    assert "JournalEntries record #3" in message
    assert "'memo'" in message
    assert "'oops'" in message
    assert "unknown field" in message
    assert info.value.code == "TI-SCHEMA"


def test_unknown_nested_field_gets_its_path() -> None:
    data = journal_entry()
    data["lines"][0]["dept"] = "D1"
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("JournalEntries", data), None)
    assert "lines[0].dept" in str(info.value)


@pytest.mark.parametrize("bad_date", ["2024-02-30", "2024-13-01", "31/01/2024", "yesterday"])
def test_impossible_dates_are_rejected(bad_date: str) -> None:
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("Bills", bill(issueDate=bad_date)), None)
    assert "issueDate" in str(info.value)
    assert bad_date in str(info.value)


@pytest.mark.parametrize("amount", [Decimal(0), Decimal("-5"), "abc", Decimal("1.005")])
def test_bad_amounts_are_rejected(amount: object) -> None:
    data = bill()
    data["lineItems"][0]["amount"] = amount
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("Bills", data), None)
    assert "lineItems[0].amount" in str(info.value)


def test_bill_needs_a_vendor() -> None:
    data = bill()
    del data["vendorId"]
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("Bills", data), None)
    assert "vendorId" in str(info.value)


def test_bill_needs_due_date_or_term() -> None:
    data = bill()
    del data["dueDate"]
    with pytest.raises(RecordRejected):
        validate_unified(item("Bills", data), None)
    data["paymentTerm"] = "Net 30"
    validate_unified(item("Bills", data), None)


def test_journal_needs_journal_or_default() -> None:
    data = journal_entry()
    del data["journal"]
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("JournalEntries", data), None)
    assert "default_journal" in str(info.value)
    validate_unified(item("JournalEntries", data), "GJ")


def test_vendor_needs_a_name() -> None:
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("Vendors", {"id": "V1"}), None)
    assert "'name'" in str(info.value)


def test_money_is_decimal_never_float() -> None:
    assert to_decimal(Decimal("0.1")) + to_decimal("0.2") == Decimal("0.3")
    assert positive_amount(12) == Decimal("12.00")
    with pytest.raises(ValueProblem):
        to_decimal(0.1)


def test_iso_date_rejects_non_dates() -> None:
    assert iso_date("2024-02-29").day == 29
    with pytest.raises(ValueProblem):
        iso_date("2023-02-29")


def test_overlong_text_is_refused_with_a_short_message() -> None:
    data = {"id": "V1", "name": "x" * 1_000_000}
    with pytest.raises(RecordRejected) as info:
        validate_unified(item("Vendors", data), None)
    message = str(info.value)
    assert "'name'" in message
    assert "1000000 characters long; at most 100" in message
    assert len(message) < 400
