"""Idle SQLite connections reused across gateway requests.

Opening a connection costs about as much as serving a small page: SQLite parses the
whole schema (one table per catalog object) on the first statement of every new
connection, and Python's per-connection statement cache starts empty. The gateway takes
a connection from here for each XML request and hands it back afterwards; only
connections outside any transaction are kept. `clear()` closes the idle ones (after a
reset replaced the file's content).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable


class ConnectionPool:
    """A small LIFO stack of idle connections made by `factory` (thread-safe)."""

    def __init__(self, factory: Callable[[], sqlite3.Connection], max_idle: int = 8) -> None:
        self._factory = factory
        self._max_idle = max_idle
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._generation = 0
        self._born: dict[int, int] = {}  # id(conn) -> generation it was made in

    def acquire(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            generation = self._generation
        conn = self._factory()
        with self._lock:
            self._born[id(conn)] = generation
        return conn

    def release(self, conn: sqlite3.Connection) -> None:
        """Keep `conn` for the next request, or close it (open transaction, pool full,
        or made before the last `clear()`)."""
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            self._close(conn)
            return
        with self._lock:
            fresh = self._born.get(id(conn)) == self._generation
            if fresh and len(self._idle) < self._max_idle:
                self._idle.append(conn)
                return
        self._close(conn)

    def clear(self) -> None:
        """Close every idle connection; connections in use are closed when released."""
        with self._lock:
            idle, self._idle = self._idle, []
            self._generation += 1
        for conn in idle:
            self._close(conn)

    def _close(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            self._born.pop(id(conn), None)
        with contextlib.suppress(sqlite3.Error):
            conn.close()
