"""Several pages of one stream in flight at once, without giving up keyset safety.

Keyset paging makes every request depend on the last row of the previous page, which
allows only one request in flight. To use the concurrency Intacct allows, pages after
the cursor are requested speculatively under the cursor's filter, each at the offset
where the page before it ends, so that it starts with that page's last row. That shared
row proves the two pages are contiguous: if any row before it was removed, added or
moved between the two calls, the row at that position is a different one and the page
is discarded with every page after it (they are asked for again from the cursor). So
offsets are used only where they are verified, and a mutable ordering can cost extra
calls but never a skipped row. Each overlap costs one row of a page (1/1999 of a call).

A sliding window, not batches: whenever the head page has been checked and accepted,
the next speculative page is launched before the head's records are emitted, so
`width` requests stay in flight while the calling thread casts and writes. Speculative
offsets are relative to the current cursor, so they stay below width x page size.
Pages are launched only while the last accepted page says rows remain (no call is
spent past the end); the first page of a stream goes alone because its count is not
known yet (the scheduler may have requested it, and the page after it, ahead of the
stream). The cursor and everything that emits stay on the calling thread; at most
`width` pages are held besides the one being emitted.
"""

from __future__ import annotations

import copy
from collections import deque
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

    def advance(self, records: Sequence[Record], num_remaining: int) -> list[Record]:
        """Move past a page; return its records that were not emitted before, in order."""
        ...


@dataclass
class _InFlight:
    """One requested page; `start` is the position of its first row in the ordering."""

    request: PageRequest
    future: Future[QueryPage]
    start: int
    overlaps: bool

    @property
    def end(self) -> int:
        """Position of its last row if it comes back full."""
        return self.start + self.request.page_size - 1


@dataclass
class _Progress:
    """Where the accepted pages end, in the positions of the ordering."""

    accepted_end: int = 0  # position of the cursor's row (last row of the accepted page)
    needed_end: int | None = None  # last position that exists, per the last page's count
    aligned: bool = False  # the cursor's row is the accepted page's last row
    previous: QueryPage | None = None
    previous_full: bool = False


def pipelined_pages(
    cursor: Cursor,
    *,
    key_field: str | None,
    next_request: Callable[[], PageRequest],
    request: Callable[[PageRequest], Future[QueryPage]],
    width: int,
    on_last_launched: Callable[[], None] | None = None,
) -> Iterator[list[Record]]:
    """Fresh records of each accepted page, in order, until the cursor is finished.

    `request` is the scheduler's: a page asked for from the cursor may already have
    been requested ahead (it is then handed over, not sent again). A page asked for
    from the cursor that fails raises; speculative pages that fail are discarded.
    `on_last_launched` is called once, as soon as every page the stream still needs is
    in flight (or it is finished), so the caller can start the next stream's first page
    in the request slots this stream is about to free.
    """
    width = max(1, width) if key_field else 1
    window: deque[_InFlight] = deque()
    progress = _Progress()
    announced = False

    def last_launched() -> None:
        nonlocal announced
        if not announced and on_last_launched is not None:
            announced = True
            on_last_launched()

    def launch() -> None:
        while len(window) < width and not cursor.finished:
            if not window:
                wanted = next_request()
                window.append(_InFlight(wanted, request(wanted), progress.accepted_end + 1, False))
                continue
            last = window[-1]
            needed = progress.needed_end
            if needed is not None and last.end >= needed:
                last_launched()
                return
            if needed is None or not progress.aligned:
                return
            if getattr(cursor, "offset", 0):
                return
            base = next_request()
            wanted = replace(base, offset=last.end - progress.accepted_end - 1)
            window.append(_InFlight(wanted, request(wanted), last.end, True))

    launch()
    while window:
        head = window.popleft()
        if head.overlaps:
            page = _result(head.future)
            if page is None or not _continues(progress, page, key_field):
                _discard(window)
                launch()
                continue
            fresh = cursor.advance(page.records[1:], page.num_remaining)
        else:
            page = head.future.result()
            fresh = cursor.advance(page.records, page.num_remaining)
        _accepted(progress, head, page, fresh)
        if cursor.finished:
            _discard(window)
            last_launched()
        else:
            launch()
        yield fresh


def request_after_first(
    cursor: Cursor, first: PageRequest, next_request: Callable[[Any], PageRequest]
) -> Callable[[QueryPage], PageRequest | None]:
    """How to tell, from a stream's first page, the request its cursor makes next.

    The cursor is copied before it has moved, and each call advances a fresh copy of
    that copy, so a page fetched ahead can have its follow-up requested by a worker
    without touching the stream's own cursor. None when the first page ends the pass.
    A keyset request depends only on the page before it, so the stream, asking later,
    makes exactly the same request (the scheduler hands the held page over).
    """
    start = _copy(cursor)

    def after(page: QueryPage) -> PageRequest | None:
        if page.num_remaining <= 0 or len(page.records) < first.page_size:
            return None
        probe = _copy(start)
        probe.advance(page.records, page.num_remaining)
        return None if probe.finished else next_request(probe)

    return after


def _copy(cursor: Cursor) -> Cursor:
    """A copy of a cursor that can advance without moving the original."""
    probe = copy.copy(cursor)
    for name, value in vars(cursor).items():
        if isinstance(value, deque | set | list | dict):
            setattr(probe, name, copy.copy(value))
    return probe


def _accepted(progress: _Progress, head: _InFlight, page: QueryPage, fresh: list[Record]) -> None:
    records = page.records
    progress.accepted_end = head.start + max(len(records), 1) - 1
    progress.needed_end = progress.accepted_end + max(page.num_remaining, 0)
    # Offsets relative to the cursor are right only when its row ends the page (not so
    # when trailing rows were already emitted, e.g. a repeated DST hour).
    progress.aligned = bool(fresh) and bool(records) and fresh[-1] is records[-1]
    progress.previous = page
    progress.previous_full = len(records) >= head.request.page_size


def _continues(progress: _Progress, page: QueryPage, key_field: str | None) -> bool:
    """True when `page` starts with the last row of the accepted page (nothing shifted)."""
    previous = progress.previous
    if key_field is None or previous is None or not progress.previous_full:
        return False
    if not page.records or not previous.records:
        return False
    return str(page.records[0].get(key_field)) == str(previous.records[-1].get(key_field))


def _discard(window: deque[_InFlight]) -> None:
    """Drop pages that can no longer be used (running calls finish and are ignored)."""
    for item in window:
        item.future.cancel()
    window.clear()


def _result(future: Future[QueryPage]) -> QueryPage | None:
    """A speculative page, or None when it failed (it is asked for again)."""
    try:
        return future.result()
    except IntacctError:
        return None
