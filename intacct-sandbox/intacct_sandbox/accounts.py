"""Who may call the gateway: companies, Web Services senders and users.

The sandbox has one multi-entity company, SANDBOX-CO, and a second company, OTHER-CO,
that exists but has not authorised the sandbox sender (to produce the DOC-FAQ error).
User records (RECORDNO, denied objects) come from the data half's USERINFO rows and
catalog when they are present; the defaults below keep the gateway usable without them.
"""

from __future__ import annotations

import hmac
import sqlite3
from dataclasses import dataclass

# Documented default credentials (README); not secrets of any real system.
SENDERS: dict[str, str] = {"sandbox_sender": "sandbox-sender-pass"}
COMPANY_SENDERS: dict[str, frozenset[str]] = {
    "SANDBOX-CO": frozenset({"sandbox_sender"}),
    "OTHER-CO": frozenset(),
}
USER_PASSWORDS: dict[tuple[str, str], str] = {
    ("SANDBOX-CO", "sandbox_user"): "sandbox-user-pass",
    ("SANDBOX-CO", "readonly_user"): "readonly-user-pass",
    ("OTHER-CO", "other_user"): "other-user-pass",
}
FALLBACK_RECORDNOS: dict[str, int] = {"sandbox_user": 1, "readonly_user": 2}
FALLBACK_DENIED: dict[str, frozenset[str]] = {
    "readonly_user": frozenset({"ARINVOICE", "ARINVOICEITEM", "EMPLOYEE"}),
}


@dataclass(frozen=True)
class User:
    company_id: str
    user_id: str


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def sender_ok(sender_id: str, password: str) -> bool:
    """Sender ID and password are both case-sensitive (spec section 2.2)."""
    expected = SENDERS.get(sender_id)
    return expected is not None and _same(expected, password)


def canonical_company(company_id: str) -> str | None:
    """Company IDs are matched case-insensitively; None when the company does not exist."""
    wanted = company_id.strip().upper()
    for known in COMPANY_SENDERS:
        if known.upper() == wanted:
            return known
    return None


def sender_authorized(company_id: str, sender_id: str) -> bool:
    return sender_id in COMPANY_SENDERS.get(company_id, frozenset())


def check_user(company_id: str, user_id: str, password: str) -> User | None:
    """User IDs match case-insensitively, passwords exactly."""
    for (company, user), expected in USER_PASSWORDS.items():
        if company == company_id and user.lower() == user_id.strip().lower():
            return User(company, user) if _same(expected, password) else None
    return None


def user_recordno(conn: sqlite3.Connection, user_id: str) -> int:
    """USERINFO RECORDNO of a login id (the data half's seed), else a stable fallback."""
    try:
        row = conn.execute(
            "SELECT RECORDNO FROM USERINFO WHERE LOGINID = ? COLLATE NOCASE", (user_id,)
        ).fetchone()
    except sqlite3.Error:
        row = None
    if row is not None and row[0] is not None:
        return int(row[0])
    return FALLBACK_RECORDNOS.get(user_id, 1)


def denied_objects(user_id: str) -> frozenset[str]:
    """Objects the user may not read, from the data half's catalog when it provides them."""
    try:
        from intacct_sandbox import catalog

        hook = getattr(catalog, "denied_objects", None)
        if callable(hook):
            return frozenset(hook(user_id))
    except ImportError:
        pass
    return FALLBACK_DENIED.get(user_id, frozenset())


def entity_exists(conn: sqlite3.Connection, entity_id: str) -> bool:
    """An entity (LOCATIONENTITY) of the company, matched case-insensitively."""
    for table in ("LOCATIONENTITY", "LOCATION"):
        try:
            row = conn.execute(
                f"SELECT LOCATIONID FROM {table} WHERE LOCATIONID = ? COLLATE NOCASE",
                (entity_id,),
            ).fetchone()
        except sqlite3.Error:
            continue
        return row is not None
    return False


def canonical_entity(conn: sqlite3.Connection, entity_id: str) -> str | None:
    """The stored spelling of an entity id, or None when it is not an entity."""
    for table in ("LOCATIONENTITY",):
        try:
            row = conn.execute(
                f"SELECT LOCATIONID FROM {table} WHERE LOCATIONID = ? COLLATE NOCASE",
                (entity_id,),
            ).fetchone()
        except sqlite3.Error:
            return entity_id
        return None if row is None else str(row[0])
    return None
