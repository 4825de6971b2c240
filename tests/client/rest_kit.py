"""Settings for REST client tests: the sandbox's REST root and OAuth2 client, fast retries."""

from __future__ import annotations

from typing import Any

FAST_RETRIES: dict[str, Any] = {"backoff_base": 0.01, "backoff_max": 0.05, "max_retries": 3}


REST_CLIENT: dict[str, str] = {
    "client_id": "sandbox-client-id",
    "client_secret": "sandbox-client-secret",
}


def rest_settings(box: Any, **overrides: Any) -> dict[str, Any]:
    """REST client settings for a sandbox: its REST root, the sandbox's OAuth2 client."""
    return {
        **box.config(),
        **REST_CLIENT,
        "rest_api_url": f"{box.base_url}/ia/api/v1",
        **FAST_RETRIES,
        **overrides,
    }
