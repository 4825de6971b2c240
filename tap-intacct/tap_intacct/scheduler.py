"""The run's page scheduler: every page request of a sync goes through it.

It is also all a stream sees of the run: the transport's clock, the run's deletions,
and the end-of-stream notice.

One executor serves the whole run. A stream asks for a page with `request`; a page
asked for ahead of its stream (`speculate`) is held under its request value until the
stream asks for that same request, which then costs nothing more. Two kinds of
speculation exist:

- the first page of each stream that will sync next, requested while the stream
  before it is still running (`look_ahead`), within a row budget of two full pages per
  request slot, because streams sync one at a time (singer-sdk's `sync_all`) and a
  stream's first page is alone in flight until its row count is known;
- the page after such a first page, requested by the worker as soon as that page is
  back (`FirstPage.follow_up`): the stream's cursor, copied, says what its next
  request will be.

Speculative calls run in a lane of at most one per request slot, so the running
stream's own pages always find a free worker.

Fields Intacct refuses to query are handled here only: the call is made again without
them (keys and replication keys excepted), and every later request for the object
leaves them out; streams drop them from their schema when they see them in `refused`.

The sliding window of pages within one stream is in `prefetch`, keyset cursors in
`keyset`; the scheduler knows neither. What it sends goes over a `Transport`.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from intacct_client import IntacctClient, IntacctUnqueryableFieldsError, QueryPage

from tap_intacct.clock import Clock
from tap_intacct.deletes import Deletion
from tap_intacct.pages import PageRequest, refused_fields, without_fields
from tap_intacct.transport import Transport

# First pages requested ahead hold at most this many full pages of rows per request slot.
ROWS_AHEAD_PAGES_PER_SLOT = 2
# A request refused again after its refused fields were dropped is tried this often.
REFUSAL_ROUNDS = 3

FollowUp = Callable[[QueryPage], PageRequest | None]


@dataclass(frozen=True)
class FirstPage:
    """A stream's first request, and how to tell the request after it from its page."""

    request: PageRequest
    follow_up: FollowUp | None = None


class Upcoming(Protocol):
    """A stream that syncs later in this run and can say what its first page is."""

    name: str

    def first_page(self) -> FirstPage:
        """Its first request (built once; the stream sends exactly this one)."""
        ...


@dataclass
class _Held:
    """A speculative request nobody has asked for yet."""

    owner: str
    future: Future[QueryPage]
    page_size: int

    def rows(self) -> int:
        """A full page while in flight, its rows once back, 0 if it failed."""
        future = self.future
        if not future.done():
            return self.page_size
        if future.cancelled() or future.exception() is not None:
            return 0
        return len(future.result().records)


