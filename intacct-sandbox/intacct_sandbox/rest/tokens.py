"""OAuth2 tokens for the REST half: client-credentials and refresh-token grants.

Tokens are random opaque strings handed to the client once; the store keeps only their
SHA-256 digests (as the XML half keeps session digests), so neither a memory dump of
the store nor a log line can replay a token. Tokens live in memory: a restarted sandbox
asks clients for a new token, which a real client handles as an expired token.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from intacct_sandbox.sessions import digest

DEFAULT_CLIENT_ID = "sandbox-client-id"
DEFAULT_CLIENT_SECRET = "sandbox-client-secret"  # noqa: S105 - the sandbox's published test client
DEFAULT_ACCESS_TTL_S = 21600.0
REFRESH_TTL_S = 90 * 86400.0


@dataclass(frozen=True)
class Grant:
    """Who a token speaks for: company, user, entity (None = top level)."""

    company_id: str
    user_id: str
    entity_id: str | None
    client_id: str
    expires_at: float

    def __repr__(self) -> str:  # never show more than who it is
        return f"Grant({self.company_id}/{self.user_id}|{self.entity_id or ''})"


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int

    def __repr__(self) -> str:
        return f"IssuedTokens(expires_in={self.expires_in})"


class TokenStore:
    """Access and refresh tokens by digest; thread-safe."""

    def __init__(self, access_ttl_s: float = DEFAULT_ACCESS_TTL_S) -> None:
        self.access_ttl_s = access_ttl_s
        self._lock = threading.Lock()
        self._access: dict[str, Grant] = {}
        self._refresh: dict[str, Grant] = {}
        self._clients = {DEFAULT_CLIENT_ID: digest(DEFAULT_CLIENT_SECRET)}

    def client_ok(self, client_id: str, client_secret: str) -> bool:
        expected = self._clients.get(client_id)
        return expected is not None and secrets.compare_digest(expected, digest(client_secret))

    def issue(
        self, company_id: str, user_id: str, entity_id: str | None, client_id: str
    ) -> IssuedTokens:
        now = time.time()
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._lock:
            self._purge(now)
            self._access[digest(access)] = Grant(
                company_id, user_id, entity_id, client_id, now + self.access_ttl_s
            )
            self._refresh[digest(refresh)] = Grant(
                company_id, user_id, entity_id, client_id, now + REFRESH_TTL_S
            )
        return IssuedTokens(access, refresh, int(self.access_ttl_s))

    def refresh(self, refresh_token: str, client_id: str) -> IssuedTokens | None:
        """A new access and refresh token; the used refresh token stops working."""
        now = time.time()
        with self._lock:
            grant = self._refresh.pop(digest(refresh_token), None)
        if grant is None or grant.expires_at <= now or grant.client_id != client_id:
            return None
        return self.issue(grant.company_id, grant.user_id, grant.entity_id, client_id)

    def check(self, access_token: str) -> Grant | None:
        """The grant of a live access token, or None (unknown, forged or expired)."""
        with self._lock:
            grant = self._access.get(digest(access_token))
        if grant is None or grant.expires_at <= time.time():
            return None
        return grant

    def revoke(self, access_token: str) -> None:
        """Expire one access token now (the `expire_session` fault)."""
        with self._lock:
            self._access.pop(digest(access_token), None)

    def _purge(self, now: float) -> None:
        for table in (self._access, self._refresh):
            for key in [k for k, g in table.items() if g.expires_at <= now]:
                del table[key]
