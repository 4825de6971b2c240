"""A minimal REST caller for tap tests: token, model service, query, over real HTTP.

The tap's REST client lives in intacct-client; these tests of the tap's REST discovery
and casting talk to the sandbox directly, so they depend only on the wire format.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import requests

CLIENT = {"client_id": "sandbox-client-id", "client_secret": "sandbox-client-secret"}


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested REST record as the client hands it over: dotted keys, values untouched."""
    out: dict[str, Any] = {}
    for name, value in record.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = value
    return out


class RestHttp:
    """Model service and query of one sandbox, signed in as the default user."""

    def __init__(self, base_url: str, *, exact_numbers: bool = True) -> None:
        self.root = f"{base_url}/ia/api/v1"
        self.exact_numbers = exact_numbers
        form = {
            **CLIENT,
            "grant_type": "client_credentials",
            "username": "sandbox_user@SANDBOX-CO",
        }
        reply = requests.post(f"{self.root}/oauth2/token", data=form, timeout=30)
        reply.raise_for_status()
        self.headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}
        self.model_calls: list[str | None] = []

    def _json(self, reply: requests.Response) -> Any:
        reply.raise_for_status()
        if self.exact_numbers:
            return json.loads(reply.text, parse_float=Decimal)
        return reply.json()  # floats, as a plain JSON parser gives them

    def model(self, name: str | None = None) -> dict[str, Any]:
        self.model_calls.append(name)
        params = {"name": name} if name else {}
        reply = requests.get(
            f"{self.root}/services/core/model", params=params, headers=self.headers, timeout=30
        )
        result: dict[str, Any] = self._json(reply)["ia::result"]
        return result

    def list_rest_objects(self) -> list[str]:
        reply = requests.get(f"{self.root}/services/core/model", headers=self.headers, timeout=30)
        return [item["apiObject"] for item in self._json(reply)["ia::result"]]

    def query(self, name: str, fields: list[str], size: int = 4000) -> list[dict[str, Any]]:
        """The first `size` records by key, flattened."""
        body = {
            "object": name,
            "fields": fields,
            "orderBy": [{"key": "asc"}],
            "filterParameters": {"includePrivate": True},
            "size": size,
        }
        reply = requests.post(
            f"{self.root}/services/core/query", json=body, headers=self.headers, timeout=120
        )
        return [flatten(row) for row in self._json(reply)["ia::result"]]
