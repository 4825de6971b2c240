"""Turn Intacct's string values into typed Singer values, once per page.

Casters are chosen once per stream from its JSON schema (the catalog's, when one is
given), so the per-record work is one dictionary pass. Money stays `Decimal`; dates are
read in the user's date format (`WireTime.style`) and emitted as ISO dates; timestamps
are converted from their zone (`WireTime.zone_for`: AU* audit stamps may be written in
another zone than WHENMODIFIED) to UTC ISO-8601 with offset, through
`intacct_client.values` only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from intacct_client import values
from intacct_client.values import US_DATES, DateStyle

Caster = Callable[[str], Any]
_CACHE_LIMIT = 50_000


class PageCasting(Protocol):
    """What a stream needs of a caster: its fields, and pages of typed rows."""

    fields: tuple[str, ...]

    def drop_fields(self, names: Iterable[str]) -> None:
        """Stop selecting and casting `names` (fields Intacct refused)."""
        ...

    def cast_page(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A page of raw records -> typed rows."""
        ...


@dataclass(frozen=True)
class WireTime:
    """How Intacct writes times for this run.

    Holds the zone of timestamps, the zone of the
    AU* audit stamps, and the date style of answers.
    """

    zone: str
    style: DateStyle = US_DATES
    audit_zone: str | None = None

    def zone_for(self, field: str) -> str:
        """AUWHENCREATED and its kind use `audit_zone` when one is set."""
        if self.audit_zone is not None and field.startswith("AU"):
            return self.audit_zone
        return self.zone


def as_wire(time: WireTime | str) -> WireTime:
    """A plain zone name is a US-dated WireTime (callers that predate date styles)."""
    return time if isinstance(time, WireTime) else WireTime(time)


def _as_text(raw: Any) -> str:
    return raw if isinstance(raw, str) else str(raw)


def cast_integer(raw: str) -> int | Decimal:
    """Integers; Intacct sometimes writes them as "12.0"."""
    try:
        return int(raw)
    except ValueError:
        number = Decimal(_as_text(raw).strip())
        return int(number) if number == number.to_integral_value() else number


def cast_number(raw: str) -> Decimal | None:
    """Decimal, never float: money must not pick up binary rounding."""
    try:
        return Decimal(raw)  # plain number text, the usual case
    except (InvalidOperation, TypeError, ValueError):
        pass
    try:
        return values.parse_decimal(_as_text(raw))
    except (InvalidOperation, ValueError):
        return Decimal(_as_text(raw).replace(",", "").strip())


_USUAL_BOOLEANS = {"true": True, "false": False, "T": True, "F": False}


def cast_boolean(raw: str) -> bool | None:
    """true/false, T/F, 1/0 as Intacct writes them."""
    usual = _USUAL_BOOLEANS.get(raw)
    if usual is not None:
        return usual
    return values.parse_bool(_as_text(raw))


def cast_date(raw: str, style: DateStyle = US_DATES) -> str | None:
    """A date in the user's format (MM/DD/YYYY by default) -> YYYY-MM-DD."""
    parsed = values.parse_date(_as_text(raw), style)
    return parsed.isoformat() if isinstance(parsed, date) else None


def date_caster(style: DateStyle = US_DATES) -> Caster:
    """`cast_date`, memoised: a page holds few distinct dates."""
    cache: dict[str, str | None] = {}

    def cast(raw: str) -> str | None:
        if raw in cache:
            return cache[raw]
        result = cast_date(raw, style)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[raw] = result
        return result

    return cast


def utc_iso(moment: datetime) -> str:
    """One spelling for every emitted timestamp and bookmark: UTC with +00:00."""
    return moment.astimezone(timezone.utc).isoformat()


def timestamp_caster(tz: str, style: DateStyle = US_DATES) -> Caster:
    """Wall-clock timestamp in zone `tz` -> UTC ISO-8601; memoised (rows share seconds)."""
    cache: dict[str, str | None] = {}

    def cast(raw: str) -> str | None:
        text = _as_text(raw)
        hit = cache.get(text)
        if hit is not None:
            return hit
        parsed = values.parse_timestamp(text, tz, style)
        result = utc_iso(parsed) if parsed is not None else None
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text] = result
        return result

    return cast


def cached_parser(tz: str, style: DateStyle = US_DATES) -> Callable[[str], datetime | None]:
    """Memoised wall-clock literal in zone `tz` -> aware UTC datetime (for cursors)."""
    cache: dict[str, datetime | None] = {}

    def parse(text: str) -> datetime | None:
        if text in cache:
            return cache[text]
        parsed = values.parse_timestamp(text, tz, style)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text] = parsed
        return parsed

    return parse


def caster_for(prop: Mapping[str, Any], tz: WireTime | str, name: str = "") -> Caster | None:
    """The caster for one JSON-schema property (field `name`); None for plain strings."""
    wire = as_wire(tz)
    types = prop.get("type", [])
    kinds = {types} if isinstance(types, str) else set(types)
    if "integer" in kinds:
        return cast_integer
    if "number" in kinds:
        return cast_number
    if "boolean" in kinds:
        return cast_boolean
    fmt = prop.get("format")
    if fmt == "date":
        return date_caster(wire.style)
    if fmt == "date-time":
        return timestamp_caster(wire.zone_for(name), wire.style)
    return None


class PageCaster:
    """Precomputed (field, caster) plan for one stream; `cast_page` applies it."""

    def __init__(
        self, schema: Mapping[str, Any], fields: Sequence[str], tz: WireTime | str
    ) -> None:
        wire = as_wire(tz)
        props = schema.get("properties", {})
        self.fields: tuple[str, ...] = tuple(fields)
        self._plan: list[tuple[str, Caster | None]] = [
            (name, caster_for(props.get(name, {}), wire, name)) for name in self.fields
        ]
        self.timestamp: Caster = timestamp_caster(wire.zone, wire.style)
        self._plain: list[str] = []
        self._typed: list[tuple[str, Caster]] = []
        self._field_set: frozenset[str] = frozenset()
        self._split()

    def drop_fields(self, names: Iterable[str]) -> None:
        """Stop selecting fields the query refused."""
        dropped = set(names)
        self.fields = tuple(name for name in self.fields if name not in dropped)
        self._plan = [(name, caster) for name, caster in self._plan if name not in dropped]
        self._split()

    def _split(self) -> None:
        self._plain = [name for name, caster in self._plan if caster is None]
        self._typed = [(name, caster) for name, caster in self._plan if caster is not None]
        self._field_set = frozenset(self.fields)

    def cast_record(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """One record: empty strings become None, typed fields are cast."""
        get = raw.get
        row = {name: get(name) or None for name in self._plain}
        for name, caster in self._typed:
            value = get(name)
            row[name] = caster(value) if value else None
        return row

    def _type_in_place(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Type a row's selected fields in place.

        The row holds exactly the selected fields in its own dict: only typed fields are
        touched, plain strings are final as the client parses them (an empty element is
        None, never "").
        """
        for name, caster in self._typed:
            value = raw[name]
            if value is not None:
                raw[name] = caster(value) if value != "" else None
        return raw

    def cast_page(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every row of a page (the page's own dicts, typed in place when they fit).

        All rows of one answer carry the tags of one select list, so the key check is
        made on the first row; later rows only have their size compared with it.
        """
        if not records or records[0].keys() != self._field_set:
            return [self.cast_record(record) for record in records]
        width = len(self._field_set)
        typed = self._type_in_place
        return [typed(raw) if len(raw) == width else self.cast_record(raw) for raw in records]
