"""One API session per client: lazy login, endpoint switch, sliding expiry, refresh.

The gateway slides a session's timeout forward on every call. The client tracks the
session's duration (``sessiontimeout - sessiontimestamp`` as the server reports it, so
clock skew does not matter) from its own monotonic clock, and logs in again shortly
before the session would expire.

Every session obtained gets the next *generation* number. When a session expires on
the server while several requests are in flight, Intacct answers each of them "Invalid
session"; ``renew`` turns that burst into one login: the first refuser logs in, the
others wait for it (the manager's lock) and then find a session newer than the one
they were refused with, which they replay on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from intacct_client.parsing import AuthenticationInfo
from intacct_client.redaction import get_logger

log = get_logger("intacct_client.session")

REFRESH_MARGIN_MAX_S = 60.0
REFRESH_MARGIN_FRACTION = 0.1


@dataclass(frozen=True)
class ApiSession:
    """An obtained session: id, endpoint to post to, entity, and local expiry."""

    session_id: str
    endpoint: str
    location_id: str
    duration_s: float | None
    expires_at: float | None  # time.monotonic() value
    generation: int = 0  # set by SessionManager: 1 for the first session, then 2, ...

    def expiring(self, now: float) -> bool:
        """Whether the session is close enough to expiry that it should be renewed first."""
        if self.expires_at is None or self.duration_s is None:
            return False
        margin = min(REFRESH_MARGIN_MAX_S, self.duration_s * REFRESH_MARGIN_FRACTION)
        return now >= self.expires_at - margin


def session_duration(auth: AuthenticationInfo | None) -> float | None:
    """Seconds between sessiontimestamp and sessiontimeout, when both are present."""
    if auth is None or not auth.sessiontimestamp or not auth.sessiontimeout:
        return None
    try:
        start = datetime.fromisoformat(auth.sessiontimestamp.replace("Z", "+00:00"))
        end = datetime.fromisoformat(auth.sessiontimeout.replace("Z", "+00:00"))
    except ValueError:
        return None
    seconds = (end - start).total_seconds()
    return seconds if seconds > 0 else None


class SessionManager:
    """Thread-safe holder of the current session; ``login`` obtains a new one."""

    def __init__(self, login: Callable[[], ApiSession]) -> None:
        self._login = login
        self._lock = threading.Lock()
        self._session: ApiSession | None = None
        self._generation = 0
        self.logins = 0

    def current(self) -> ApiSession:
        """The session to use now, logging in (again) when missing or about to expire."""
        with self._lock:
            session = self._session
            if session is not None and not session.expiring(time.monotonic()):
                return session
            if session is not None:
                log.info("API session is about to expire; obtaining a new one")
            return self._new_session()

    def renew(self, refused: ApiSession) -> ApiSession:
        """Return a session newer than ``refused``, logging in only once per burst.

        ``refused`` is a session the gateway answered "Invalid session" to; the result is
        the one another thread obtained meanwhile, else a new login.

        Concurrent callers refused with the same session serialise on the lock, so the
        whole burst costs one login.
        """
        with self._lock:
            session = self._session
            if session is not None and session.generation > refused.generation:
                return session
            return self._new_session()

    def _new_session(self) -> ApiSession:
        """Log in (the lock is held) and number the new session."""
        self._session = None
        session = replace(self._login(), generation=self._generation + 1)
        self._generation = session.generation
        self._session = session
        self.logins += 1
        return session

    def has_session(self) -> bool:
        """True once a session was obtained (and not dropped or invalidated since)."""
        with self._lock:
            return self._session is not None

    def invalidate(self, session: ApiSession) -> None:
        """Forget ``session`` (if still current) so the next call logs in again."""
        with self._lock:
            if self._session is not None and self._session.session_id == session.session_id:
                self._session = None

    def touch(self, session: ApiSession, sent_at: float, auth: AuthenticationInfo | None) -> None:
        """Slide the local expiry after a successful call made at ``sent_at``."""
        duration = session_duration(auth) or session.duration_s
        if duration is None:
            return
        with self._lock:
            current = self._session
            if current is None or current.session_id != session.session_id:
                return
            expires = sent_at + duration
            if current.expires_at is None or expires > current.expires_at:
                self._session = replace(current, duration_s=duration, expires_at=expires)

    def drop(self) -> None:
        """Forget the current session so the next request logs in again."""
        with self._lock:
            self._session = None
