"""Stored <-> wire value conversions.

Formats: docs/protocol.md §5.2, §5.3; pinned choices in docs/sandbox-internals.md.

Stored forms (SQLite):
    TEXT/ENUM          str (external value, e.g. "active", "Posted")
    INTEGER            int
    DECIMAL/CURRENCY/PERCENT  str, canonical decimal ("1679615.93", "5900"); never float
    BOOLEAN            "true"/"false" ("T"/"F" for legacy letter flags)
    DATE               "YYYY-MM-DD"
    TIMESTAMP          UTC "YYYY-MM-DDTHH:MM:SSZ"

Wire forms in answers: dates in the user's date-format preference (variant
`date_format`, default `MM/DD/YYYY`); timestamps the same date followed by `HH:MM:SS`,
in the zone of the field (`field_zone`: the user's time-zone preference, or GMT under the
variants `timestamp_zone` / `auwhencreated_zone`); decimals plain without trailing zeros;
booleans true/false. Inputs (create/update values and filter literals) are read as
`MM/DD/YYYY` or ISO `YYYY-MM-DD` whatever the preference, plus the preference's own form
when its separator is not `/` (so it cannot be mistaken for the US form); ambiguous local
times are read as the first occurrence (fold=0).

`zone` arguments are the company's IANA zone (`serve --timezone`); `user_zone_name` turns
it into the user's time-zone preference under the variant `user_timezone`.

API: `renderer(field, zone)` (fast per-column stored -> wire), `parse_input(field, text,
zone)` (wire input on create/update -> stored; raises ValueError), `filter_value(field,
text, zone)` (filter literal -> stored-comparable), `field_zone(field, zone)`,
`date_pattern()`, `utc_iso(dt)`, `parse_utc_iso(text)`, `format_decimal(d)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from intacct_sandbox import variants
from intacct_sandbox.catalog.model import NUMERIC_DECIMAL_TYPES, FieldDef

UTC = timezone.utc
_DATE_US = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_TS_US = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
_DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_TRUE = {"true", "t", "1", "yes"}
_FALSE = {"false", "f", "0", "no"}


_FIXED_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")
# Variant `date_format` -> (readUserFormatting code, strftime pattern of a date).
DATE_STYLES: dict[str, tuple[str, str]] = {
    "mm/dd/yyyy": ("/mdY", "%m/%d/%Y"),
    "dd/mm/yyyy": ("/dmY", "%d/%m/%Y"),
    "yyyy-mm-dd": ("-Ymd", "%Y-%m-%d"),
    "dd.mm.yyyy": (".dmY", "%d.%m.%Y"),
}
_US_PATTERN = "%m/%d/%Y"


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """An IANA zone, `UTC`, or a fixed offset written `+hh:mm` / `-hh:mm`."""
    match = _FIXED_OFFSET.match(name)
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if sign == "-" else delta)
    return ZoneInfo(name)


def offset_text(delta: timedelta) -> str:
    """A UTC offset as readUserFormatting writes it: `+09:30`, `-08:00`, `+00:00`."""
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def standard_offset(zone_name: str) -> timedelta:
    """The zone's offset outside daylight saving (its January offset north of the
    equator; for southern zones the offset without DST as the tz database reports it)."""
    moment = datetime(2025, 1, 15, tzinfo=UTC)
    local = moment.astimezone(zone(zone_name))
    return (local.utcoffset() or timedelta(0)) - (local.dst() or timedelta(0))


def user_zone_name(company_zone: str) -> str:
    """The zone of the user's time-zone preference (variant `user_timezone`).

    `offset`: a fixed offset (the company zone's standard offset), as Intacct's help
    describes the preference (not adjusted for daylight saving); `iana`: the company's
    IANA zone itself, with daylight saving."""
    if variants.active("user_timezone") == "iana":
        return company_zone
    return offset_text(standard_offset(company_zone))


def is_audit_stamp(field: FieldDef) -> bool:
    """AUWHENCREATED and its kind: the audit-trail stamps of transaction objects."""
    return field.id.startswith("AU") and field.datatype == "TIMESTAMP"


def field_zone(field: FieldDef, company_zone: str) -> str:
    """The zone one TIMESTAMP field is written and filtered in, under the active variants."""
    if is_audit_stamp(field) and variants.active("auwhencreated_zone") == "gmt":
        return "UTC"
    if variants.active("timestamp_zone") == "gmt":
        return "UTC"
    return user_zone_name(company_zone)


def date_pattern() -> str:
    """strftime pattern of a date in answers (variant `date_format`)."""
    return DATE_STYLES[variants.active("date_format")][1]


def date_code() -> str:
    """readUserFormatting's `dateformat` code of the active preference, e.g. `/dmY`."""
    return DATE_STYLES[variants.active("date_format")][0]


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
def _render_ts(stored: str, zone_name: str, pattern: str = _US_PATTERN) -> str:
    local = parse_utc_iso(stored).astimezone(zone(zone_name))
    return local.strftime(pattern + " %H:%M:%S")


def render_timestamp(stored: str | None, zone_name: str, pattern: str | None = None) -> str:
    """Stored UTC text -> wire text in `zone_name` (an already resolved field zone)."""
    return _render_ts(stored, zone_name, pattern or date_pattern()) if stored else ""


def local_to_utc(naive: datetime, zone_name: str) -> datetime:
    """Company-zone wall time -> UTC; ambiguous times take the first occurrence (fold=0),
    non-existent (spring-forward gap) times are shifted forward like wall clocks do."""
    return naive.replace(tzinfo=zone(zone_name), fold=0).astimezone(UTC)


def _preference_input(text: str, *, with_time: bool) -> datetime | None:
    """The preference's own form (e.g. `31.12.2025 10:00:00`) when it cannot be taken for
    the US form, i.e. when its separator is not `/`; None otherwise."""
    pattern = date_pattern()
    if "/" in pattern:
        return None
    stripped = text.strip()
    forms = (pattern + " %H:%M:%S", pattern + " %H:%M", pattern) if with_time else (pattern,)
    for form in forms:
        try:
            return datetime.strptime(stripped, form)
        except ValueError:
            continue
    return None


def parse_local_timestamp(text: str, zone_name: str) -> datetime:
    """`MM/DD/YYYY[ HH:MM[:SS]]` (or ISO) in zone `zone_name` -> aware UTC datetime."""
    match = _TS_US.match(text)
    if match:
        month, day, year, hour, minute, second = match.groups()
        naive = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
        return local_to_utc(naive, zone_name)
    preferred = _preference_input(text, with_time=True)
    if preferred is not None:
        return local_to_utc(preferred, zone_name)
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
            preferred = _preference_input(text, with_time=False)
            if preferred is None:
                raise ValueError(f"'{text}' is not a valid date (MM/DD/YYYY)")
            return preferred.date().isoformat()
        year, month, day = (int(g) for g in iso.groups())
    return date(year, month, day).isoformat()


def us_date(stored: str | None) -> str:
    """Stored date -> `MM/DD/YYYY`, the input form (re-validating stored lines)."""
    if not stored:
        return ""
    return f"{stored[5:7]}/{stored[8:10]}/{stored[0:4]}"


def render_date(stored: str | None) -> str:
    """Stored date -> the user's date format (answers)."""
    if not stored:
        return ""
    pattern = date_pattern()
    if pattern == _US_PATTERN:
        return us_date(stored)
    return date.fromisoformat(stored[:10]).strftime(pattern)


# ---- decimals ----


def format_decimal(value: Decimal) -> str:
    """Plain notation, no thousands separators, trailing zeros dropped (docs/protocol.md §5.3)."""
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
        resolved, pattern = field_zone(field, zone_name), date_pattern()
        return lambda v: _render_ts(v, resolved, pattern) if v else ""
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
        return utc_iso(parse_local_timestamp(text, field_zone(field, zone_name)))
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
        return utc_iso(parse_local_timestamp(text, field_zone(field, zone_name)))
    return text


def user_gmtoffset(company_zone: str, now: datetime) -> str:
    """readUserFormatting's `gmtoffset` (`±hh:mm`): the fixed preference offset, or under
    `user_timezone=iana` the company zone's offset at `now`."""
    user_zone = zone(user_zone_name(company_zone))
    return offset_text(now.astimezone(user_zone).utcoffset() or timedelta(0))
