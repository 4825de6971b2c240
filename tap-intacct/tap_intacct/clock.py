"""How one run reads and writes times on the wire, and the instant it reads up to.

The XML gateway writes timestamps as wall-clock literals in a zone it does not name
(the user's preference, or a `timezone` setting) and dates in the user's date style; a
transport that speaks ISO-8601 in UTC needs none of that. Streams ask a clock, never
the client, so the same stream code runs over either transport.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from intacct_client import IntacctClient, values
from intacct_client.formatting import timezone_setting

from tap_intacct.casting import WireTime, cached_parser


class Clock(Protocol):
    """What streams need to know about time for one run."""

    run_started_at: datetime

    @property
    def wire(self) -> WireTime:
        """Zones and date style of the answers (for casting)."""
        ...

    @property
    def upper_bound(self) -> datetime:
        """The newest modification time this run reads."""
        ...

    def wire_time(self, moment: datetime) -> str:
        """A UTC instant as the literal filters expect."""
        ...

    def parse_wire_time(self, text: str) -> datetime | None:
        """A timestamp as an answer writes it -> aware UTC datetime."""
        ...

    def resend_literal(self, text: str) -> str:
        """A timestamp from an answer -> the literal a filter sends for the same time."""
        ...

    def cursor_parser(self) -> Callable[[str], datetime | None]:
        """A memoised `parse_wire_time` for one cursor (it sees each value many times)."""
        ...


class XmlClock:
    """Times of the XML gateway, resolved on first use (one readUserFormatting).

    The zone is the `timezone` setting, else the Web Services user's preference; AU*
    audit stamps use `audit_timestamps_zone` (docs/protocol.md §5.2, §11.4).
    """

    def __init__(
        self, client: IntacctClient, config: Mapping[str, Any], run_started_at: datetime
    ) -> None:
        """Keep the client and settings; nothing is asked of Intacct until first use."""
        self._client = client
        self._config = config
        self.run_started_at = run_started_at
        self._timezone: str | None = None
        self._wire: WireTime | None = None

    @property
    def timezone(self) -> str:
        """Zone of Intacct timestamps (setting, else the user's gmtoffset preference)."""
        if self._timezone is None:
            self._timezone = self._client.user_timezone()
        return self._timezone

    @property
    def wire(self) -> WireTime:
        """Zones and date style of Intacct's answers for this run."""
        if self._wire is None:
            audit = str(self._config.get("audit_timestamps_zone") or "UTC").strip()
            audit_zone = None if audit.lower() == "user" else timezone_setting(audit)
            self._wire = WireTime(self.timezone, self._client.user_date_style(), audit_zone)
        return self._wire

    def wire_time(self, moment: datetime) -> str:
        """Write a UTC instant as the timestamp literal Intacct filters expect.

        The literal is in the zone of the timestamps, in the date form requests carry
        (see `IntacctClient.request_date_style`).
        """
        return values.format_timestamp(moment, self.timezone, self._client.request_date_style())

    def parse_wire_time(self, text: str) -> datetime | None:
        """A timestamp as Intacct answers it (user's date format) -> aware UTC datetime."""
        return values.parse_timestamp(text, self.timezone, self.wire.style)

    def resend_literal(self, text: str) -> str:
        """A timestamp from an answer -> the same wall-clock time in request form."""
        moment = self.parse_wire_time(text)
        return text if moment is None else self.wire_time(moment)

    def cursor_parser(self) -> Callable[[str], datetime | None]:
        """A memoised `parse_wire_time` for one cursor."""
        return cached_parser(self.timezone, self.wire.style)

    @property
    def upper_bound(self) -> datetime:
        """The run's start, widened when the zone is a guessed one west of GMT.

        Whether Intacct writes WHENMODIFIED in the preference zone or in GMT is not in
        the public record (docs/protocol.md §5.2). Under GMT, a west-of-GMT preference
        makes the run's start, as a wall-clock literal, lie hours before Intacct's
        "now", and the newest rows would wait for a later run; the widening keeps them
        in this one. With the `timezone` setting the zone is known and nothing is widened.
        """
        slack = timedelta(0)
        if not self._config.get("timezone"):
            offset = self.run_started_at.astimezone(values.zone(self.timezone)).utcoffset()
            slack = max(timedelta(0), -(offset or timedelta(0)))
        return self.run_started_at + slack


def run_start() -> datetime:
    """The instant a run starts, to the second (the upper bound of what it reads)."""
    return datetime.now(timezone.utc).replace(microsecond=0)
