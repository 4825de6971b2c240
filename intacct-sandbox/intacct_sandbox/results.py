"""readMore result sets: opaque resultIds bound to a session, with an idle expiry.

The gateway owns this store (one per server); function handlers put whatever state they
need to continue a listing (e.g. the SQL, its parameters and the next offset) and get it
back on `readMore`. Thread-safe.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any


@dataclass
class _Entry:
    session_id: str
    state: Any
    expires_at: float


class ResultStore:
    """resultId -> opaque state, scoped to a session, expiring after `ttl_s` idle seconds."""

    def __init__(self, ttl_s: float = 1800.0) -> None:
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def put(self, session_id: str, state: Any) -> str:
        """Store `state` and return a new opaque resultId (URL-safe, like Intacct's)."""
        result_id = f"{secrets.randbelow(10**10):010d}{secrets.token_urlsafe(18)}"
        now = time.monotonic()
        with self._lock:
            self._purge(now)
            self._entries[result_id] = _Entry(session_id, state, now + self._ttl_s)
        return result_id

    def get(self, session_id: str, result_id: str) -> Any | None:
        """The state for `result_id` if it exists, belongs to the session and is alive."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(result_id)
            if entry is None or entry.session_id != session_id or entry.expires_at < now:
                return None
            entry.expires_at = now + self._ttl_s
            return entry.state

    def update(self, result_id: str, state: Any) -> None:
        """Replace the state of a live resultId (e.g. advance its offset)."""
        with self._lock:
            entry = self._entries.get(result_id)
            if entry is not None:
                entry.state = state
                entry.expires_at = time.monotonic() + self._ttl_s

    def drop(self, result_id: str) -> None:
        """Forget a resultId (e.g. after its last page was read)."""
        with self._lock:
            self._entries.pop(result_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _purge(self, now: float) -> None:
        if len(self._entries) < 256:
            return
        for key in [k for k, e in self._entries.items() if e.expires_at < now]:
            del self._entries[key]
