"""Stored <-> wire value conversions (spec 5.2, 5.3; pinned choices in docs/sandbox-internals.md).

Stored forms (SQLite):
    TEXT/ENUM          str (external value, e.g. "active", "Posted")
    INTEGER            int
    DECIMAL/CURRENCY/PERCENT  str, canonical decimal ("1679615.93", "5900"); never float
    BOOLEAN            "true"/"false" ("T"/"F" for legacy letter flags)
    DATE               "YYYY-MM-DD"
    TIMESTAMP          UTC "YYYY-MM-DDTHH:MM:SSZ"

Wire forms: dates `MM/DD/YYYY`; timestamps `MM/DD/YYYY HH:MM:SS` in the company zone
(ambiguous local times read as the first occurrence, fold=0); decimals plain without
trailing zeros; booleans true/false.

API: `renderer(field, zone)` (fast per-column stored -> wire), `parse_input(field, text,
zone)` (wire input on create/update -> stored; raises ValueError), `filter_value(field,
text, zone)` (filter literal -> stored-comparable), `utc_iso(dt)`, `parse_utc_iso(text)`,
`format_decimal(d)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from intacct_sandbox.catalog.model import NUMERIC_DECIMAL_TYPES, FieldDef

UTC = timezone.utc
_DATE_US = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_TS_US = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
_DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_TRUE = {"true", "t", "1", "yes"}
_FALSE = {"false", "f", "0", "no"}


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


# ---- timestamps ----


def utc_iso(instant: datetime) -> str:
    """Stored form of an instant: UTC, second precision, trailing Z."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime; timestamps must be tz-aware")
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc_iso(text: str) -> datetime:
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@lru_cache(maxsize=131072)
def _render_ts(stored: str, zone_name: str) -> str:
    local = parse_utc_iso(stored).astimezone(zone(zone_name))
    return local.strftime("%m/%d/%Y %H:%M:%S")


def render_timestamp(stored: str | None, zone_name: str) -> str:
    return _render_ts(stored, zone_name) if stored else ""


def local_to_utc(naive: datetime, zone_name: str) -> datetime:
    """Company-zone wall time -> UTC; ambiguous times take the first occurrence (fold=0),
    non-existent (spring-forward gap) times are shifted forward like wall clocks do."""
    return naive.replace(tzinfo=zone(zone_name), fold=0).astimezone(UTC)


def parse_local_timestamp(text: str, zone_name: str) -> datetime:
    """`MM/DD/YYYY[ HH:MM[:SS]]` in the company zone -> aware UTC datetime."""
    match = _TS_US.match(text)
    if match:
        month, day, year, hour, minute, second = match.groups()
        naive = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
        return local_to_utc(naive, zone_name)
    iso = text.strip()
    try:
        parsed = datetime.fromisoformat(iso[:-1] + "+00:00" if iso.endswith("Z") else iso)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a valid timestamp (MM/DD/YYYY HH:MM:SS)") from exc
    if parsed.tzinfo is None:
        return local_to_utc(parsed, zone_name)
    return parsed.astimezone(UTC)


# ---- dates ----


def parse_date(text: str) -> str:
    """`MM/DD/YYYY` (or ISO `YYYY-MM-DD`) -> stored `YYYY-MM-DD`."""
    match = _DATE_US.match(text)
    if match:
        month, day, year = (int(g) for g in match.groups())
    else:
        iso = _DATE_ISO.match(text)
        if not iso:
            raise ValueError(f"'{text}' is not a valid date (MM/DD/YYYY)")
        year, month, day = (int(g) for g in iso.groups())
    return date(year, month, day).isoformat()


def render_date(stored: str | None) -> str:
    if not stored:
        return ""
    return f"{stored[5:7]}/{stored[8:10]}/{stored[0:4]}"


# ---- decimals ----


