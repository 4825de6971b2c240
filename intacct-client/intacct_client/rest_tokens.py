"""OAuth 2.0 access tokens for the REST API: client-credentials grant, refresh, renewal.

The token endpoint (``POST {rest_api_url}/oauth2/token``, form-encoded) issues an access
token, a refresh token and ``expires_in`` (docs/protocol-rest.md §2). The manager keeps
one access token per client and replaces it shortly before it expires, by the refresh
token first and by a new client-credentials grant when the refresh is refused.

Every token gets the next *generation* number, as the XML client's sessions do: when a
token is refused (401) while several requests are in flight, the first refuser renews it
and the others, waiting on the same lock, find a newer token and replay on it, so a
burst of refusals costs one renewal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from intacct_client.config import ClientConfig
from intacct_client.errors import ErrorDetail, IntacctAuthenticationError
from intacct_client.redaction import get_logger, register_secret
from intacct_client.rest_errors import error_body
from intacct_client.rest_transport import RestCall, RestTransport

log = get_logger("intacct_client.rest_tokens")

TOKEN_OPERATION = "rest:token"  # noqa: S105 - an operation name, not a secret
REFRESH_MARGIN_MAX_S = 60.0
REFRESH_MARGIN_FRACTION = 0.1


@dataclass(frozen=True)
class AccessToken:
    """An access token, its refresh token and its local expiry (``time.monotonic``)."""

    value: str = field(repr=False)
    refresh_token: str = field(repr=False)
    lifetime_s: float | None
    expires_at: float | None
    generation: int = 0

    def expiring(self, now: float) -> bool:
        """Whether the token is close enough to expiry that it should be replaced first."""
        if self.expires_at is None or self.lifetime_s is None:
            return False
        margin = min(REFRESH_MARGIN_MAX_S, self.lifetime_s * REFRESH_MARGIN_FRACTION)
        return now >= self.expires_at - margin


class _RefreshRefusedError(Exception):
    """The refresh token was not accepted: a new grant is needed."""


def rest_username(config: ClientConfig) -> str:
    """``user@company``, or ``user@company|entity`` to sign in to one entity."""
    name = f"{config.user_id}@{config.company_id}"
    return f"{name}|{config.entity_id}" if config.entity_id else name


def _oauth_error(payload: Any) -> tuple[str, str]:
    """``error`` and ``error_description`` of an RFC 6749 §5.2 answer (or of ia::error)."""
    if not isinstance(payload, Mapping):
        return "", ""
    error = payload.get("error")
    if isinstance(error, str):
        return error, str(payload.get("error_description") or "")
    body = error_body(payload)
    return str(body.get("code") or ""), str(body.get("message") or "")


class TokenManager:
    """Thread-safe holder of the current access token."""

    def __init__(self, config: ClientConfig, transport: RestTransport) -> None:
        self._config = config
        self._transport = transport
        self._url = f"{config.rest_api_url.rstrip('/')}/oauth2/token"
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self._generation = 0
        self.grants = 0
        self.refreshes = 0

    def current(self) -> AccessToken:
        """The token to use now, obtained or replaced when missing or about to expire."""
        with self._lock:
            token = self._token
            if token is not None and not token.expiring(time.monotonic()):
                return token
            if token is not None:
                log.info("REST access token is about to expire; replacing it")
            return self._replace(token)

    def renew(self, refused: AccessToken) -> AccessToken:
        """A token newer than ``refused`` (answered 401), renewing only once per burst."""
        with self._lock:
            token = self._token
            if token is not None and token.generation > refused.generation:
                return token
            log.info("REST access token refused; renewing it")
            return self._replace(token)

    def _replace(self, old: AccessToken | None) -> AccessToken:
        """Refresh ``old`` (the lock is held), else grant; number and keep the new token."""
        self._token = None
        token: AccessToken | None = None
        if old is not None and old.refresh_token:
            try:
                token = self._request(
                    {"grant_type": "refresh_token", "refresh_token": old.refresh_token}
                )
                self.refreshes += 1
            except _RefreshRefusedError:
                log.info("REST refresh token refused; requesting a new grant")
        if token is None:
            token = self._request(
                {"grant_type": "client_credentials", "username": rest_username(self._config)}
            )
            self.grants += 1
        self._generation += 1
        token = AccessToken(
            token.value, token.refresh_token, token.lifetime_s, token.expires_at, self._generation
        )
        self._token = token
        return token

    def _request(self, grant: dict[str, str]) -> AccessToken:
        """One token-endpoint call (retried like any request when it fails in transit).

        Raises:
            _RefreshRefusedError: A refresh-token grant was refused.
            IntacctAuthenticationError: The client credentials or the user were refused.
        """
        config = self._config
        form = {
            **grant,
            "client_id": config.client_id or "",
            "client_secret": config.client_secret or "",
        }
        sent_at = time.monotonic()
        answer = self._transport.send(RestCall("POST", self._url, TOKEN_OPERATION, form=form))
        payload = answer.payload if isinstance(answer.payload, Mapping) else {}
        value = str(payload.get("access_token") or "") if answer.status == 200 else ""
        if value:
            refresh = str(payload.get("refresh_token") or "")
            register_secret(value)
            register_secret(refresh)
            try:
                lifetime: float | None = float(payload.get("expires_in") or 0) or None
            except (TypeError, ValueError):
                lifetime = None
            return AccessToken(value, refresh, lifetime, sent_at + lifetime if lifetime else None)
        error, description = _oauth_error(answer.payload)
        if grant["grant_type"] == "refresh_token" and error != "invalid_client":
            raise _RefreshRefusedError
        if error == "invalid_client" or answer.status == 401:
            reason = (
                f"the REST API refused the client credentials of client_id {config.client_id!r}"
            )
        elif answer.status == 200:
            reason = "the token endpoint answered without an access_token"
        else:
            reason = f"the REST API refused a token for {rest_username(config)!r}"
        raise IntacctAuthenticationError(
            reason,
            errors=(ErrorDetail(errorno=error, description2=description),) if error else (),
            http_status=answer.status,
            function=TOKEN_OPERATION,
        )
