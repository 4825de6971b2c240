"""Decide whether an existing Intacct record already holds the values we would write.

Intacct returns every field as text; we compare with the type of the value we would
send (Decimal amounts, dates, text), so 100 == "100.00" and 2024-01-31 == "01/31/2024"
(dates read in the user's date format, `style`: "31/01/2024" under dd/mm/yyyy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from intacct_client.values import US_DATES, DateStyle, parse_date

CASE_INSENSITIVE_FIELDS = frozenset({"STATUS", "STATE"})


def _as_decimal(text: Any) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return Decimal(str(text).replace(",", "").strip())
    except InvalidOperation:
        return None


def _as_date(text: Any, style: DateStyle = US_DATES) -> date | None:
    if text is None or text == "":
        return None
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    try:
        return parse_date(str(text).strip()[:10], style)
    except ValueError:
        return None


def canonical(value: Any, like: Any, field: str = "", style: DateStyle = US_DATES) -> Any:
    """`value` (ours or Intacct's text) in the comparable form of `like` (ours)."""
    if value is None or value == "":
        return None
    if isinstance(like, bool):
        return str(value).strip().lower() in {"true", "t", "1", "yes"}
    if isinstance(like, (Decimal, int)):
        number = _as_decimal(value)
        return number if number is not None else str(value)
    if isinstance(like, date):
        parsed = _as_date(value, style)
        return parsed if parsed is not None else str(value)
    text = str(value).strip()
    if field.rsplit(".", maxsplit=1)[-1] in CASE_INSENSITIVE_FIELDS:
        return text.lower()
    return text


def same_fields(
    expected: Mapping[str, Any], actual: Mapping[str, Any], style: DateStyle = US_DATES
) -> bool:
    """Whether an existing record already holds every value we would write.

    True when every expected field equals the actual one (fields we do not send are
    ignored); `style` is the date format of Intacct's answer.
    """
    for field, wanted in expected.items():
        if canonical(wanted, wanted, field) != canonical(actual.get(field), wanted, field, style):
            return False
    return True


def same_lines(
    expected: Sequence[Mapping[str, Any]],
    actual: Sequence[Mapping[str, Any]],
    style: DateStyle = US_DATES,
) -> bool:
    """Same multiset of lines, compared on the fields we send."""
    if len(expected) != len(actual):
        return False
    fields = sorted({field for line in expected for field in line})
    likes: dict[str, Any] = {}
    for field in fields:
        likes[field] = next(
            (line[field] for line in expected if line.get(field) not in (None, "")), ""
        )

    def text(value: Any) -> str:
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return str(value)

    def key(line: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(text(canonical(line.get(f), likes[f], f, style)) for f in fields)

    return sorted(map(key, expected)) == sorted(map(key, actual))
