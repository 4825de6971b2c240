"""The transports a page scheduler sends requests over.

A transport turns a `PageRequest` into one metered call and knows its own limits and
time conventions. The XML gateway's `query` is one; another API that can filter,
order and page the same way plugs in by implementing `Transport`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from intacct_client import IntacctClient, QueryPage

from tap_intacct.clock import Clock, XmlClock
from tap_intacct.pages import PageRequest

# The XML `query` function's largest page (docs/protocol.md §4.7).
XML_MAX_PAGE_SIZE = 2000


class Transport(Protocol):
    """One way of asking Intacct for pages."""

    max_page_size: int
    clock: Clock

    def fetch(self, request: PageRequest) -> QueryPage:
        """Run one request (one metered API call)."""
        ...

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far (for progress lines)."""
        ...


class QueryClient(Protocol):
    """A client with a `query` of `IntacctClient.query`'s shape (XML or REST)."""

    def query(
        self,
        object_name: str,
        fields: Sequence[str],
        *,
        filter: Any = None,
        order_by: Sequence[tuple[str, str]] = (),
        page_size: int = ...,
        offset: int = 0,
        case_insensitive: bool = False,
        show_private: bool = True,
    ) -> QueryPage:
        """One page of `object_name`."""
        ...


def fetch_page(client: QueryClient, request: PageRequest) -> QueryPage:
    """Run one `query` (one metered API call)."""
    return client.query(
        request.object_name,
        list(request.fields),
        filter=request.filter,
        order_by=list(request.order_by),
        page_size=request.page_size,
        offset=request.offset,
        show_private=request.show_private,
    )


class XmlTransport:
    """Pages through the XML gateway's `query` function."""

    max_page_size = XML_MAX_PAGE_SIZE

    def __init__(
        self, client: IntacctClient, config: Mapping[str, Any], run_started_at: datetime
    ) -> None:
        """Use `client` for every call; times follow the user's preferences (`XmlClock`)."""
        self.client = client
        self.clock: Clock = XmlClock(client, config, run_started_at)

    def fetch(self, request: PageRequest) -> QueryPage:
        """One `query` call."""
        return fetch_page(self.client, request)

    @property
    def request_count(self) -> int:
        """HTTP requests the client has sent."""
        return self.client.request_count
