"""Several pages of one stream in flight at once, without giving up keyset safety.

Keyset paging makes every request depend on the last row of the previous page, which
allows only one request in flight. To use the concurrency Intacct allows, the pages
after the cursor are requested together under the cursor's filter at offsets
0, P-1, 2(P-1), ... with page size P: each speculative page starts with the last row of
the page before it. That shared row proves the two pages are contiguous: if any row
before it was removed, added or moved between the two calls, the row at that position
is a different one and the page is discarded (and asked for again from the cursor in the
next batch). So offsets are used only where they are verified, and a mutable ordering
can cost an extra call but never a skipped row.

The cursor and everything that emits stay on the calling thread; the next batch is
launched as soon as the current one has been checked, so requests are in flight while
records are cast and written. At most two batches of pages are held in memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any, Protocol

from intacct_client import IntacctError, QueryPage

from tap_intacct.pages import PageRequest

Record = Mapping[str, Any]


class Cursor(Protocol):
    """What the pipeline needs from a keyset cursor (see `keyset`)."""

    finished: bool

    def advance(self, records: Sequence[Record], num_remaining: int) -> list[Record]: ...


@dataclass
class _Batch:
    requests: list[PageRequest]
    futures: list[Future[QueryPage]]


def batch_size(width: int, page_size: int, remaining: int | None) -> int:
    """Pages to request together: 1 until the remaining count is known, then what is left."""
    if remaining is None or width <= 1 or page_size < 2:
        return 1
    stride = page_size - 1
    return max(1, min(width, 1 + math.ceil(max(0, remaining - page_size) / stride)))


def speculative_requests(base: PageRequest, count: int) -> list[PageRequest]:
    """`base` and the pages after it, each overlapping the previous one by one row."""
    stride = base.page_size - 1
    return [base] + [replace(base, offset=base.offset + i * stride) for i in range(1, count)]


def pipelined_pages(
    cursor: Cursor,
    *,
    key_field: str | None,
    next_request: Callable[[], PageRequest],
    submit: Callable[[PageRequest], Future[QueryPage]],
    first_page: Callable[[Future[QueryPage], PageRequest], QueryPage],
    width: int,
) -> Iterator[list[Record]]:
    """Fresh records of each accepted page, in order, until the cursor is finished.

    `first_page` resolves the first page of a batch (it may retry, e.g. after dropping
    fields Intacct refuses); speculative pages that fail are simply discarded.
    """
    width = width if key_field else 1
    remaining: int | None = None

    def launch() -> _Batch:
        base = next_request()
        requests = speculative_requests(base, batch_size(width, base.page_size, remaining))
        return _Batch(requests, [submit(request) for request in requests])

    batch = launch()
    while True:
        accepted, remaining = _accept(cursor, key_field, batch, first_page)
        following = None if cursor.finished else launch()
        yield from accepted
        if following is None:
            return
        batch = following


def _accept(
    cursor: Cursor,
    key_field: str | None,
    batch: _Batch,
    first_page: Callable[[Future[QueryPage], PageRequest], QueryPage],
) -> tuple[list[list[Record]], int]:
    """Advance the cursor over the batch's contiguous pages; discard the rest."""
    page = first_page(batch.futures[0], batch.requests[0])
    accepted = [cursor.advance(page.records, page.num_remaining)]
    remaining = page.num_remaining
    previous = page
    for index in range(1, len(batch.requests)):
        usable = (
            key_field is not None
            and not cursor.finished
            and len(previous.records) >= batch.requests[index].page_size
        )
        following = _result(batch.futures[index]) if usable else None
        if (
            following is None
            or key_field is None
            or not _contiguous(previous, following, key_field)
        ):
            for later in batch.futures[index:]:
                later.cancel()
            break
        accepted.append(cursor.advance(following.records[1:], following.num_remaining))
        remaining = following.num_remaining
        previous = following
    return accepted, remaining


def _result(future: Future[QueryPage]) -> QueryPage | None:
    """A speculative page, or None when it failed (the next batch asks again)."""
    try:
        return future.result()
    except IntacctError:
        return None


def _contiguous(previous: QueryPage, page: QueryPage, key_field: str) -> bool:
    """True when `page` starts with the last row of `previous` (nothing shifted)."""
    if not page.records or not previous.records:
        return False
    return str(page.records[0].get(key_field)) == str(previous.records[-1].get(key_field))
