"""Builders for the ``query`` filter tree.

A filter is rendered to XML only when the request is built, because tz-aware datetime
values are converted to the user's zone and dates to the form requests carry (both known
to the client, not to the caller; see `formatting.sending_style`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from intacct_client.values import US_DATES, DateStyle, format_date, format_decimal, format_timestamp
from intacct_client.xmlescape import escape

FilterValue = str | int | Decimal | date | datetime


@dataclass(frozen=True)
class Filter:
    """One operator node: ``<op><field>F</field><value>..</value>...</op>`` or and/or."""

    operator: str
    field: str | None = None
    values: tuple[FilterValue, ...] = ()
    children: tuple[Filter, ...] = ()

    def has_dates(self) -> bool:
        """Whether any value is a date or datetime (rendering then needs zone and style)."""
        if self.operator in ("and", "or"):
            return any(child.has_dates() for child in self.children)
        return any(isinstance(value, date) for value in self.values)

    def render(self, tz: str = "UTC", style: DateStyle = US_DATES) -> str:
        """The XML of this node; datetimes are rendered in zone ``tz``, dates in ``style``."""
        if self.operator in ("and", "or"):
            inner = "".join(child.render(tz, style) for child in self.children)
            return f"<{self.operator}>{inner}</{self.operator}>"
        parts = [f"<field>{escape(self.field or '')}</field>"]
        parts.extend(f"<value>{escape(render_value(v, tz, style))}</value>" for v in self.values)
        return f"<{self.operator}>{''.join(parts)}</{self.operator}>"


def render_value(value: FilterValue, tz: str, style: DateStyle = US_DATES) -> str:
    """Render one filter value as the literal text Intacct expects.

    Dates are written in ``style`` (MM/DD/YYYY by default) and timestamps the same
    followed by HH:MM:SS, in zone ``tz``; strings are sent as given.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_timestamp(value, tz, style)
    if isinstance(value, date):
        return format_date(value, style)
    if isinstance(value, Decimal | int):
        return format_decimal(value)
    return str(value)


def _compare(operator: str, field: str, value: FilterValue) -> Filter:
    return Filter(operator, field, (value,))


def eq(field: str, value: FilterValue) -> Filter:
    """Match rows whose ``field`` equals ``value``."""
    return _compare("equalto", field, value)


def ne(field: str, value: FilterValue) -> Filter:
    """Match rows whose ``field`` differs from ``value``."""
    return _compare("notequalto", field, value)


def lt(field: str, value: FilterValue) -> Filter:
    """Match rows whose ``field`` is less than ``value``."""
    return _compare("lessthan", field, value)


def le(field: str, value: FilterValue) -> Filter:
    """Match rows whose ``field`` is less than or equal to ``value``."""
    return _compare("lessthanorequalto", field, value)


def gt(field: str, value: FilterValue) -> Filter:
    """Match rows whose ``field`` is greater than ``value``."""
    return _compare("greaterthan", field, value)


def ge(field: str, value: FilterValue) -> Filter:
    """Match rows whose ``field`` is greater than or equal to ``value``."""
    return _compare("greaterthanorequalto", field, value)


def between(field: str, low: FilterValue, high: FilterValue) -> Filter:
    """Match rows whose ``field`` lies between ``low`` and ``high``, both included."""
    return Filter("between", field, (low, high))


def in_(field: str, values: Iterable[FilterValue]) -> Filter:
    """Match rows whose ``field`` is one of ``values``.

    Raises:
        ValueError: ``values`` is empty or holds more than 1000 items (the gateway's limit).
    """
    items = tuple(values)
    if not items or len(items) > 1000:
        raise ValueError("in_ takes between 1 and 1000 values")
    return Filter("in", field, items)


def not_in(field: str, values: Iterable[FilterValue]) -> Filter:
    """Match rows whose ``field`` is none of ``values``.

    Raises:
        ValueError: ``values`` is empty or holds more than 1000 items (the gateway's limit).
    """
    items = tuple(values)
    if not items or len(items) > 1000:
        raise ValueError("not_in takes between 1 and 1000 values")
    return Filter("notin", field, items)


def like(field: str, pattern: str) -> Filter:
    """Match rows whose ``field`` matches the SQL-style ``pattern`` (``%`` and ``_``)."""
    return _compare("like", field, pattern)


def not_like(field: str, pattern: str) -> Filter:
    """Match rows whose ``field`` does not match the SQL-style ``pattern``."""
    return _compare("notlike", field, pattern)


def is_null(field: str) -> Filter:
    """Match rows whose ``field`` is empty."""
    return Filter("isnull", field)


def is_not_null(field: str) -> Filter:
    """Match rows whose ``field`` has a value."""
    return Filter("isnotnull", field)


def _combine(operator: str, filters: tuple[Filter, ...]) -> Filter:
    if not filters:
        raise ValueError(f"{operator}_ needs at least one filter")
    if len(filters) == 1:
        return filters[0]
    return Filter(operator, children=filters)


def and_(*filters: Filter) -> Filter:
    """All of the filters (a single filter is returned as is: Intacct needs >= 2)."""
    return _combine("and", filters)


def or_(*filters: Filter) -> Filter:
    """Any of the filters (a single filter is returned as is)."""
    return _combine("or", filters)