class PageScheduler:
    """One executor, memoised speculative requests, refused fields, look-ahead."""

    def __init__(
        self,
        transport: Transport,
        *,
        slots: int,
        page_size: int,
        upcoming: Callable[[str], Sequence[Upcoming]] = lambda _name: (),
        deletions: Callable[[str], list[Deletion]] = lambda _object: [],
        on_stream_finished: Callable[[str], None] = lambda _name: None,
    ) -> None:
        """Serve requests over `transport` with `slots` calls in flight.

        `upcoming(name)` lists the streams that sync after stream `name`, in order;
        `deletions(object)` gives the run's deletions of an object (read once per run
        by whoever knows every stream); `on_stream_finished(name)` is told when each
        stream is done.
        The executor has a worker per slot for a stream's window and one per slot for
        speculative requests, plus one: a worker parsing its page has already given its
        request slot back (the client's throttle caps the calls actually in flight).
        Speculative requests take at most one worker per slot (`_ahead`), so they never
        hold every worker while the running stream waits for its next page.
        """
        self.transport = transport
        self.slots = max(1, slots)
        self.page_size = page_size
        self._upcoming = upcoming
        self._deletions = deletions
        self._on_stream_finished = on_stream_finished
        self._pool = ThreadPoolExecutor(max_workers=2 * self.slots + 1, thread_name_prefix="pages")
        self._lock = threading.Lock()
        self._held: dict[PageRequest, _Held] = {}
        self._refused: dict[str, frozenset[str]] = {}
        self._planned: set[str] = set()
        self._released: set[str] = set()
        # Speculative calls run at most `slots` at a time, the rest wait here in order,
        # so a stream's own pages never queue behind the requests made for later streams.
        self._ahead_running = 0
        self._ahead_waiting: deque[tuple[Future[QueryPage], Callable[[], QueryPage]]] = deque()

    @property
    def clock(self) -> Clock:
        """The transport's times for this run."""
        return self.transport.clock

    @property
    def request_count(self) -> int:
        """Requests the transport has sent."""
        return self.transport.request_count

    def xml_client(self) -> IntacctClient:
        """The XML gateway client, for the streams only the XML gateway serves.

        Raises:
            TypeError: the run reads over another transport.
        """
        client = getattr(self.transport, "client", None)
        if not isinstance(client, IntacctClient):
            raise TypeError("this stream is read through the XML gateway only (api: xml)")
        return client

    def deletions(self, object_name: str) -> list[Deletion]:
        """Deletions of `object_name` this run reports (see `deletes`)."""
        return self._deletions(object_name)

    def stream_finished(self, name: str) -> None:
        """A stream is done: its speculative pages are dropped and the run is told."""
        self.release(name)
        self._on_stream_finished(name)

    # --- requests ---------------------------------------------------------------------

    def request(self, request: PageRequest) -> Future[QueryPage]:
        """The page for `request`: the one made ahead when it was, else a new call.

        A request made ahead is held under the value it had then; fields refused since
        were left out of the call itself, so the stream, which learns of them only with
        that page, still asks with them. Both forms are looked up.
        """
        reduced = self.without_refused(request)
        with self._lock:
            held = self._held.pop(request, None) or self._held.pop(reduced, None)
        if held is not None:
            return held.future
        return self._pool.submit(self.fetch, reduced)

    def speculate(
        self, request: PageRequest, *, owner: str, follow_up: FollowUp | None = None
    ) -> None:
        """Request a page before `owner` asks for it; held until it does.

        With `follow_up`, the worker asks it for the next request as soon as the page
        is back and speculates that one too, before the page is handed to anyone.
        """
        request = self.without_refused(request)
        with self._lock:
            if request in self._held or owner in self._released:
                return
            future = self._ahead(lambda: self._fetch_then(request, owner, follow_up))
            self._held[request] = _Held(owner, future, request.page_size)

    def first_page(self, stream: Upcoming) -> None:
        """Speculate a stream's first page unless it was already requested."""
        with self._lock:
            if stream.name in self._planned:
                return
            self._planned.add(stream.name)
        plan = stream.first_page()
        self.speculate(plan.request, owner=stream.name, follow_up=plan.follow_up)

    def look_ahead(self, after: str) -> None:
        """Request the first pages of the streams synced after stream `after`.

        Called when a stream starts, after each of its pages and when its last pages
        are in flight, so that free request slots are used. Memory stays bounded by
        rows, not streams: first pages are requested while the rows held ahead (a page
        in flight counts as full) stay under two full pages per request slot.
        """
        budget = ROWS_AHEAD_PAGES_PER_SLOT * self.slots * self.page_size
        for stream in self._upcoming(after):
            if budget <= 0:
                return
            self.first_page(stream)
            budget -= self.rows_held(stream.name)

    def rows_held(self, owner: str) -> int:
        """Rows of `owner`'s speculative pages not asked for yet (in flight = full)."""
        with self._lock:
            held = [item for item in self._held.values() if item.owner == owner]
        return sum(item.rows() for item in held)

    def release(self, owner: str) -> None:
        """Forget `owner`'s speculative pages that were never asked for (stream done)."""
        with self._lock:
            self._released.add(owner)
            unused = [request for request, item in self._held.items() if item.owner == owner]
            futures = [self._held.pop(request).future for request in unused]
        for future in futures:
            future.cancel()

    # --- the speculative lane ----------------------------------------------------------

    def _ahead(self, job: Callable[[], QueryPage]) -> Future[QueryPage]:
        """Run `job` on the executor once fewer than `slots` speculative jobs run.

        Called with the lock held.
        """
        future: Future[QueryPage] = Future()
        if self._ahead_running < self.slots:
            self._ahead_running += 1
            self._pool.submit(self._run_ahead, future, job)
        else:
            self._ahead_waiting.append((future, job))
        return future

    def _run_ahead(self, future: Future[QueryPage], job: Callable[[], QueryPage]) -> None:
        try:
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as exc:  # handed to whoever takes the page
                    future.set_exception(exc)
        finally:
            self._next_ahead()

    def _next_ahead(self) -> None:
        """Start the next waiting speculative job that was not cancelled, else free the lane."""
        with self._lock:
            while self._ahead_waiting:
                future, job = self._ahead_waiting.popleft()
                if not future.cancelled():
                    self._pool.submit(self._run_ahead, future, job)
                    return
            self._ahead_running -= 1

    # --- calls ------------------------------------------------------------------------

    def fetch(self, request: PageRequest) -> QueryPage:
        """One call now, on the calling thread; refused fields are dropped and recorded."""
        for _round in range(REFUSAL_ROUNDS):
            request = self.without_refused(request)
            try:
                return self.transport.fetch(request)
            except IntacctUnqueryableFieldsError as exc:
                self._note_refused(request.object_name, refused_fields(request, exc))
        return self.transport.fetch(self.without_refused(request))

    def _fetch_then(
        self, request: PageRequest, owner: str, follow_up: FollowUp | None
    ) -> QueryPage:
        page = self.fetch(request)
        if follow_up is not None:
            following = follow_up(page)
            if following is not None:
                self.speculate(following, owner=owner)
        return page

    # --- refused fields ---------------------------------------------------------------

    def refused(self, object_name: str) -> frozenset[str]:
        """Fields of `object_name` Intacct refused to query in this run."""
        with self._lock:
            return self._refused.get(object_name.upper(), frozenset())

    def without_refused(self, request: PageRequest) -> PageRequest:
        """`request` minus the fields refused for its object."""
        refused = self.refused(request.object_name)
        return without_fields(request, refused) if refused else request

    def _note_refused(self, object_name: str, names: Sequence[str]) -> None:
        key = object_name.upper()
        with self._lock:
            self._refused[key] = self._refused.get(key, frozenset()) | frozenset(names)

    def close(self) -> None:
        """Drop whatever is still held and stop the executor (running calls finish)."""
        with self._lock:
            futures = [item.future for item in self._held.values()]
            self._held.clear()
        for future in futures:
            future.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
