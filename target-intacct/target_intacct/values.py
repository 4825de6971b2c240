"""Strict parsing of unified values: Decimal money and real calendar dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

_DECIMAL_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
CENT = Decimal("0.01")


class ValueProblem(ValueError):  # noqa: N818 - a message for a rejection
    """A value that cannot be used; the message says why (without naming the field)."""


def to_decimal(value: Any) -> Decimal:
    """Decimal from an int, a Decimal (the SDK reads JSON numbers as Decimal) or a string.

    A Python float is refused: it can only come from a caller that already lost precision.
    """
    if isinstance(value, bool):
        raise ValueProblem("is a boolean, not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _DECIMAL_TEXT.match(text):
            raise ValueProblem("is not a decimal number")
        try:
            result = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - regex guards it
            raise ValueProblem("is not a decimal number") from exc
    elif isinstance(value, float):
        raise ValueProblem("is a float; amounts must be exact decimals")
    else:
        raise ValueProblem("is not a number")
    if not result.is_finite():
        raise ValueProblem("is not a finite number")
    return result


def positive_amount(value: Any) -> Decimal:
    """A money amount > 0 with at most two decimal places (Intacct keeps cents)."""
    amount = to_decimal(value)
    if amount <= 0:
        raise ValueProblem("must be greater than 0")
    if amount != amount.quantize(CENT):
        raise ValueProblem("has more than 2 decimal places")
    return amount.quantize(CENT)


def non_negative_amount(value: Any) -> Decimal:
    """A money amount >= 0 with at most two decimal places."""
    amount = to_decimal(value)
    if amount < 0:
        raise ValueProblem("must not be negative")
    if amount != amount.quantize(CENT):
        raise ValueProblem("has more than 2 decimal places")
    return amount.quantize(CENT)


QUANTUM = Decimal("0.0001")


def measure(value: Any, *, positive: bool) -> Decimal:
    """A quantity (> 0) or unit price (>= 0) with at most four decimal places."""
    number = to_decimal(value)
    if positive and number <= 0:
        raise ValueProblem("must be greater than 0")
    if number < 0:
        raise ValueProblem("must not be negative")
    if number != number.quantize(QUANTUM):
        raise ValueProblem("has more than 4 decimal places")
    return number


def iso_date(value: Any) -> date:
    """A real calendar date written YYYY-MM-DD (2024-02-30 is refused)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueProblem("is not a date string YYYY-MM-DD")
    match = _ISO_DATE.match(value.strip())
    if not match:
        raise ValueProblem("is not a date in the form YYYY-MM-DD")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueProblem(f"is not a real date ({exc})") from exc


def legacy_date(value: date) -> dict[str, int]:
    """Legacy functions take dates as ordered year/month/day elements."""
    return {"year": value.year, "month": value.month, "day": value.day}
