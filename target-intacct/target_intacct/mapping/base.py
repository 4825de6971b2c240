"""What every unified stream mapping provides, and the small helpers they share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from intacct_client import Function
from intacct_client.values import US_DATES, DateStyle, format_date

from target_intacct.records import InputRecord, RecordRejected
from target_intacct.references import ReferenceProblem, ReferenceResolver

if TYPE_CHECKING:
    from target_intacct.writer import RunState


@dataclass
class WriteSettings:
    """The settings the mappings need.

    `request_dates` gives the date form requests carry
    (`IntacctClient.request_date_style`: MM/DD/YYYY for a US date preference, ISO
    otherwise); asked only when a date is written.
    """

    default_journal: str | None = None
    purchase_order_transaction_type: str | None = None
    attachment_folder: str = "target-intacct"
    attachment_max_bytes: int = 10 * 1024 * 1024
    request_dates: Callable[[], DateStyle] = field(default=lambda: US_DATES)

    def wire_date(self, value: date) -> str:
        """A date in the form requests carry."""
        return format_date(value, self.request_dates())


@dataclass
class Prepared:
    """A validated record, references resolved, ready to compare and to write."""

    item: InputRecord
    natural_key: tuple[str, ...]
    payload: dict[str, Any]  # object fields as sent (wire-ready: text, int, Decimal)
    header: dict[str, Any]  # read-back field -> value we expect (typed)
    lines: list[dict[str, Any]] = field(default_factory=list)  # read-back line fields
    remember: tuple[str, str | None, str] | None = None  # (reference kind, id, name)
    comparable: bool = True  # False: we cannot prove it unchanged, so always update


class Refs:
    """Resolves one record's references, turning problems into rejections."""

    def __init__(self, resolver: ReferenceResolver, item: InputRecord) -> None:
        self._resolver = resolver
        self._item = item

    def resolve(self, kind: str, field_path: str, value: Any, mode: str = "either") -> str:
        """Resolve a reference to the id Intacct expects.

        Args:
            kind: The reference kind (``vendor``, ``account``, ...).
            field_path: The input field, named in the rejection.
            value: The id or name given in the record.
            mode: ``id``, ``name`` or ``either``: what ``value`` may be.

        Returns:
            The referenced record's id.

        Raises:
            RecordRejected: The reference is unknown or ambiguous.
        """
        try:
            return self._resolver.resolve(kind, str(value), mode)
        except ReferenceProblem as problem:
            raise RecordRejected(
                self._item, field_path, value, str(problem), code="TI-REFERENCE"
            ) from None

    def optional(self, kind: str, field_path: str, value: Any) -> str | None:
        """Resolve a reference that may be absent; None for an empty value."""
        if value is None or value == "":
            return None
        return self.resolve(kind, field_path, value)

    def check_fields(self, object_name: str, names: Iterable[str]) -> None:
        """Refuse a field the object does not have, before Intacct sees it.

        Whether Intacct refuses or silently drops an unknown field is not documented;
        checking here keeps a misspelt field from being lost either way.
        """
        known = self._resolver.known_fields(object_name)
        if known is None:
            return
        for name in names:
            if name.upper() not in known:
                raise RecordRejected(
                    self._item,
                    name,
                    self._item.data.get(name),
                    f"{object_name} has no field {name!r} (Intacct's lookup does not list it)",
                    code="TI-SCHEMA",
                )

    def account(self, path: str, line: Mapping[str, Any]) -> str:
        """Resolve a line's GL account from its number, else its name."""
        if line.get("accountNumber"):
            return self.resolve("account", f"{path}.accountNumber", line["accountNumber"], "id")
        return self.resolve("account", f"{path}.accountName", line.get("accountName"), "name")


def drop_empty(values: Mapping[str, Any]) -> dict[str, Any]:
    """Leave out fields we have no value for (so updates never blank a field)."""
    result: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            nested = drop_empty(value)
            if nested:
                result[key] = nested
        elif value is not None and value != "":
            result[key] = value
    return result


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"A": {"B": 1}} -> {"A.B": 1}: the dotted field names queries return."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def record_key(result_data: Sequence[Mapping[str, Any]], legacy_key: str | None) -> str | None:
    """RECORDNO echoed by a generic create/update, else the legacy <key>."""
    for row in result_data:
        recordno = row.get("RECORDNO")
        if recordno:
            return str(recordno)
    return legacy_key


