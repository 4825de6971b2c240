"""The user's formatting preferences: ``readUserFormatting`` answers and their overrides.

Intacct documents the answer (developer.intacct.com, Company console > Users,
"readUserFormatting") as a lower-case record: ``locale``, ``dateformat`` (a code: the
separator, then the order of day, month and year as PHP date letters, e.g. ``/mdY``,
``.ymd``), ``gmtoffset`` (``±hh:mm``, a fixed offset: Intacct's help says the time-zone
preference is not adjusted for daylight saving) and ``clock``. An older upper-case shape
(``GMTOFFSET`` in hours, ``TIMEZONE`` as an IANA name) is read too.

When the zone cannot be known, nothing is guessed: `UserFormattingError` names the
``timezone`` setting that fixes it (a silent UTC fallback would shift every timestamp).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from intacct_client.values import ISO_DATES, US_DATES, DateStyle, zone

_OFFSET = re.compile(r"^(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_HOURS = re.compile(r"^[+-]?\d{1,2}(?:\.\d+)?$")
_LETTERS = {"d": "d", "j": "d", "m": "m", "n": "m", "y": "y"}
_WORDS = {"dd": "d", "d": "d", "mm": "m", "m": "m", "yyyy": "y", "yy": "y"}


class UserFormattingError(RuntimeError):
    """The user's time zone or date format is unknown; the message names the fixing setting."""


def offset_name(text: str) -> str | None:
    """Read a UTC offset and return its canonical ``±hh:mm`` zone name.

    Accepts ``+09:30``, ``-08:00``, ``+0000``, ``GMT-3`` and ``UTC``/``GMT``/``Z``
    (``+00:00``); returns None when ``text`` is no offset.
    """
    cleaned = text.strip()
    if cleaned.upper() in {"UTC", "GMT", "Z"}:
        return "+00:00"
    match = _OFFSET.match(cleaned)
    if not match:
        return None
    sign, hours, minutes = match.groups()
    total = int(hours) * 60 + int(minutes or 0)
    if int(minutes or 0) >= 60 or total > 14 * 60:
        return None
    return f"{'-' if sign == '-' and total else '+'}{total // 60:02d}:{total % 60:02d}"


def _legacy_hours(text: str) -> str | None:
    """The older shape's GMTOFFSET in hours (``-8``, ``5.5``) -> ``±hh:mm``."""
    if not _HOURS.match(text.strip()):
        return None
    minutes = round(float(text) * 60)
    if abs(minutes) > 14 * 60:
        return None
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def timezone_setting(value: str) -> str:
    """Validate the ``timezone`` setting and return the zone name the client uses.

    Accepts an IANA name, ``UTC``/``GMT`` or a fixed offset such as ``+05:30``;
    raises ValueError for anything else.
    """
    fixed = offset_name(value)
    if fixed is not None:
        return fixed
    zone(value)  # raises for an unknown IANA name
    return value


def date_style(code: str) -> DateStyle:
    """Read a user's date format into a DateStyle.

    Accepts a ``dateformat`` code (``/mdY``, ``.dmY``, ``-Ymd``) or a pattern such as
    ``dd/mm/yyyy``; raises ValueError for anything else (month names).
    """
    text = code.strip()
    if re.fullmatch(r"[^A-Za-z0-9][djmnyY]{3}", text):
        separator, letters = text[0], text[1:]
        order = "".join(_LETTERS[letter.lower()] for letter in letters)
    else:
        parts = re.split(r"([^A-Za-z])", text.lower())
        if len(parts) != 5 or parts[1] != parts[3]:
            raise ValueError(f"unknown date format {code!r}")
        separator = parts[1]
        try:
            order = "".join(_WORDS[part] for part in parts[0::2])
        except KeyError:
            raise ValueError(f"unknown date format {code!r}") from None
    if sorted(order) != ["d", "m", "y"]:
        raise ValueError(f"unknown date format {code!r}")
    return DateStyle(order, separator)


@dataclass(frozen=True)
class UserFormatting:
    """What the client needs from the preferences: the zone name and the date style."""

    zone_name: str | None
    date_style: DateStyle | None
    raw: Mapping[str, str]


def from_record(record: Mapping[str, str]) -> UserFormatting:
    """Read a ``userformatting`` record into UserFormatting.

    Either record shape is read; fields that are missing or unreadable stay None (the
    caller decides whether that is fatal).
    """
    fields = {key.lower(): str(value).strip() for key, value in record.items()}
    zone_name: str | None = None
    offset = fields.get("gmtoffset", "")
    if offset:
        zone_name = offset_name(offset) or _legacy_hours(offset)
    legacy_zone = fields.get("timezone", "")
    if legacy_zone:
        with contextlib.suppress(ValueError, KeyError):  # KeyError: ZoneInfoNotFoundError
            zone_name = timezone_setting(legacy_zone)
    style: DateStyle | None = None
    code = fields.get("dateformat", "")
    if code:
        try:
            style = date_style(code)
        except ValueError:
            style = None
    return UserFormatting(zone_name, style, fields)


def require_zone(formatting: UserFormatting) -> str:
    """The zone name of the preferences, or UserFormattingError naming `timezone`."""
    if formatting.zone_name is None:
        found = formatting.raw.get("gmtoffset") or formatting.raw.get("timezone")
        detail = f"gmtoffset {found!r} is not an offset" if found else "no gmtoffset"
        raise UserFormattingError(
            f"the Web Services user's time zone is unknown (readUserFormatting: {detail}); "
            "set the `timezone` setting (an IANA name such as Europe/London, UTC, or a "
            "fixed offset such as -08:00)"
        )
    return formatting.zone_name


def require_date_style(formatting: UserFormatting) -> DateStyle:
    """The date style of the preferences, or UserFormattingError naming `date_format`."""
    if formatting.date_style is None:
        found = formatting.raw.get("dateformat")
        detail = f"dateformat {found!r} is not supported" if found else "no dateformat"
        raise UserFormattingError(
            f"the Web Services user's date format is unknown (readUserFormatting: "
            f"{detail}); set the `date_format` setting (e.g. mm/dd/yyyy or dd/mm/yyyy)"
        )
    return formatting.date_style


def sending_style(style: DateStyle) -> DateStyle:
    """Choose the date form requests carry, so the gateway reads dates as meant.

    The documented ``MM/DD/YYYY`` for users whose
    preference reads that way, ISO ``YYYY-MM-DD`` for everyone else.

    Whether Intacct reads a request's ``03/04/2026`` by the user's preference or always
    month first is not in the public record; ISO means the same under both readings.
    """
    return US_DATES if style.order == "mdy" and style.separator == "/" else ISO_DATES
