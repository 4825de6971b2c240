"""Intacct value formats <-> Python values.

Intacct timestamps carry no zone: they are ``MM/DD/YYYY HH:MM:SS`` wall-clock times in
the user's (company's) zone. Inside the code every timestamp is tz-aware UTC; this is
the one place where the conversion happens. A wall-clock time that occurs twice (DST
fall-back) is read as its first occurrence (fold=0), as the sandbox does; a time inside
the spring-forward gap is read with the offset in force before the gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

TIMESTAMP_FORMAT = "%m/%d/%Y %H:%M:%S"
DATE_FORMAT = "%m/%d/%Y"
_TRUE = frozenset({"true", "t", "1", "yes", "y"})
_FALSE = frozenset({"false", "f", "0", "no", "n"})


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A cached ZoneInfo for an IANA name."""
    return ZoneInfo(name)


def parse_timestamp(text: str | None, tz: str) -> datetime | None:
    """``MM/DD/YYYY HH:MM:SS`` in zone ``tz`` (or ISO-8601) -> tz-aware UTC; "" -> None."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    parsed: datetime | None = _wall_clock(text)
    if parsed is not None:
        return parsed.replace(tzinfo=zone(tz), fold=0).astimezone(timezone.utc)
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
    """The usual ``MM/DD/YYYY HH:MM:SS`` without strptime (several times faster; the
    tap converts every timestamp of every row); None for any other shape."""
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


def format_timestamp(value: datetime, tz: str) -> str:
    """tz-aware datetime -> ``MM/DD/YYYY HH:MM:SS`` wall-clock time in zone ``tz``."""
    if value.tzinfo is None:
        raise ValueError("format_timestamp needs a timezone-aware datetime")
    return value.astimezone(zone(tz)).strftime(TIMESTAMP_FORMAT)


def parse_date(text: str | None) -> date | None:
    """``MM/DD/YYYY`` (also ISO ``YYYY-MM-DD``) -> date; "" -> None."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
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


def format_date(value: date) -> str:
    """date -> ``MM/DD/YYYY``."""
    return value.strftime(DATE_FORMAT)


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
