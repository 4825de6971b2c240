"""Who may call the gateway: company, Web Services senders, users, entities.

Senders, users (password hashes, USERINFO RECORDNO, denied objects) and entities live in
the database (db.py, seeded by the data half). Password hashing is deliberately slow, so
verified credentials are remembered in memory under a SHA-256 digest of the password
(never written anywhere) to keep per-request overhead small.

OTHER-CO is a company that exists but has not authorised the sandbox sender: logging in
to it produces the DOC-FAQ "sender not authorized" error (docs/protocol.md §3.4).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import dataclass

from intacct_sandbox import db

OTHER_COMPANIES: frozenset[str] = frozenset({"OTHER-CO"})


@dataclass(frozen=True)
class User:
    company_id: str
    user_id: str
    user_recordno: int
    denied_objects: frozenset[str]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Accounts:
    """Credential checks against the database, with an in-memory verification cache."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._senders: dict[tuple[str, str], bool] = {}
        self._users: dict[tuple[str, str, str], User | None] = {}
        self._company: str | None = None

    def company_id(self, conn: sqlite3.Connection) -> str:
        if self._company is None:
            self._company = db.get_meta(conn, "company_id") or "SANDBOX-CO"
        return self._company

    def sender_ok(self, conn: sqlite3.Connection, sender_id: str, password: str) -> bool:
        """Sender ID and password are both case-sensitive (docs/protocol.md §2.2)."""
        key = (sender_id, _digest(password))
        with self._lock:
            known = self._senders.get(key)
        if known is None:
            known = db.check_sender(conn, sender_id, password)
            with self._lock:
                self._senders[key] = known
        return known

    def canonical_company(self, conn: sqlite3.Connection, company_id: str) -> str | None:
        """Company IDs match case-insensitively; None when no such company exists."""
        wanted = company_id.strip().upper()
        for known in (self.company_id(conn), *OTHER_COMPANIES):
            if known.upper() == wanted:
                return known
        return None

    def sender_authorized(self, conn: sqlite3.Connection, company_id: str) -> bool:
        """The sandbox's senders are authorised for the sandbox company only."""
        return company_id == self.company_id(conn)

    def check_user(
        self, conn: sqlite3.Connection, company_id: str, user_id: str, password: str
    ) -> User | None:
        key = (company_id, user_id, _digest(password))
        with self._lock:
            if key in self._users:
                return self._users[key]
        row = db.check_user(conn, company_id, user_id, password)
        user = (
            None
            if row is None
            else User(company_id, row.login_id, row.user_recordno, row.denied_objects)
        )
        with self._lock:
            self._users[key] = user
        return user

    def user(self, conn: sqlite3.Connection, company_id: str, user_id: str) -> User | None:
        """The user behind a session (no password involved)."""
        row = db.user_row(conn, user_id)
        if row is None:
            return None
        return User(company_id, row.login_id, row.user_recordno, row.denied_objects)

    @staticmethod
    def canonical_entity(conn: sqlite3.Connection, entity_id: str) -> str | None:
        """The stored LOCATIONID of an entity (LOCATIONENTITY), or None."""
        row = db.entity_row(conn, entity_id)
        if row is None:
            return None
        return str(row.get("LOCATIONID") or entity_id)
