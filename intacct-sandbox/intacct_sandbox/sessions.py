"""API sessions (getAPISession): opaque ids, sliding timeout, entity scope, persistence.

Session ids are secrets: only their SHA-256 digests are written to SQLite (so a restart
on the same database keeps sessions valid without the ids ever reaching a file). Expiry
uses real wall time, not the freezable data clock, so freezing the clock for same-second
WHENMODIFIED ties never expires or immortalises sessions.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from intacct_sandbox import values

SESSIONS_DDL = """
CREATE TABLE IF NOT EXISTS gateway_sessions (
    id_hash TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    entity_id TEXT,
    expires_at REAL NOT NULL
)
"""


@dataclass
class Session:
    session_id: str
    company_id: str
    user_id: str
    entity_id: str | None
    expires_at: float
    persisted_expires_at: float = 0.0

    def __repr__(self) -> str:  # never show the id
        return f"Session(user={self.user_id!r}, company={self.company_id!r})"


def new_session_id() -> str:
    """Opaque, URL-safe, ending in `..` like Intacct's ids."""
    return secrets.token_urlsafe(24).replace("-", "A") + ".."


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def iso_in_zone(epoch: float, zone: str) -> str:
    """ISO-8601 with the zone's numeric offset, e.g. 2024-05-01T10:00:00-07:00."""
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc).astimezone(values.zone(zone))
    return moment.isoformat(timespec="seconds")


class SessionStore:
    """Thread-safe session table in memory, written through to SQLite for restarts."""

    def __init__(
        self,
        timeout_s: float,
        connect: Callable[[], sqlite3.Connection],
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.timeout_s = timeout_s
        self._connect = connect
        self._wall = wall
        self._lock = threading.Lock()
        self._by_hash: dict[str, Session] = {}

    # -- persistence
    def load(self) -> None:
        """Create the table if needed and load the sessions that are still alive."""
        now = self._wall()
        conn = self._connect()
        try:
            conn.execute(SESSIONS_DDL)
            conn.execute("DELETE FROM gateway_sessions WHERE expires_at < ?", (now,))
            rows = conn.execute(
                "SELECT id_hash, company_id, user_id, entity_id, expires_at FROM gateway_sessions"
            ).fetchall()
        finally:
            conn.close()
        with self._lock:
            for id_hash, company, user, entity, expires in rows:
                self._by_hash[id_hash] = Session("", company, user, entity, expires, expires)

    def persist_all(self) -> None:
        """Rewrite every live session (after a reset replaced the database file's content)."""
        with self._lock:
            rows = [
                (h, s.company_id, s.user_id, s.entity_id, s.expires_at)
                for h, s in self._by_hash.items()
            ]
        conn = self._connect()
        try:
            conn.execute(SESSIONS_DDL)
            conn.executemany("INSERT OR REPLACE INTO gateway_sessions VALUES (?, ?, ?, ?, ?)", rows)
        finally:
            conn.close()

    def _write(self, id_hash: str, session: Session | None) -> None:
        conn = self._connect()
        try:
            if session is None:
                conn.execute("DELETE FROM gateway_sessions WHERE id_hash = ?", (id_hash,))
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO gateway_sessions VALUES (?, ?, ?, ?, ?)",
                    (
                        id_hash,
                        session.company_id,
                        session.user_id,
                        session.entity_id,
                        session.expires_at,
                    ),
                )
        except sqlite3.Error:
            pass  # persistence is best effort; the in-memory table stays authoritative
        finally:
            conn.close()

    # -- lifecycle
    def create(self, company_id: str, user_id: str, entity_id: str | None) -> Session:
        session_id = new_session_id()
        expires = self._wall() + self.timeout_s
        session = Session(session_id, company_id, user_id, entity_id, expires, expires)
        id_hash = digest(session_id)
        with self._lock:
            self._by_hash[id_hash] = session
        self._write(id_hash, session)
        return session

    def use(self, session_id: str) -> Session | None:
        """The live session for an id, with its timeout slid forward; None if unknown/expired."""
        id_hash = digest(session_id)
        now = self._wall()
        persist = False
        with self._lock:
            session = self._by_hash.get(id_hash)
            if session is None:
                return None
            if session.expires_at < now:
                del self._by_hash[id_hash]
                expired = True
            else:
                expired = False
                session.session_id = session_id
                session.expires_at = now + self.timeout_s
                if session.expires_at - session.persisted_expires_at > max(
                    1.0, self.timeout_s / 10
                ):
                    session.persisted_expires_at = session.expires_at
                    persist = True
        if expired:
            self._write(id_hash, None)
            return None
        if persist:
            self._write(id_hash, session)
        return session

    def company_of(self, session_id: str) -> str | None:
        """The company of a known session, without sliding its timeout."""
        with self._lock:
            session = self._by_hash.get(digest(session_id))
        return session.company_id if session else None

    def expire(self, session_id: str) -> None:
        id_hash = digest(session_id)
        with self._lock:
            self._by_hash.pop(id_hash, None)
        self._write(id_hash, None)