def format_decimal(value: Decimal) -> str:
    """Plain notation, no thousands separators, trailing zeros dropped (spec 5.3)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def parse_decimal(text: str) -> Decimal:
    cleaned = text.strip()
    if "," in cleaned:
        raise ValueError(f"'{text}' must not contain commas")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"'{text}' is not a valid number") from exc
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a valid number")
    return value


def canonical_decimal(text: str, *, currency: bool = False) -> str:
    """Stored form of a decimal input; currency amounts are rounded to 2 places (DOC-BILL)."""
    value = parse_decimal(text)
    if currency:
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_decimal(value)


# ---- booleans ----


def parse_bool_text(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"'{text}' is not a valid boolean (true/false)")


def stored_bool(value: bool, field: FieldDef) -> str:
    if field.letter_boolean:
        return "T" if value else "F"
    return "true" if value else "false"


# ---- per-field conversions ----


def _render_plain(value: Any) -> str:
    return "" if value is None else str(value)


def renderer(field: FieldDef, zone_name: str) -> Callable[[Any], str]:
    """Fast stored -> wire text function for one column (used on the query hot path)."""
    if field.datatype == "TIMESTAMP":
        return lambda v: _render_ts(v, zone_name) if v else ""
    if field.datatype == "DATE":
        return render_date
    return _render_plain


def parse_input(field: FieldDef, text: str, zone_name: str) -> Any:
    """Wire value of a create/update -> stored value. Empty text -> None. Raises ValueError."""
    if text is None or text.strip() == "":
        return None
    kind = field.datatype
    if kind == "INTEGER":
        try:
            return int(text.strip())
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a valid integer for {field.id}") from exc
    if kind in NUMERIC_DECIMAL_TYPES:
        return canonical_decimal(text, currency=kind == "CURRENCY")
    if kind == "BOOLEAN":
        return stored_bool(parse_bool_text(text), field)
    if kind == "DATE":
        return parse_date(text)
    if kind == "TIMESTAMP":
        return utc_iso(parse_local_timestamp(text, zone_name))
    if field.validvalues and kind == "ENUM":
        value = text.strip()
        if value not in field.validvalues:
            folded = {v.lower(): v for v in field.validvalues}
            if value.lower() in folded:
                return folded[value.lower()]
            raise ValueError(f"'{text}' is not a valid value for {field.id}")
        return value
    return text


def filter_value(field: FieldDef, text: str, zone_name: str, *, use_aliases: bool) -> Any:
    """A filter literal -> a value comparable with the stored column (bound parameter).

    Numbers compare numerically (decimal columns are compared via CAST in SQL), dates and
    timestamps as stored text (instants converted from the company zone to UTC).
    `use_aliases` applies readByQuery internal codes (T/F, state letters)."""
    kind = field.datatype
    if use_aliases and field.aliases:
        text = field.alias_map.get(text, text)
    if kind == "INTEGER":
        try:
            return int(text.strip())
        except ValueError:
            return float(parse_decimal(text))
    if kind in NUMERIC_DECIMAL_TYPES:
        return float(parse_decimal(text))
    if kind == "BOOLEAN":
        try:
            return stored_bool(parse_bool_text(text), field)
        except ValueError:
            return text
    if kind == "DATE":
        return parse_date(text.split(" ")[0]) if _TS_US.match(text) else parse_date(text)
    if kind == "TIMESTAMP":
        return utc_iso(parse_local_timestamp(text, zone_name))
    return text


def standard_offset_hours(zone_name: str, on: datetime | None = None) -> str:
    """GMT offset without DST (hours, e.g. "-8", "5.5") for readUserFormatting's GMTOFFSET."""
    moment = on or datetime(2025, 1, 15, tzinfo=UTC)
    local = moment.astimezone(zone(zone_name))
    offset = (local.utcoffset() or timedelta(0)) - (local.dst() or timedelta(0))
    hours = Decimal(int(offset.total_seconds())) / Decimal(3600)
    return format_decimal(hours)
