"""Turn flat REST records (dotted keys, JSON values) into typed Singer values, per page.

The REST twin of `casting.PageCaster`: the plan is built once per stream from its JSON
schema (`rest_discovery.property_schema`), so each record is one pass over its fields,
and the output matches what XML streams emit for the same data:

* decimals become `Decimal` from JSON strings (`"100.00"`), integers or `Decimal` (a
  client that parses JSON with `parse_float=Decimal`, which it should). A Python float
  is taken only as a last resort, through `Decimal(repr(x))`: `repr` is the shortest
  text that reads back as the same float, so `0.1` stays `0.1` instead of the float's
  binary expansion; digits the JSON parser already dropped cannot come back;
* `key` and reference keys become integers, only when the text round-trips exactly
  (`"12"` yes, `"012"` or `"12.0"` no), so the integer always names the same record;
* date-times (ISO-8601 with `Z` or an offset) become UTC ISO strings spelt as
  `casting.utc_iso` spells them; a date-time without a zone is refused, REST answers
  are UTC; dates must be `YYYY-MM-DD`; booleans are JSON booleans or `"true"`/`"false"`.

A value that does not fit raises `RestValueError` naming stream, record key, field and
value. Empty strings and missing fields become None, as in XML mode.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tap_intacct.casting import utc_iso
from tap_intacct.rest_discovery import KEY_PROPERTY, is_key_path

RestCaster = Callable[[Any], Any]
_CACHE_LIMIT = 50_000
_INTEGER_TEXT = re.compile(r"-?(0|[1-9][0-9]*)")
_SIGNED_DIGITS = re.compile(r"[+-]?[0-9]+")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BOOLEANS = {"true": True, "false": False}
_MAX_SHOWN = 80


class RestValueError(ValueError):
    """A REST value that does not fit its field's type; the message names where."""

    def __init__(self, stream: str, key: Any, field: str, value: Any, expected: str) -> None:
        """Keep the parts so callers can report them; the message says them all."""
        self.stream, self.key, self.field, self.value = stream, key, field, value
        # a group or list where a value belongs: name its kind, not its (maybe private) content
        shown = f"<a {type(value).__name__}>" if isinstance(value, (dict, list)) else repr(value)
        if len(shown) > _MAX_SHOWN:
            shown = shown[:_MAX_SHOWN] + "..."
        super().__init__(
            f"Stream {stream}, record key {key!r}: field {field} has value {shown}, "
            f"expected {expected}."
        )


class _UnfitValueError(ValueError):
    """A caster's refusal; `RestPageCaster` adds stream, record and field."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def cast_decimal(raw: Any) -> Decimal:
    """Exact decimal from text, int or Decimal; a float only through its shortest repr."""
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, str):
        try:
            number = Decimal(raw.strip())
        except InvalidOperation:
            raise _UnfitValueError("a decimal number") from None
    elif isinstance(raw, bool):
        raise _UnfitValueError("a decimal number")
    elif isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))  # last resort: see the module docstring
    else:
        raise _UnfitValueError("a decimal number")
    if not number.is_finite():
        raise _UnfitValueError("a finite decimal number")
    return number


def cast_integer(raw: Any) -> int:
    """Integer from a JSON integer or integer text (an integral Decimal is accepted)."""
    if isinstance(raw, bool):
        raise _UnfitValueError("an integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if _SIGNED_DIGITS.fullmatch(text):
            return int(text)
        raise _UnfitValueError("an integer")
    if isinstance(raw, (Decimal, float)) and math.isfinite(raw) and raw == int(raw):
        return int(raw)
    raise _UnfitValueError("an integer")


def cast_key(raw: Any) -> int:
    """A record number: integer text that round-trips exactly, or a JSON integer."""
    if isinstance(raw, bool):
        raise _UnfitValueError("a record number (integer text such as '12')")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and _INTEGER_TEXT.fullmatch(raw):
        return int(raw)
    raise _UnfitValueError("a record number (integer text such as '12')")


def cast_boolean(raw: Any) -> bool:
    """JSON true/false, or the text "true"/"false" in any case."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        found = _BOOLEANS.get(raw.strip().lower())
        if found is not None:
            return found
    raise _UnfitValueError("true or false")


def cast_date(raw: Any) -> str:
    """`YYYY-MM-DD`, checked to be a real date, emitted unchanged."""
    if isinstance(raw, str) and _DATE_TEXT.fullmatch(raw):
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            pass
    raise _UnfitValueError("a date YYYY-MM-DD")


