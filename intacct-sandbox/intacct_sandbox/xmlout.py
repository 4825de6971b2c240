"""Tiny, fast XML writing helpers shared by the gateway and the function handlers.

Responses are built as strings (lists of fragments joined once) because the query hot
path renders tens of thousands of elements per second; an ElementTree round trip would
cost several times more. Text escapes `&`, `<`, `>`; attributes additionally escape quotes.
Apostrophes are written as `&#039;` as in captured Intacct responses (docs/protocol.md §5.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

_TEXT_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#039;"})
_ATTR_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"})
_NEEDS_TEXT_ESCAPE = frozenset("&<>'")


def escape_text(value: str) -> str:
    """Escape character data for element content (fast path when nothing to escape)."""
    for ch in value:
        if ch in _NEEDS_TEXT_ESCAPE:
            return value.translate(_TEXT_TABLE)
    return value


def escape_attr(value: str) -> str:
    """Escape a value for a double-quoted attribute."""
    return value.translate(_ATTR_TABLE)


def element(tag: str, text: str | None = "") -> str:
    """`<tag>text</tag>` with escaped text; None renders an empty element."""
    if not text:
        return f"<{tag}></{tag}>"
    return f"<{tag}>{escape_text(text)}</{tag}>"


def attrs(attributes: Mapping[str, object] | Iterable[tuple[str, object]]) -> str:
    """` a="1" b="x"` in the given order (values stringified and escaped)."""
    items = attributes.items() if isinstance(attributes, Mapping) else attributes
    return "".join(f' {name}="{escape_attr(str(value))}"' for name, value in items)


def open_tag(tag: str, attributes: Mapping[str, object] | None = None) -> str:
    return f"<{tag}{attrs(attributes) if attributes else ''}>"


def empty_tag(tag: str, attributes: Mapping[str, object] | None = None) -> str:
    """A self-closing element, e.g. an empty `<data .../>` list."""
    return f"<{tag}{attrs(attributes) if attributes else ''}/>"


def wrap(tag: str, inner: str, attributes: Mapping[str, object] | None = None) -> str:
    """`<tag attrs>inner</tag>` where `inner` is already-built XML."""
    return f"{open_tag(tag, attributes)}{inner}</{tag}>"
