"""Values between the catalog's stored form and REST JSON.

REST writes decimals as JSON strings (`"100.00"` for currency amounts) so no precision
is lost in a float, integers and booleans as JSON numbers and booleans, keys as strings,
dates `YYYY-MM-DD` and timestamps ISO-8601 in UTC with a trailing `Z` (docs/protocol-rest.md §4).
The sandbox stores timestamps exactly that way, so they pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from intacct_sandbox import values, variants
from intacct_sandbox.catalog import FieldDef

CENTS = Decimal("0.01")


def is_key_path(path: str) -> bool:
    """Keys, ids and user references (`audit.createdBy`) are strings in REST."""
    return path in {"key", "id"} or path.endswith((".key", ".id", "By"))


def to_json(fdef: FieldDef, path: str, value: Any, codes: dict[str, str] | None = None) -> Any:
    """One stored value as REST writes it (None for NULL or empty)."""
    if value is None or value == "":
        return None
    if codes:
        for rest_value, stored in codes.items():
            if str(value) == stored:
                return rest_value
    kind = fdef.datatype
    if is_key_path(path):
        return _plain(value)
    if kind == "INTEGER":
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)
    if kind in {"CURRENCY", "DECIMAL", "PERCENT"}:
        amount = _decimal(value)
        if decimals_as_numbers():
            return int(amount) if amount == amount.to_integral_value() else float(amount)
        if kind == "CURRENCY":
            return format(amount.quantize(CENTS), "f")
        return values.format_decimal(amount)
    if kind == "BOOLEAN":
        return str(value).strip().lower() in {"true", "t", "1"}
    return str(value)


def json_converter(
    fdef: FieldDef, path: str, codes: dict[str, str] | None = None
) -> Callable[[Any], Any]:
    """`to_json` for one field, with every per-field decision taken once (a page has
    thousands of rows)."""
    if codes:
        return lambda value: to_json(fdef, path, value, codes)
    kind = fdef.datatype

    def empty(value: Any) -> bool:
        return value is None or value == ""

    if is_key_path(path):
        return lambda value: None if empty(value) else _plain(value)
    if kind in {"CURRENCY", "DECIMAL", "PERCENT"} or kind == "INTEGER":
        return lambda value: to_json(fdef, path, value)
    if kind == "BOOLEAN":
        return lambda value: None if empty(value) else str(value).strip().lower() in _TRUE
    return lambda value: None if empty(value) else str(value)


_TRUE = frozenset({"true", "t", "1"})


class Nester:
    """`nest` for one fixed list of paths, split once."""

    def __init__(self, paths: list[str]) -> None:
        self._plan = [(path, path.split(".")) for path in paths]

    def __call__(self, flat: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for path, parts in self._plan:
            if len(parts) == 1:
                out[path] = flat[path]
                continue
            node = out
            for part in parts[:-1]:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
            node[parts[-1]] = flat[path]
        return out


def decimals_as_numbers() -> bool:
    """Variant `rest_decimals=number`: decimals as JSON numbers instead of strings."""
    return variants.active("rest_decimals") == "number"


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def to_text(fdef: FieldDef, path: str, value: Any, codes: dict[str, str] | None = None) -> str:
    """A REST JSON value as the text the XML half's filters and writes take."""
    if value is None:
        return ""
    if codes and isinstance(value, str) and value in codes:
        return codes[value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"field '{path}': expected a string, number or boolean, got {value!r}")
    return value


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """{'a.b': 1} -> {'a': {'b': 1}} (REST answers nest groups and references)."""
    return Nester(list(flat))(flat)


def flatten(payload: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The inverse of `nest`; lists are kept as values (owned lines)."""
    out: dict[str, Any] = {}
    for name, value in payload.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{path}."))
        else:
            out[path] = value
    return out