def date_time_caster() -> RestCaster:
    """ISO-8601 instant with `Z` or an offset -> UTC ISO; memoised (rows share seconds)."""
    cache: dict[str, str] = {}

    def cast(raw: Any) -> str:
        if not isinstance(raw, str):
            raise _UnfitValueError("an ISO-8601 date-time with Z or an offset")
        hit = cache.get(raw)
        if hit is not None:
            return hit
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise _UnfitValueError("an ISO-8601 date-time with Z or an offset") from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise _UnfitValueError("an ISO-8601 date-time with Z or an offset (it has no zone)")
        result = utc_iso(moment)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[raw] = result
        return result

    return cast


def cast_text(raw: Any) -> str:
    """Strings stay; other JSON scalars (a number in a text field) become their text."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (int, Decimal, float)):
        return str(raw)
    raise _UnfitValueError("a single value (text, number or boolean)")


def rest_caster_for(name: str, prop: Mapping[str, Any]) -> RestCaster:
    """The caster for one stream property (as `rest_discovery.property_schema` types it)."""
    types = prop.get("type", [])
    kinds = {types} if isinstance(types, str) else set(types)
    if "integer" in kinds:
        return cast_key if is_key_path(name) else cast_integer
    if "number" in kinds:
        return cast_decimal
    if "boolean" in kinds:
        return cast_boolean
    fmt = prop.get("format")
    if fmt == "date":
        return cast_date
    if fmt == "date-time":
        return date_time_caster()
    return cast_text


class RestPageCaster:
    """Precomputed (field, caster) plan for one REST stream; `cast_page` applies it.

    Records whose keys are exactly the planned fields (the usual case: the client hands
    over one flat dict per record with every field asked for) are typed in place, and
    only their non-text fields go through a caster; any other record is rebuilt field by
    field (`cast_record`).
    """

    def __init__(self, schema: Mapping[str, Any], fields: Sequence[str], stream: str) -> None:
        """Plan the casts of `fields` (dotted REST paths) from the stream's JSON schema."""
        props = schema.get("properties", {})
        self.stream = stream
        self.fields: tuple[str, ...] = tuple(fields)
        self._plan: list[tuple[str, RestCaster]] = [
            (name, rest_caster_for(name, props.get(name, {}))) for name in self.fields
        ]
        self._split_plan()

    def _split_plan(self) -> None:
        self._field_set = frozenset(self.fields)
        self._typed = [(name, caster) for name, caster in self._plan if caster is not cast_text]
        self._texts = [name for name, caster in self._plan if caster is cast_text]

    def drop_fields(self, names: Iterable[str]) -> None:
        """Stop selecting fields the query refused."""
        dropped = set(names)
        self.fields = tuple(name for name in self.fields if name not in dropped)
        self._plan = [(name, caster) for name, caster in self._plan if name not in dropped]
        self._split_plan()

    def cast_record(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """One flat record: missing fields and empty strings become None."""
        get = raw.get
        row: dict[str, Any] = {}
        for name, caster in self._plan:
            value = get(name)
            if value is None or value == "":
                row[name] = None
                continue
            try:
                row[name] = caster(value)
            except _UnfitValueError as unfit:
                raise RestValueError(
                    self.stream, get(KEY_PROPERTY), name, value, unfit.expected
                ) from None
        return row

    def cast_page(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every record of a page, typed, with exactly the planned fields."""
        fields = self._field_set
        return [
            self._cast_in_place(record) if record.keys() == fields else self.cast_record(record)
            for record in records
        ]

    def _cast_in_place(self, record: dict[str, Any]) -> dict[str, Any]:
        for name, caster in self._typed:
            value = record[name]
            if value is None:
                continue
            if value == "":
                record[name] = None
                continue
            try:
                record[name] = caster(value)
            except _UnfitValueError as unfit:
                raise RestValueError(
                    self.stream, record.get(KEY_PROPERTY), name, value, unfit.expected
                ) from None
        for name in self._texts:
            value = record[name]
            if value.__class__ is str:
                if not value:
                    record[name] = None
            elif value is not None:
                try:
                    record[name] = cast_text(value)
                except _UnfitValueError as unfit:
                    raise RestValueError(
                        self.stream, record.get(KEY_PROPERTY), name, value, unfit.expected
                    ) from None
        return record
