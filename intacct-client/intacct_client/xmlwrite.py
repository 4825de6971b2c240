"""Serialise nested Python payloads to XML text, in insertion order.

Rules (from the client contract): str/int/Decimal/bool become text (bool ->
true/false, Decimal without exponent), None an empty element, a list repeats the
element, a mapping (or a sequence of (key, value) pairs) becomes child elements, keys
starting with ``@`` are attributes. :class:`RawXml` is inserted verbatim (for already
rendered fragments such as filter trees).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from intacct_client.values import format_date, format_decimal
from intacct_client.xmlescape import escape, quoteattr


class RawXml(str):
    """A fragment of XML that is already serialised and must not be escaped."""

    __slots__ = ()


def text_of(value: Any) -> str:
    """The XML text of a scalar value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int):
        return format_decimal(value)
    if isinstance(value, datetime):
        raise TypeError("datetimes need a time zone: format them with values.format_timestamp")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        raise TypeError("money and quantities must be Decimal, not float")
    return str(value)


def _items(value: Any) -> list[tuple[str, Any]] | None:
    if isinstance(value, Mapping):
        return list(value.items())
    if (
        isinstance(value, list | tuple)
        and value
        and all(
            isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
            for item in value
        )
    ):
        return list(value)
    return None


def element(tag: str, value: Any, out: list[str]) -> None:
    """Append ``<tag>...</tag>`` for ``value`` to ``out``."""
    if isinstance(value, list) and _items(value) is None:
        for item in value:
            element(tag, item, out)
        return
    children = _items(value)
    if children is None:
        if value is None:
            out.append(f"<{tag}/>")
        elif isinstance(value, RawXml):
            out.append(f"<{tag}>{value}</{tag}>")
        else:
            out.append(f"<{tag}>{escape(text_of(value))}</{tag}>")
        return
    attributes = "".join(
        f" {key[1:]}={quoteattr(text_of(val))}" for key, val in children if key.startswith("@")
    )
    body: list[str] = []
    for key, child in children:
        if key.startswith("@"):
            continue
        if key == "#text":
            body.append(escape(text_of(child)))
        elif isinstance(child, RawXml) and key == "#raw":
            body.append(child)
        else:
            element(key, child, body)
    if body:
        out.append(f"<{tag}{attributes}>{''.join(body)}</{tag}>")
    else:
        out.append(f"<{tag}{attributes}/>")


def to_xml(tag: str, value: Any) -> str:
    """Serialise one element."""
    out: list[str] = []
    element(tag, value, out)
    return "".join(out)
