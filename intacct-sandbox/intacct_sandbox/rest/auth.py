"""The token endpoint: `POST /oauth2/token` (client credentials and refresh token).

`username` is `user@company` or `user@company|entity` (Sage's client-credentials
description, docs/protocol-rest.md §2). The client is checked by id and secret, the user
by existence in the company (a client-credentials grant carries no user password), the
entity against LOCATIONENTITY. Failures use OAuth2's own error body (RFC 6749 §5.2).
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from intacct_sandbox.accounts import Accounts
from intacct_sandbox.rest.tokens import IssuedTokens, TokenStore


@dataclass
class OAuthError(Exception):
    status: int
    error: str
    description: str

    def payload(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


@dataclass(frozen=True)
class Principal:
    company_id: str
    user_id: str
    entity_id: str | None


def parse_form(body: bytes, content_type: str) -> dict[str, str]:
    """Form-encoded (RFC 6749) or JSON token request -> flat string parameters."""
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type.lower() or text.lstrip().startswith("{"):
        try:
            data: Any = json.loads(text or "{}")
        except json.JSONDecodeError as exc:
            raise OAuthError(400, "invalid_request", "The body is not valid JSON.") from exc
        if not isinstance(data, dict):
            raise OAuthError(400, "invalid_request", "The body must be a JSON object.")
        return {str(k): "" if v is None else str(v) for k, v in data.items()}
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


def basic_client(authorization: str, params: dict[str, str]) -> dict[str, str]:
    """Client id and secret from `Authorization: Basic` (RFC 6749 §2.3.1), when sent."""
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return params
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError(401, "invalid_client", "The Basic credentials are not valid.") from exc
    client_id, _, client_secret = decoded.partition(":")
    return {**params, "client_id": client_id, "client_secret": client_secret}


def company_key_of(params: dict[str, str]) -> str:
    """The company a token request is for (for the per-company concurrency limit)."""
    username = params.get("username", "")
    return username.partition("@")[2].partition("|")[0].strip().upper()


def principal(conn: sqlite3.Connection, accounts: Accounts, username: str) -> Principal:
    user_part, at, rest = username.partition("@")
    company_part, _, entity_part = rest.partition("|")
    if not at or not user_part or not company_part:
        raise OAuthError(
            400, "invalid_request", "username must be 'user@company' or 'user@company|entity'."
        )
    company = accounts.canonical_company(conn, company_part)
    if company is None or not accounts.sender_authorized(conn, company):
        raise OAuthError(400, "invalid_grant", f"Company '{company_part}' is not authorized.")
    user = accounts.user(conn, company, user_part)
    if user is None:
        raise OAuthError(400, "invalid_grant", f"User '{user_part}' is not a user of {company}.")
    entity: str | None = None
    if entity_part:
        entity = accounts.canonical_entity(conn, entity_part)
        if entity is None:
            raise OAuthError(400, "invalid_grant", f"Entity '{entity_part}' does not exist.")
    return Principal(company, user.user_id, entity)


def grant(
    conn: sqlite3.Connection, accounts: Accounts, tokens: TokenStore, params: dict[str, str]
) -> IssuedTokens:
    client_id = params.get("client_id", "")
    if not tokens.client_ok(client_id, params.get("client_secret", "")):
        raise OAuthError(401, "invalid_client", "Client authentication failed.")
    kind = params.get("grant_type", "")
    if kind == "client_credentials":
        who = principal(conn, accounts, params.get("username", ""))
        return tokens.issue(who.company_id, who.user_id, who.entity_id, client_id)
    if kind == "refresh_token":
        issued = tokens.refresh(params.get("refresh_token", ""), client_id)
        if issued is None:
            raise OAuthError(400, "invalid_grant", "The refresh token is invalid or expired.")
        return issued
    raise OAuthError(
        400,
        "unsupported_grant_type",
        f"grant_type '{kind}' is not supported; use client_credentials or refresh_token.",
    )


def token_payload(issued: IssuedTokens) -> dict[str, Any]:
    return {
        "token_type": "Bearer",
        "access_token": issued.access_token,
        "refresh_token": issued.refresh_token,
        "expires_in": issued.expires_in,
    }
