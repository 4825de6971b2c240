"""The one place a stream asks Intacct for a page.

Kept to a single small function on an immutable request so that a prefetching thread
pool can submit `fetch_page` calls ahead of the emitting thread without
touching the cursor or the casting code.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any

from intacct_client import IntacctClient, IntacctUnqueryableFieldsError, QueryPage


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


@dataclass(frozen=True)
class PageWithoutRefused(QueryPage):
    """A first page that was asked for again without the fields Intacct refused."""

    refused: tuple[str, ...] = ()


def refused_fields(
    request: PageRequest, error: IntacctUnqueryableFieldsError, protected: Collection[str]
) -> list[str]:
    """Return the refused fields that may be dropped from a page request.

    Returns the selected fields named by the error, spelled as selected; raises it when
    none of them is selected or a protected one (key, replication key) is among them.
    """
    wanted = {name.upper(): name for name in request.fields}
    refused = [wanted[name.upper()] for name in error.fields if name.upper() in wanted]
    if not refused or set(protected) & set(refused):
        raise error
    return refused


def without_fields(request: PageRequest, names: Collection[str]) -> PageRequest:
    """The same request selecting every field but `names`."""
    dropped = set(names)
    return replace(request, fields=tuple(name for name in request.fields if name not in dropped))


def fetch_first_page(
    client: IntacctClient, request: PageRequest, protected: Collection[str]
) -> QueryPage:
    """`fetch_page`; when Intacct refuses selected fields, ask again at once without them.

    Done on the worker that made the call, so the repeat overlaps whatever the main
    thread is emitting; the main thread drops the fields from the stream (and re-sends
    its SCHEMA) when it takes the page (`PageWithoutRefused.refused`).
    """
    try:
        return fetch_page(client, request)
    except IntacctUnqueryableFieldsError as exc:
        refused = refused_fields(request, exc, protected)
        page = fetch_page(client, without_fields(request, refused))
        return PageWithoutRefused(
            records=page.records,
            total_count=page.total_count,
            offset=page.offset,
            count=page.count,
            num_remaining=page.num_remaining,
            refused=tuple(refused),
        )


@dataclass
class FollowUp:
    """The page after a stream's first page, requested by the worker that fetched it.

    Filled in by that worker before the first page's future resolves, so whoever has the
    first page's result also sees this; empty when no follow-up was requested.
    """

    request: PageRequest | None = None
    future: Future[QueryPage] | None = None

    def cancel(self) -> None:
        """Cancel the follow-up page request, if one was made."""
        if self.future is not None:
            self.future.cancel()


def first_page_with_follow_up(
    client: IntacctClient,
    request: PageRequest,
    protected: Collection[str],
    follow_up: FollowUp | None,
    submit: Callable[[PageRequest], Future[QueryPage]],
) -> QueryPage:
    """Fetch a first page and, when rows remain, request the next page at once.

    Works like `fetch_first_page`; when the page is full and rows remain, the next page is
    requested at once at offset page_size - 1 under the same filter (its first row must
    repeat this page's last row, which `prefetch` verifies before using it).

    Used for pages requested ahead of their stream: without it, a stream's second page
    could only be asked for once the stream before it has emitted its last row.
    """
    page = fetch_first_page(client, request, protected)
    if follow_up is not None and page.num_remaining > 0 and len(page.records) >= request.page_size:
        used = request
        if isinstance(page, PageWithoutRefused):
            used = without_fields(request, page.refused)
        follow_up.request = replace(used, offset=request.offset + request.page_size - 1)
        follow_up.future = submit(follow_up.request)
    return page


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
