"""Write one batch of one stream: validate, resolve, find existing, then one request.

Flow per batch: every record is validated and mapped (rejections become outcomes, no
call made); the existing records are found with one `in` query per object; records
whose values are already there are `unchanged`; the rest become create/update
functions with deterministic controlids, sent in one `execute` with uniqueid=true.
Each record ends with exactly one Outcome.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from intacct_client import Function, FunctionResult, IntacctError
from intacct_client.values import US_DATES, DateStyle

from target_intacct.answers import (
    ALREADY_EXECUTED_ERRORNO,
    error_outcome,
    is_already_executed,
    is_fatal,
    result_outcome,
    stops_the_run,
)
from target_intacct.attachments import AttachmentStore
from target_intacct.compare import same_fields, same_lines
from target_intacct.controlids import function_controlid
from target_intacct.existing import Existing, ExistingFinder
from target_intacct.mapping.base import Prepared, Refs, UnifiedSpec, WriteSettings, record_key
from target_intacct.outcome_book import OutcomeBook
from target_intacct.outcomes import (
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    WOULD_CREATE,
    WOULD_UPDATE,
    Outcome,
    failed,
    rejected,
)
from target_intacct.records import InputRecord, RecordRejected
from target_intacct.references import ReferenceResolver

logger = logging.getLogger(__name__)


@dataclass
class RunState:
    """What all sinks share during one run."""

    client: Any  # intacct_client.IntacctClient (typed loosely so tests can pass a stand-in)
    resolver: ReferenceResolver
    settings: WriteSettings
    transaction: bool = False
    dry_run: bool = False
    batch_size: int = 100  # functions (records) per HTTP request
    fatal_error: str | None = None
    unqueryable: dict[str, set[str]] = field(default_factory=dict)
    attachments: AttachmentStore = field(default_factory=AttachmentStore)
    # dry run: documents it would create, (object, number, party) -> total, so payments
    # of the same input can be checked against them
    planned_documents: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)


@dataclass
class Plan:
    """One function to send for one prepared record."""

    prepared: Prepared
    operation: str  # "create" | "update"
    function: Function
    existing: Mapping[str, Any] | None = None


def split_waves(batch: Sequence[Prepared]) -> list[list[Prepared]]:
    """Records sharing a natural key go to later waves, so the second sees the first."""
    waves: list[list[Prepared]] = []
    seen: Counter[tuple[str, ...]] = Counter()
    for prepared in batch:
        wave = seen[prepared.natural_key]
        seen[prepared.natural_key] += 1
        if prepared.natural_key[0] == "content":
            wave = 0
        while len(waves) <= wave:
            waves.append([])
        waves[wave].append(prepared)
    return waves


class BatchWriter:
    """Writes batches of one stream; its steps return outcomes to an OutcomeBook."""

    def __init__(
        self,
        spec: UnifiedSpec,
        run: RunState,
        report: Callable[[list[Outcome]], None] | None = None,
    ) -> None:
        self.spec = spec
        self.run = run
        self.finder = ExistingFinder(spec, run.client, run.unqueryable)
        self._chunk_of: dict[int, int] = {}
        self._report = report
        self._book: OutcomeBook | None = None

    def fail_unreported(self, items: Sequence[InputRecord], reason: str) -> None:
        """After an unexpected error: every record without an outcome fails."""
        book = self._book if self._book is not None else OutcomeBook(items, self._report)
        book.fail_unsettled(
            f"outcome unknown ({reason}); re-running the same input is safe", "TI-INTERNAL"
        )

    # ---------------------------------------------------------------- entry point
    def write(self, items: Sequence[InputRecord]) -> list[Outcome]:
        """Outcomes for `items` (one lookup window): requests carry <= batch_size records."""
        book = self._book = OutcomeBook(items, self._report)
        if self.run.fatal_error:
            book.settle(self._not_sent(item) for item in items)
            book.flush()
            return book.in_input_order()
        size = max(1, self.run.batch_size)
        self._chunk_of = {item.position: index // size for index, item in enumerate(items)}
        prepared, rejections = self._prepare_all(items)
        book.settle(rejections)
        if self.run.transaction:
            prepared, held = self._hold_back_chunks(prepared, book, "were rejected")
            book.settle(held)
        for wave in split_waves(prepared):
            self._write_wave(wave, book)
        book.flush()
        return book.in_input_order()

    def _not_sent(self, item: InputRecord) -> Outcome:
        return failed(
            item,
            f"not sent: an earlier error stops the run ({self.run.fatal_error})",
            errorno="TI-NOT-SENT",
        )

    def _hold_back_chunks(
        self, prepared: list[Prepared], book: OutcomeBook, why: str
    ) -> tuple[list[Prepared], list[Outcome]]:
        """transaction=batch: a request whose batch holds a failed record is not sent."""
        bad: dict[int, list[str]] = {}
        for position in book.failed_positions():
            bad.setdefault(self._chunk_of[position], []).append(f"#{position}")
        kept: list[Prepared] = []
        held: list[Outcome] = []
        for entry in prepared:
            chunk = self._chunk_of[entry.item.position]
            if chunk in bad and not book.has(entry.item):
                held.append(
                    failed(
                        entry.item,
                        f"not sent: transaction=batch and records {', '.join(bad[chunk])} of "
                        f"this batch {why}",
                        errorno="TI-NOT-SENT",
                    )
                )
            elif chunk not in bad:
                kept.append(entry)
        return kept, held

    def _prepare_all(self, items: Sequence[InputRecord]) -> tuple[list[Prepared], list[Outcome]]:
        """Validate every record (no call), preload what the valid ones refer to, map them."""
        rejections: list[Outcome] = []
        valid = [item for item in items if self._guard(item, rejections, self._validate)]
        if not valid:
            return [], rejections
        try:
            preloaded = self.spec.preload(valid, self.run)
        except IntacctError as error:
            if stops_the_run(error):
                self.run.fatal_error = str(error)
            prefix = "looking up what the records refer to failed: "
            return [], rejections + [error_outcome(item, error, prefix) for item in valid]
        prepared: list[Prepared] = []
        for item in valid:
            if item.position in preloaded:
                rejections.append(rejected(preloaded[item.position]))
                continue
            self._guard(item, rejections, lambda entry: prepared.append(self._prepare(entry)))
        return prepared, rejections

    def _validate(self, item: InputRecord) -> None:
        self.spec.validate(item, self.run.settings)

    def _prepare(self, item: InputRecord) -> Prepared:
        return self.spec.prepare(item, Refs(self.run.resolver, item), self.run.settings)

    @staticmethod
    def _guard(
        item: InputRecord, rejections: list[Outcome], step: Callable[[InputRecord], Any]
    ) -> bool:
        """Run one record's step; a rejection or a bug costs that record only."""
        try:
            step(item)
        except RecordRejected as rejection:
            rejections.append(rejected(rejection))
            return False
        except Exception as exc:  # a bug must cost one record, not the run's outcomes
            logger.exception("%s: unexpected error while mapping", item.describe())
            rejections.append(
                failed(item, f"internal error while mapping: {exc!r}", errorno="TI-INTERNAL")
            )
            return False
        return True

    # ---------------------------------------------------------------- one request
    def _write_wave(self, wave: list[Prepared], book: OutcomeBook) -> None:
        if self.run.fatal_error:
            book.settle(self._not_sent(prepared.item) for prepared in wave)
            return
        try:
            existing = self.finder.find(wave)
        except IntacctError as error:
            book.settle(self._fail_all(wave, error, "looking up existing records failed: "))
            return
        if self.spec.decide_per_request:
            size = max(1, self.run.batch_size)
            chunks: dict[int, list[Prepared]] = {}
            for index, prepared in enumerate(wave):
                chunk = (
                    self._chunk_of[prepared.item.position]
                    if self.run.transaction
                    else index // size
                )
                chunks.setdefault(chunk, []).append(prepared)
            for key in sorted(chunks):
                self._plan_and_send(chunks[key], existing, book)
        else:
            self._plan_and_send(wave, existing, book)

    def _plan_and_send(
        self, records: list[Prepared], existing: Existing, book: OutcomeBook
    ) -> None:
        """Decide create/update/unchanged for `records`, then send what is left."""
        plans: list[Plan] = []
        for prepared in records:
            matches, lines = existing.get(prepared.item.position, ([], {}))
            outcome = self._decide(prepared, matches, lines, plans)
            if outcome is not None:
                book.settle([outcome])
        if self.run.transaction and plans:
            kept, held = self._hold_back_chunks([plan.prepared for plan in plans], book, "failed")
            book.settle(held)
            kept_ids = {id(entry) for entry in kept}
            for plan in plans:
                if id(plan.prepared) not in kept_ids:
                    self.spec.discard(plan.prepared)
            plans = [plan for plan in plans if id(plan.prepared) in kept_ids]
        if not plans:
            return
        if self.run.dry_run:
            book.settle(self._dry_run(plans))
            return
        for group in self._requests(plans):
            if self.run.fatal_error:
                outcomes = [self._not_sent(plan.prepared.item) for plan in group]
            else:
                outcomes = self._send(group)
            failures = {o.record.position for o in outcomes if o.outcome == FAILED}
            for plan in group:
                if plan.prepared.item.position in failures:
                    self.spec.discard(plan.prepared)
            book.settle(outcomes)
            book.flush()

    def _dry_run(self, plans: list[Plan]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for plan in plans:
            # later records of the dry run may refer to a vendor/customer it would create
            self._remember(plan.prepared, [])
            if plan.operation == "create":
                self.spec.planned(plan.prepared, self.run.planned_documents)
            outcomes.append(
                Outcome(
                    record=plan.prepared.item,
                    outcome=WOULD_CREATE if plan.operation == "create" else WOULD_UPDATE,
                    key=self._key_of(plan.existing) if plan.existing else None,
                )
            )
        return outcomes

    def _requests(self, plans: list[Plan]) -> list[list[Plan]]:
        """Group plans into requests.

        Up to batch_size functions per request; with transaction=batch, one request per
        input batch (so all-or-nothing covers exactly those records).
        """
        if self.run.transaction:
            groups: dict[int, list[Plan]] = {}
            for plan in plans:
                groups.setdefault(self._chunk_of[plan.prepared.item.position], []).append(plan)
            return [groups[key] for key in sorted(groups)]
        size = max(1, self.run.batch_size)
        return [plans[start : start + size] for start in range(0, len(plans), size)]

    def _decide(
        self,
        prepared: Prepared,
        matches: list[Mapping[str, Any]],
        lines: Mapping[str, list[Mapping[str, Any]]],
        plans: list[Plan],
    ) -> Outcome | None:
        item = prepared.item
        if len(matches) > 1:
            keys = ", ".join(str(row.get("RECORDNO")) for row in matches)
            return failed(
                item,
                f"{len(matches)} existing {self.spec.object_name} records have the natural key "
                f"{prepared.natural_key!r} (RECORDNO {keys}); cannot tell which to update",
                errorno="TI-AMBIGUOUS",
            )
        if not matches:
            if prepared.natural_key[0] == "RECORDNO":
                return failed(
                    item,
                    f"{self.spec.object_name} RECORDNO {prepared.natural_key[1]} does not exist",
                    errorno="TI-NOT-FOUND",
                )
            controlid = function_controlid(
                self.spec.stream, "create", prepared.natural_key, prepared.payload
            )
            try:
                function = self.spec.create_function(prepared, controlid)
            except RecordRejected as rejection:
                return rejected(rejection)
            plans.append(Plan(prepared, "create", function))
            return None
        row = matches[0]
        recordno = str(row.get("RECORDNO"))
        if self._unchanged(prepared, row, lines.get(recordno, [])):
            return Outcome(record=item, outcome=UNCHANGED, key=self._key_of(row))
        basis = {"RECORDNO": recordno, "WHENMODIFIED": row.get("WHENMODIFIED")}
        controlid = function_controlid(
            self.spec.stream, "update", prepared.natural_key, prepared.payload, basis
        )
        try:
            function = self.spec.update_function(prepared, row, controlid, lines.get(recordno, []))
        except RecordRejected as rejection:
            return rejected(rejection)
        plans.append(Plan(prepared, "update", function, row))
        return None

    def _unchanged(
        self,
        prepared: Prepared,
        row: Mapping[str, Any],
        existing_lines: Sequence[Mapping[str, Any]],
        *,
        lenient: bool = False,
    ) -> bool:
        """All fields we would write already hold our values (lenient: skip unreadable)."""
        header = prepared.header
        lines = prepared.lines
        if not prepared.comparable and not lenient:
            return False
        if lenient:
            refused = self.run.unqueryable.get(self.spec.object_name, set())
            header = {k: v for k, v in header.items() if k not in refused}
            if self.spec.line_object:
                line_refused = self.run.unqueryable.get(self.spec.line_object, set())
                lines = [{k: v for k, v in ln.items() if k not in line_refused} for ln in lines]
        style = self._answer_dates()
        if not same_fields(header, row, style):
            return False
        if self.spec.line_object is None:
            return True
        return same_lines(lines, existing_lines, style)

    def _answer_dates(self) -> DateStyle:
        """The user's date format, which answers follow (US for a stand-in client)."""
        read_style = getattr(self.run.client, "user_date_style", None)
        return read_style() if callable(read_style) else US_DATES

    def _send(self, plans: list[Plan]) -> list[Outcome]:
        functions = [plan.function for plan in plans]
        try:
            results = self.run.client.execute(
                functions, transaction=self.run.transaction, unique_id=True
            )
        except IntacctError as error:
            if is_fatal(error):
                self.run.fatal_error = str(error)
                return self._fail_all([p.prepared for p in plans], error, "")
            logger.warning(
                "%s: request failed after retries (%s); checking which records landed",
                self.spec.stream,
                error,
            )
            recovered = self._recover(plans, error)
            if stops_the_run(error):
                self.run.fatal_error = f"the gateway kept failing after retries: {error}"
            return recovered
        if self.run.transaction and not all(
            result.ok or is_already_executed(result) for result in results
        ):
            return self._report_rollback(plans, results)
        outcomes: list[Outcome] = []
        refind: list[Plan] = []
        for plan, result in zip(plans, results, strict=True):
            if is_already_executed(result):
                refind.append(plan)
            elif result.ok:
                outcomes.append(self._success(plan, result))
            else:
                outcomes.append(result_outcome(plan.prepared.item, result))
        if refind:
            outcomes += self._recover(refind, None)
        return outcomes

    def _report_rollback(
        self,
        plans: list[Plan],
        results: Sequence[FunctionResult],
    ) -> list[Outcome]:
        """transaction=batch and something failed: nothing landed; say who caused it."""
        culprits = [i for i, result in enumerate(results) if result.status == "failure"]
        if not culprits:  # every result 'aborted': the culprit carries its own error
            culprits = [
                i
                for i, result in enumerate(results)
                if any(error.errorno != "XL03000009" for error in result.errors)
            ]
        names = ", ".join(plans[i].prepared.item.describe() for i in culprits) or "a record"
        outcomes: list[Outcome] = []
        for index, (plan, result) in enumerate(zip(plans, results, strict=True)):
            item = plan.prepared.item
            if index in culprits:
                outcomes.append(result_outcome(item, result))
            else:
                outcomes.append(
                    failed(
                        item,
                        f"rolled back: transaction=batch and {names} failed",
                        errorno="XL03000009",
                        description2="The entire transaction in this operation has been rolled "
                        "back due to an error.",
                    )
                )
        return outcomes

    def _success(self, plan: Plan, result: FunctionResult) -> Outcome:
        key = record_key(result.data, result.key)
        if plan.operation == "update" and plan.existing is not None:
            key = self._key_of(plan.existing)
        self._remember(plan.prepared, result.data)
        return Outcome(
            record=plan.prepared.item,
            outcome=CREATED if plan.operation == "create" else UPDATED,
            key=key,
        )

    def _key_of(self, row: Mapping[str, Any]) -> str:
        """The key reported for an existing row (RECORDNO, or the spec's key field)."""
        return str(row.get(self.spec.key_field) or row.get("RECORDNO"))

    def _remember(self, prepared: Prepared, data: Sequence[Mapping[str, Any]]) -> None:
        if prepared.remember is None:
            return
        kind, ident, name = prepared.remember
        id_field = getattr(self.spec, "id_field", None)
        if ident is None and id_field:
            for row in data:
                if row.get(id_field):
                    ident = str(row[id_field])
        if ident:
            self.run.resolver.remember(kind, ident, name)

    def _recover(self, plans: list[Plan], error: IntacctError | None) -> list[Outcome]:
        """After a lost answer or an 'already executed' reply: find what landed."""
        prepared = [plan.prepared for plan in plans]
        try:
            existing = self.finder.find(prepared)
        except IntacctError as lookup_error:
            return [
                error_outcome(
                    plan.prepared.item,
                    lookup_error,
                    "outcome unknown (re-running the same input is safe): ",
                )
                for plan in plans
            ]
        outcomes: list[Outcome] = []
        for plan in plans:
            item = plan.prepared.item
            matches, lines = existing.get(item.position, ([], {}))
            if plan.operation == "create":
                landed = matches  # it did not exist before this request
            else:
                landed = [
                    row
                    for row in matches
                    if self._unchanged(
                        plan.prepared, row, lines.get(str(row.get("RECORDNO")), []), lenient=True
                    )
                ]
            if len(landed) == 1:
                self._remember(plan.prepared, landed)
                outcomes.append(
                    Outcome(
                        record=item,
                        outcome=CREATED if plan.operation == "create" else UPDATED,
                        key=self._key_of(landed[0]),
                    )
                )
            elif error is not None:
                outcomes.append(error_outcome(item, error))
            else:
                outcomes.append(
                    failed(
                        item,
                        "Intacct reports this write was already executed (same function "
                        f"controlid {plan.function.controlid}), but no {self.spec.object_name} "
                        f"with natural key {plan.prepared.natural_key!r} and these values exists "
                        "now; it may have been changed or deleted since",
                        errorno=ALREADY_EXECUTED_ERRORNO,
                    )
                )
        return outcomes

    def _fail_all(
        self, wave: Sequence[Prepared], error: IntacctError, prefix: str
    ) -> list[Outcome]:
        if stops_the_run(error):
            self.run.fatal_error = str(error)
        return [error_outcome(prepared.item, error, prefix) for prepared in wave]