class UnifiedSpec(ABC):
    """One unified stream: validation, mapping, natural key, lookups and functions."""

    stream: str
    object_name: str  # header object queried for existing records
    key_fields: ClassVar[tuple[str, ...]]  # fields that make up the natural key
    line_object: ClassVar[str | None] = None
    line_parent_field: ClassVar[str] = "RECORDKEY"
    reference_kind: ClassVar[str | None] = None  # vendors/customers are referable
    id_source: ClassVar[str] = "id"  # input field holding the id shown in messages
    key_field: ClassVar[str] = "RECORDNO"  # field of an existing row reported as its key
    # True: decide each request's records after the previous request's answers (a spec
    # that reserves something per write, such as amounts due, sees what did not land)
    decide_per_request: ClassVar[bool] = False

    @classmethod
    def record_id(cls, data: Mapping[str, Any]) -> str | None:
        """The id shown in messages and the results file."""
        value = data.get(cls.id_source)
        return str(value) if value not in (None, "") else None

    @abstractmethod
    def validate(self, item: InputRecord, settings: WriteSettings) -> None:
        """Reject a record that cannot be written, before any request.

        Raises:
            RecordRejected: Naming the field and value at fault.
        """

    def preload(self, items: Sequence[InputRecord], run: RunState) -> dict[int, RecordRejected]:
        """Run batch-wide lookups once per window, between validation and prepare.

        Also for writes a record depends on: one query per window, never one per record.
        Returns rejections by position; an IntacctError fails the whole window.
        """
        return {}

    @abstractmethod
    def prepare(self, item: InputRecord, refs: Refs, settings: WriteSettings) -> Prepared:
        """Map a validated record to the Intacct payload and its natural key.

        Raises:
            RecordRejected: A reference cannot be resolved or a value cannot be mapped.
        """

    @abstractmethod
    def lookup_filter(self, batch: Sequence[Prepared]) -> Any:
        """One `query` filter finding every existing record of the batch."""

    @abstractmethod
    def row_keys(self, row: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """The natural keys an existing row can be found by (compared with natural_key)."""

    def matches(self, prepared: Prepared, row: Mapping[str, Any]) -> bool:
        """True when an existing row carries this record's natural key."""
        return prepared.natural_key in self.row_keys(row)

    @abstractmethod
    def create_function(self, prepared: Prepared, controlid: str) -> Function:
        """Build the function that creates the record (``controlid`` makes retries safe)."""

    @abstractmethod
    def update_function(
        self,
        prepared: Prepared,
        existing: Mapping[str, Any],
        controlid: str,
        existing_lines: Sequence[Mapping[str, Any]] = (),
    ) -> Function:
        """Update `existing` (its current lines given for line-by-line legacy updates).

        May raise RecordRejected when the change cannot be expressed.
        """

    def planned(self, prepared: Prepared, documents: dict[tuple[str, str, str], Decimal]) -> None:
        """Note a document a dry run would create.

        Bills and invoices do, so the payments of the same input can name them; nothing
        by default.
        """
        return

    def discard(self, prepared: Prepared) -> None:
        """Undo what building a function reserved, when that function was not written.

        Called when a function from create_function/update_function was refused, rolled
        back or not sent; nothing by default.
        """
        return

    def query_fields(self, batch: Sequence[Prepared]) -> list[str]:
        """RECORDNO, WHENMODIFIED, the key fields and every field we compare."""
        fields = ["RECORDNO", "WHENMODIFIED", *self.key_fields]
        if self.key_field not in fields:
            fields.append(self.key_field)
        for prepared in batch:
            for name in prepared.header:
                if name not in fields:
                    fields.append(name)
        return fields

    def line_query_fields(self, batch: Sequence[Prepared]) -> list[str]:
        """The line object's parent field and every line field the batch sends."""
        fields = [self.line_parent_field]
        for prepared in batch:
            for line in prepared.lines:
                for name in line:
                    if name not in fields:
                        fields.append(name)
        return fields
