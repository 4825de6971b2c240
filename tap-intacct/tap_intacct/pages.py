"""The one place a stream asks Intacct for a page.

Kept to a single small function on an immutable request so that a prefetching thread
pool (issue 8) can submit `fetch_page` calls ahead of the emitting thread without
touching the cursor or the casting code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from intacct_client import IntacctClient, QueryPage


@dataclass(frozen=True)
class PageRequest:
    """Everything one `query` call needs; safe to hand to another thread."""

    object_name: str
    fields: tuple[str, ...]
    filter: Any
    order_by: tuple[tuple[str, str], ...]
    page_size: int
    offset: int = 0
    show_private: bool = True


def fetch_page(client: IntacctClient, request: PageRequest) -> QueryPage:
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


def page_request(
    object_name: str,
    fields: Sequence[str],
    cursor: Any,
    page_size: int,
    show_private: bool,
) -> PageRequest:
    """The request for a cursor's next page."""
    return PageRequest(
        object_name=object_name,
        fields=tuple(fields),
        filter=cursor.filter(),
        order_by=tuple(cursor.order_by()),
        page_size=page_size,
        offset=cursor.offset,
        show_private=show_private,
    )
