"""The outcomes of one lookup window: exactly one per input record, reported once.

The writer's steps return outcomes; the book is the only place that stores them. It
refuses a second outcome for a record (a bug that would otherwise show up as a record
counted twice or reported with the wrong result) and hands each finished outcome to
`report` once, as soon as its request is answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from target_intacct.outcomes import FAILED, Outcome, failed
from target_intacct.records import InputRecord


class OutcomeBook:
    """Outcomes of `items`, keyed by input position."""

    def __init__(
        self,
        items: Sequence[InputRecord],
        report: Callable[[list[Outcome]], None] | None = None,
    ) -> None:
        self.items = items
        self._report = report
        self._outcomes: dict[int, Outcome] = {}
        self._reported: set[int] = set()

    def settle(self, outcomes: Iterable[Outcome]) -> None:
        """Record outcomes; a record that already has one is a bug, never overwritten."""
        for outcome in outcomes:
            position = outcome.record.position
            if position in self._outcomes:
                raise RuntimeError(
                    f"{outcome.record.describe()} got a second outcome "
                    f"({outcome.outcome} after {self._outcomes[position].outcome})"
                )
            self._outcomes[position] = outcome

    def has(self, item: InputRecord) -> bool:
        """Whether `item` already has its outcome."""
        return item.position in self._outcomes

    def failed_positions(self) -> list[int]:
        """Positions of the records that failed so far, in input order."""
        return [
            item.position
            for item in self.items
            if item.position in self._outcomes and self._outcomes[item.position].outcome == FAILED
        ]

    def flush(self) -> None:
        """Hand every settled, not yet reported outcome to `report`, in input order."""
        ready = [
            self._outcomes[item.position]
            for item in self.items
            if item.position in self._outcomes and item.position not in self._reported
        ]
        self._reported.update(outcome.record.position for outcome in ready)
        if ready and self._report is not None:
            self._report(ready)

    def fail_unsettled(self, message: str, errorno: str) -> None:
        """Every record still without an outcome fails with `message`, then flush."""
        self.settle(
            failed(item, message, errorno=errorno) for item in self.items if not self.has(item)
        )
        self.flush()

    def in_input_order(self) -> list[Outcome]:
        """One outcome per item (every item must be settled)."""
        missing = [item.describe() for item in self.items if not self.has(item)]
        if missing:
            raise RuntimeError(f"records without an outcome: {', '.join(missing)}")
        return [self._outcomes[item.position] for item in self.items]
