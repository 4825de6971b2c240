"""The outcome book: one outcome per record, reported once, in input order."""

from __future__ import annotations

import pytest
from target_intacct.outcome_book import OutcomeBook
from target_intacct.outcomes import CREATED, Outcome, failed
from target_intacct.records import InputRecord


def _items(count: int) -> list[InputRecord]:
    return [
        InputRecord(stream="Vendors", position=n, data={"id": f"V{n}"}, record_id=f"V{n}")
        for n in range(1, count + 1)
    ]


def test_reports_each_outcome_once_in_input_order() -> None:
    items = _items(3)
    reported: list[list[Outcome]] = []
    book = OutcomeBook(items, reported.append)
    book.settle([Outcome(record=items[2], outcome=CREATED, key="30")])
    book.settle([failed(items[0], "bad", errorno="TI-VALIDATION")])
    book.flush()
    book.flush()  # nothing new: no second report
    book.settle([Outcome(record=items[1], outcome=CREATED, key="20")])
    book.flush()
    assert [[o.record.position for o in batch] for batch in reported] == [[1, 3], [2]]
    assert [o.outcome for o in book.in_input_order()] == ["failed", CREATED, CREATED]
    assert book.failed_positions() == [1]


def test_a_second_outcome_for_a_record_is_refused() -> None:
    items = _items(1)
    book = OutcomeBook(items)
    book.settle([Outcome(record=items[0], outcome=CREATED, key="1")])
    with pytest.raises(RuntimeError, match=r"Vendors record #1 .*second outcome"):
        book.settle([failed(items[0], "late", errorno="TI-INTERNAL")])
    assert book.in_input_order()[0].outcome == CREATED


def test_unsettled_records_fail_and_missing_outcomes_are_an_error() -> None:
    items = _items(3)
    reported: list[Outcome] = []
    book = OutcomeBook(items, reported.extend)
    book.settle([Outcome(record=items[1], outcome=CREATED, key="2")])
    with pytest.raises(RuntimeError, match="without an outcome"):
        book.in_input_order()
    book.fail_unsettled("outcome unknown (boom)", "TI-INTERNAL")
    assert [(o.record.position, o.outcome, o.errorno) for o in reported] == [
        (1, "failed", "TI-INTERNAL"),
        (2, CREATED, None),
        (3, "failed", "TI-INTERNAL"),
    ]
