"""The unified stream schemas (JSON Schema 2020-12 files in this folder) and their validator."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError

UNIFIED_STREAMS: tuple[str, ...] = (
    "JournalEntries",
    "Bills",
    "Invoices",
    "Vendors",
    "Customers",
    "BillPayments",
    "InvoicePayments",
    "PurchaseOrders",
)


@cache
def load_schema(stream: str) -> dict[str, Any]:
    """The packaged schema of a unified stream."""
    if stream not in UNIFIED_STREAMS:
        raise KeyError(stream)
    text = resources.files(__name__).joinpath(f"{stream}.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def validator_for(stream: str) -> Draft202012Validator:
    """A compiled validator; formats are checked by our own date parsing, not here."""
    schema = load_schema(stream)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# Formats are checked by our own date parsing (as for the jsonschema validator above).
_ANY_FORMAT = {name: (lambda _value: True) for name in ("date", "date-time", "email", "uri")}


@cache
def quick_check_for(stream: str) -> Callable[[dict[str, Any]], Any]:
    """The same schema compiled to Python by fastjsonschema: 20-30x faster per record.

    The schemas use only keywords that mean the same in draft 7 (type, properties,
    required, additionalProperties, enum, items, minItems, min/maxLength), so it is
    compiled as draft 7. It only says "valid" or not: every record it does not pass is
    explained (and judged) by the jsonschema validator, so messages stay the same.
    """
    schema = {**load_schema(stream), "$schema": "http://json-schema.org/draft-07/schema#"}
    check: Callable[[dict[str, Any]], Any] = fastjsonschema.compile(schema, formats=_ANY_FORMAT)
    return check


def field_path(parts: Any) -> str:
    """`lines[1].amount` from a jsonschema absolute path."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def schema_problems(stream: str, record: dict[str, Any]) -> Iterator[tuple[str, Any, str]]:
    """(field, value, reason) for each schema violation, most specific first."""
    try:
        quick_check_for(stream)(record)
    except fastjsonschema.JsonSchemaException:
        pass  # explained below
    else:
        return
    errors = sorted(
        validator_for(stream).iter_errors(record),
        key=lambda err: (-len(err.absolute_path), list(map(str, err.absolute_path))),
    )
    for error in errors:
        yield from _explain(error)


def _explain(error: ValidationError) -> Iterator[tuple[str, Any, str]]:
    base = field_path(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for name in sorted(set(error.instance) - allowed):
            path = f"{base}.{name}" if base else name
            yield (
                path,
                error.instance[name],
                f"unknown field (allowed: {', '.join(sorted(allowed))})",
            )
        return
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        for name in missing:
            path = f"{base}.{name}" if base else name
            yield path, None, "is required"
        return
    if error.validator == "minItems" and isinstance(error.instance, list):
        reason = f"needs at least {error.validator_value} item(s), got {len(error.instance)}"
        yield base, error.instance, reason
        return
    if error.validator == "enum":
        choices = ", ".join(repr(v) for v in error.validator_value if v is not None)
        yield base, error.instance, f"must be one of {choices}"
        return
    if error.validator == "maxLength" and isinstance(error.instance, str):
        reason = f"is {len(error.instance)} characters long; at most {error.validator_value}"
        yield base, error.instance, reason
        return
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    yield base or "(record)", error.instance, message
