"""Typed results handed to callers: function results, query pages, object metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from intacct_client.errors import (
    ErrorDetail,
    IntacctFunctionError,
    IntacctObjectNotFoundError,
    IntacctPermissionError,
    IntacctUnqueryableFieldsError,
    first_specific,
)

# Raw field values as Intacct sends them: strings, None for empty elements. Nested
# elements (owned line items in ``read`` output) become dicts, repeated ones lists.
Record = dict[str, Any]

ALREADY_EXECUTED_ERRORNO = "XL03000013"
_ALREADY_EXECUTED_TEXT = "has already been executed"
_PERMISSION_TEXT = "you do not have permission"
_UNQUERYABLE = re.compile(
    r"following fields cannot be queried:\s*\[\s*[^:\[\]]*:\s*\[([^\]]*)\]", re.I
)
_NOT_FOUND = re.compile(r"object (definition|type) \S+ not found", re.I)


@dataclass(frozen=True)
class QueryPage:
    """One page of a ``query`` answer."""

    records: list[Record]
    total_count: int
    offset: int
    count: int
    num_remaining: int


@dataclass(frozen=True)
class ObjectSummary:
    """One object a company offers (``name`` for requests, ``label`` for people)."""

    name: str
    label: str


@dataclass(frozen=True)
class FieldDefinition:
    """One field of an object as ``lookup`` describes it."""

    id: str
    label: str
    description: str
    datatype: str
    required: bool
    readonly: bool
    is_custom: bool
    valid_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relationship:
    """One relationship of an object to another, as ``lookup`` describes it."""

    object_path: str
    object_name: str
    relationship_type: str
    related_by: str


@dataclass(frozen=True)
class ObjectDefinition:
    """An object's fields and relationships, from ``lookup``."""

    name: str
    fields: tuple[FieldDefinition, ...]
    relationships: tuple[Relationship, ...] = ()


@dataclass(frozen=True)
class FunctionResult:
    """The outcome of one ``<function>``.

    ``replayed`` is True when a write sent with ``uniqueid=true`` was answered "already
    executed" (XL03000013): the function was applied by an earlier attempt whose answer
    was lost, so ``status`` is "success" but ``data`` is empty; callers re-find the
    record by its natural key.
    """

    controlid: str
    function: str
    status: str
    data: list[Record] = field(default_factory=list)
    key: str | None = None
    errors: tuple[ErrorDetail, ...] = ()
    list_attributes: dict[str, str] = field(default_factory=dict)
    replayed: bool = False
    element: Element | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the function's status is ``success``."""
        return self.status == "success"

    @property
    def first_error(self) -> ErrorDetail | None:
        """The error that names the cause, skipping Intacct's generic wrapper errors."""
        return first_specific(self.errors)

    def int_attribute(self, name: str, default: int = 0) -> int:
        """A numeric ``<data>`` attribute (count, totalcount, numremaining, offset)."""
        value = self.list_attributes.get(name)
        try:
            return int(value) if value not in (None, "") else default
        except ValueError:
            return default

    def raise_for_status(self) -> None:
        """Raise the most specific IntacctFunctionError subclass unless successful."""
        if self.ok:
            return
        raise function_error(self)


def is_already_executed(error: ErrorDetail) -> bool:
    """The pinned uniqueid answer: this function controlid already ran successfully."""
    return error.errorno == ALREADY_EXECUTED_ERRORNO or _ALREADY_EXECUTED_TEXT in (
        error.description2.lower()
    )


def function_error(result: FunctionResult) -> IntacctFunctionError:
    """Build the exception that describes a failed function result."""
    common: dict[str, Any] = {
        "errors": result.errors,
        "function": result.function,
        "controlid": result.controlid,
    }
    status_note = "" if result.status == "failure" else f"status {result.status}"
    for error in result.errors:
        text = f"{error.description} {error.description2}"
        match = _UNQUERYABLE.search(text)
        if match:
            fields = [f.strip() for f in match.group(1).split(",") if f.strip()]
            return IntacctUnqueryableFieldsError(status_note, fields=fields, **common)
        if error.errorno == "PL04000005" or _PERMISSION_TEXT in text.lower():
            return IntacctPermissionError(status_note, **common)
        if _NOT_FOUND.search(text):
            return IntacctObjectNotFoundError(status_note, **common)
    return IntacctFunctionError(status_note, **common)
