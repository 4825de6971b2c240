"""Intacct value formats <-> Python values.

Intacct timestamps carry no zone: they are wall-clock times (``MM/DD/YYYY HH:MM:SS`` for
a US date preference) in the user's zone. Inside the code every timestamp is tz-aware
UTC; this is the one place where the conversion happens. Zones are IANA names or fixed
offsets (``+09:30``, ``-08:00``, ``UTC``), see `zone`. A wall-clock time that occurs
twice (DST fall-back of an IANA zone) is read as its first occurrence (fold=0), as the
sandbox does; a time inside the spring-forward gap is read with the offset in force
before the gap.

Dates follow a `DateStyle` (the user's date-format preference: order and separator);
the default is the US ``MM/DD/YYYY``. ISO ``YYYY-MM-DD`` is always read as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

TIMESTAMP_FORMAT = "%m/%d/%Y %H:%M:%S"
DATE_FORMAT = "%m/%d/%Y"
_TRUE = frozenset({"true", "t", "1", "yes", "y"})
_FALSE = frozenset({"false", "f", "0", "no", "n"})


_FIXED = re.compile(r"^([+-])(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class DateStyle:
    """A date form: the order of day, month and year (``"mdy"``) and the separator."""

    order: str
    separator: str

    @property
    def strftime(self) -> str:
        """The strftime pattern of a date in this style."""
        codes = {"d": "%d", "m": "%m", "y": "%Y"}
        return self.separator.join(codes[part] for part in self.order)


US_DATES = DateStyle("mdy", "/")
ISO_DATES = DateStyle("ymd", "-")


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """A cached zone: an IANA name, ``UTC``, or a fixed offset ``±hh:mm``."""
    match = _FIXED.match(name)
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if sign == "-" else delta)
    return ZoneInfo(name)


@lru_cache(maxsize=16)
def _style_pattern(style: DateStyle) -> re.Pattern[str]:
    sep = re.escape(style.separator)
    parts = {"d": r"(?P<d>\d{1,2})", "m": r"(?P<m>\d{1,2})", "y": r"(?P<y>\d{4}|\d{2})"}
    body = sep.join(parts[part] for part in style.order)
    clock = r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
    return re.compile(rf"^{body}{clock}$")


def _year(text: str) -> int:
    """Four digits as written; two digits as strptime's %y does (69-99 -> 19xx)."""
    value = int(text)
    if len(text) == 2:
        return value + (1900 if value >= 69 else 2000)
    return value


def _styled(text: str, style: DateStyle) -> datetime | None:
    """``text`` in ``style`` (with an optional time) -> naive datetime; None if not."""
    match = _style_pattern(style).match(text)
    if not match:
        return None
    parts = match.groupdict()
    try:
        return datetime(
            _year(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
        )
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date in {style.strftime} ({exc})") from None


def parse_timestamp(text: str | None, tz: str, style: DateStyle = US_DATES) -> datetime | None:
    """Read an Intacct timestamp into a tz-aware UTC datetime.

    Accepts a wall-clock timestamp in ``style`` and zone ``tz``, or ISO-8601;
    "" gives None. Raises ValueError naming the value when it fits neither.
    """
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    parsed: datetime | None = _wall_clock(text) if style == US_DATES else _styled(text, style)
    if parsed is not None:
        return parsed.replace(tzinfo=zone(tz), fold=0).astimezone(timezone.utc)
    if style != US_DATES:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"timestamp {text!r} is neither {style.strftime} HH:MM:SS nor ISO-8601"
            ) from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone(tz), fold=0)
        return parsed.astimezone(timezone.utc)
    try:
        parsed = datetime.strptime(text, TIMESTAMP_FORMAT)
    except ValueError:
        try:
            parsed = datetime.strptime(text, DATE_FORMAT)
        except ValueError:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(tz), fold=0)
    return parsed.astimezone(timezone.utc)


def _wall_clock(text: str) -> datetime | None:
    """Parse the common timestamp shape quickly, for the tap's hot path.

    Reads ``MM/DD/YYYY HH:MM:SS`` without strptime (several times faster; the tap
    converts every timestamp of every row); None for any other shape.
    """
    if len(text) != 19 or text[2] != "/" or text[5] != "/" or text[10] != " ":
        return None
    if text[13] != ":" or text[16] != ":":
        return None
    digits = text[0:2] + text[3:5] + text[6:10] + text[11:13] + text[14:16] + text[17:19]
    if not digits.isdigit() or not digits.isascii():
        return None
    try:
        return datetime(
            int(text[6:10]),
            int(text[0:2]),
            int(text[3:5]),
            int(text[11:13]),
            int(text[14:16]),
            int(text[17:19]),
        )
    except ValueError:
        return None


def format_timestamp(value: datetime, tz: str, style: DateStyle = US_DATES) -> str:
    """Write a tz-aware datetime as Intacct wall-clock time.

    The time is written in zone ``tz`` as ``MM/DD/YYYY HH:MM:SS`` by default, with
    ``style`` for the date part.
    """
    if value.tzinfo is None:
        raise ValueError("format_timestamp needs a timezone-aware datetime")
    local = value.astimezone(zone(tz))
    if style == US_DATES:
        return local.strftime(TIMESTAMP_FORMAT)
    return local.strftime(f"{style.strftime} %H:%M:%S")


def parse_date(text: str | None, style: DateStyle = US_DATES) -> date | None:
    """Read an Intacct date into a date.

    Accepts ``style`` (``MM/DD/YYYY`` by default) and ISO ``YYYY-MM-DD`` always;
    "" gives None. A time after the date is ignored.
    """
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    if style != US_DATES:
        styled = _styled(text, style)
        if styled is not None:
            return styled.date()
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(f"date {text!r} is neither {style.strftime} nor ISO") from None
    if len(text) == 10 and text[2] == "/" and text[5] == "/":
        digits = text[0:2] + text[3:5] + text[6:10]
        if digits.isdigit() and digits.isascii():
            try:
                return date(int(text[6:10]), int(text[0:2]), int(text[3:5]))
            except ValueError:
                pass  # e.g. 02/30/2026: strptime below reports it the usual way
    try:
        return datetime.strptime(text, DATE_FORMAT).date()
    except ValueError:
        return date.fromisoformat(text[:10])


def format_date(value: date, style: DateStyle = US_DATES) -> str:
    """Date -> ``MM/DD/YYYY`` (or ``style``)."""
    return value.strftime(DATE_FORMAT if style == US_DATES else style.strftime)


def parse_decimal(text: str | None) -> Decimal | None:
    """Intacct number text -> Decimal (never float); "" -> None."""
    if text is None:
        return None
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal number: {text!r}") from exc


def format_decimal(value: Decimal | int) -> str:
    """Decimal -> plain text without exponent (``1E+2`` -> ``100``)."""
    if isinstance(value, int):
        return str(value)
    return format(value, "f")


def parse_bool(text: str | bool | None) -> bool | None:
    """true/false/T/F/1/0/yes/no -> bool; "" -> None."""
    if text is None or isinstance(text, bool):
        return text
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    if not lowered:
        return None
    raise ValueError(f"not a boolean: {text!r}")


def as_list(value: Any) -> list[Any]:
    """Single-element-vs-list normalisation: None -> [], list -> list, other -> [other]."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    return [value]


def join_keys(keys: Iterable[str | int]) -> str:
    """Comma list of keys for read/readByName/delete."""
    return ",".join(str(key) for key in keys)
