"""The `query` filter tree (`intacct_client.filters`) as REST ``filters`` and expression.

The REST query service takes a list of one-operator objects and a ``filterExpression``
that combines them by 1-based position, ``"1 and (2 or 3)"`` (docs/protocol-rest.md
§3.2). The same `Filter` a caller builds for the XML ``query`` is translated here, so
either client takes it; field names are the REST object's (``vendor.id``, not VENDORID).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from intacct_client.filters import Filter, FilterValue
from intacct_client.values import format_decimal

_COMPARE = {
    "equalto": "$eq",
    "notequalto": "$ne",
    "lessthan": "$lt",
    "lessthanorequalto": "$lte",
    "greaterthan": "$gt",
    "greaterthanorequalto": "$gte",
}
_LISTS = {"in": "$in", "notin": "$notIn"}
# XML `like` patterns the REST operators can say: (leading %, trailing %) -> operator.
_PATTERNS = {
    (True, True): ("$contains", "$notContains"),
    (False, True): ("$startsWith", "$notStartsWith"),
    (True, False): ("$endsWith", "$notEndsWith"),
    (False, False): ("$eq", "$ne"),
}


@dataclass
class RestFilter:
    """The ``filters`` list and its ``filterExpression``, ready for the request body."""

    filters: list[dict[str, Any]] = field(default_factory=list)
    expression: str = "and"


def rest_value(value: FilterValue, field_name: str) -> Any:
    """One filter value as REST JSON: ISO dates, UTC ``Z`` timestamps, decimal strings.

    Raises:
        ValueError: A naive datetime (its instant is unknown), naming the field.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(
                f"filter on {field_name!r}: the datetime {value.isoformat()} has no time zone"
            )
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_decimal(value)
    return value


def _pattern(node: Filter) -> dict[str, Any]:
    """``like``/``notlike`` as $contains, $startsWith, $endsWith (or $eq without %).

    Raises:
        ValueError: A pattern with ``_`` or a ``%`` inside the text, which REST
            operators cannot express.
    """
    pattern = str(node.values[0]) if node.values else ""
    leading, trailing = pattern.startswith("%"), pattern.endswith("%") and len(pattern) > 1
    text = pattern[1 if leading else 0 : len(pattern) - 1 if trailing else len(pattern)]
    if "%" in text or "_" in text:
        raise ValueError(
            f"filter on {node.field!r}: the like pattern {pattern!r} has a wildcard the REST "
            "API cannot express (only a leading and/or trailing % is supported)"
        )
    positive, negative = _PATTERNS[(leading, trailing)]
    return {negative if node.operator == "notlike" else positive: {node.field: text}}


def _leaf(node: Filter) -> dict[str, Any]:
    """One operator node as a REST filter object."""
    name = node.field or ""
    op = node.operator
    if op in _COMPARE:
        return {_COMPARE[op]: {name: rest_value(node.values[0], name)}}
    if op in _LISTS:
        return {_LISTS[op]: {name: [rest_value(v, name) for v in node.values]}}
    if op == "between":
        return {"$between": {name: [rest_value(v, name) for v in node.values[:2]]}}
    if op == "isnull":
        return {"$eq": {name: None}}
    if op == "isnotnull":
        return {"$ne": {name: None}}
    if op in ("like", "notlike"):
        return _pattern(node)
    raise ValueError(f"filter on {name!r}: operator {op!r} has no REST counterpart")


def translate(tree: Filter) -> RestFilter:
    """The REST form of ``tree``; and/or nest as parenthesised groups of positions."""
    out = RestFilter()

    def walk(node: Filter, top: bool) -> str:
        if node.operator in ("and", "or"):
            inner = f" {node.operator} ".join(walk(child, False) for child in node.children)
            return inner if top else f"({inner})"
        out.filters.append(_leaf(node))
        return str(len(out.filters))

    expression = walk(tree, True)
    out.expression = "and" if len(out.filters) == 1 else expression
    return out
