"""Pages over Intacct's REST query service, and the REST API's times.

REST answers and filters write timestamps as ISO-8601 in UTC (docs/protocol-rest.md §4),
so the clock needs no zone or date style from the user's preferences, and the run's
upper bound is its start. The query service serves up to 4000 rows per call
(docs/protocol-rest.md §3.3), twice the XML `query` function's 2000.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from intacct_client import IntacctRestClient, QueryPage

from tap_intacct.casting import WireTime
from tap_intacct.clock import Clock
from tap_intacct.pages import PageRequest
from tap_intacct.transport import fetch_page

REST_MAX_PAGE_SIZE = 4000
_CACHE_LIMIT = 50_000


def parse_iso(text: str) -> datetime | None:
    """An ISO-8601 timestamp with `Z` or an offset -> aware UTC datetime (None if empty).

    A timestamp without a zone is taken as UTC, the zone every REST timestamp is in.
    """
    if not text:
        return None
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def iso_utc(moment: datetime) -> str:
    """An instant as the literal REST filters take: `2024-01-31T12:00:00Z`."""
    utc = moment.astimezone(timezone.utc)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


class RestClock:
    """Times of the REST API: ISO-8601 in UTC, both ways."""

    wire = WireTime("UTC")

    def __init__(self, run_started_at: datetime) -> None:
        """The run reads rows modified up to `run_started_at`."""
        self.run_started_at = run_started_at

    @property
    def upper_bound(self) -> datetime:
        """The run's start: REST timestamps carry their zone, nothing is guessed."""
        return self.run_started_at

    def wire_time(self, moment: datetime) -> str:
        """An instant as a filter literal."""
        return iso_utc(moment)

    def parse_wire_time(self, text: str) -> datetime | None:
        """An answer's timestamp -> aware UTC datetime."""
        return parse_iso(text)

    def resend_literal(self, text: str) -> str:
        """An answer's timestamp as a filter literal for the same instant."""
        moment = parse_iso(text)
        return text if moment is None else iso_utc(moment)

    def cursor_parser(self) -> Callable[[str], datetime | None]:
        """A memoised `parse_wire_time`."""
        cache: dict[str, datetime | None] = {}

        def parse(text: str) -> datetime | None:
            if text in cache:
                return cache[text]
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            parsed = cache[text] = parse_iso(text)
            return parsed

        return parse


class RestTransport:
    """Pages through the REST query service (`POST /services/core/query`)."""

    max_page_size = REST_MAX_PAGE_SIZE

    def __init__(self, client: IntacctRestClient, run_started_at: datetime) -> None:
        """Use `client` for every call."""
        self.client = client
        self.clock: Clock = RestClock(run_started_at)

    def fetch(self, request: PageRequest) -> QueryPage:
        """One query-service call."""
        return fetch_page(self.client, request)

    @property
    def request_count(self) -> int:
        """HTTP requests the client has sent."""
        return self.client.request_count
