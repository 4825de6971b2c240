"""Errors a user can fix: one line naming the setting, no traceback, no secrets.

`intacct_client` error messages never contain passwords or session ids; the lines built
here add only non-secret settings (company, sender and user IDs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intacct_client import (
    IntacctAuthenticationError,
    IntacctControlError,
    IntacctError,
    IntacctRateLimitError,
    IntacctSessionExpiredError,
    IntacctTransportError,
    UserFormattingError,
)


class ActionableError(Exception):
    """A failure the user fixes in the settings; `str()` is the whole message."""


def _text(error: IntacctError) -> str:
    parts = [str(error)]
    for detail in getattr(error, "errors", ()) or ():
        parts += [detail.errorno, detail.description, detail.description2, detail.correction]
    return " ".join(part for part in parts if part).lower()


def explain(error: BaseException, config: Mapping[str, Any]) -> str | None:
    """The one-line advice for an error the user can act on, else None."""
    if isinstance(error, ActionableError | UserFormattingError):
        return str(error)
    if not isinstance(error, IntacctError):
        return None
    if isinstance(error, IntacctSessionExpiredError):
        # The client already signed in again once and replayed the call.
        return (
            f"Intacct kept answering 'Invalid session' even after a fresh sign-in ({error}): "
            "the user's sessions may be revoked or limited; check the Web Services user "
            "(user_id) and rerun, the last STATE resumes the sync."
        )
    text = _text(error)
    company = config.get("company_id", "")
    sender = config.get("sender_id", "")
    user = config.get("user_id", "")
    if "pl04000055" in text or ("expired" in text and "company" in text):
        return (
            f"Intacct company '{company}' has expired (trial or demo company): "
            "set company_id to an active company."
        )
    if "not authorized" in text or "not authorised" in text:
        return (
            f"Sender '{sender}' is not authorised for company '{company}': add it under "
            "Company > Setup > Company > Security > Web Services authorizations, or fix "
            "sender_id / company_id."
        )
    if isinstance(error, IntacctControlError) and (
        "partner id" in text or "sender" in text or "xl03000006" in text
    ):
        return (
            "Intacct rejected the Web Services sender credentials: check sender_id and "
            "sender_password."
        )
    if isinstance(error, IntacctAuthenticationError) or "sign-in" in text:
        return (
            f"Intacct rejected the sign-in of user '{user}' in company '{company}': check "
            "user_id, user_password, company_id (and entity_id, if set)."
        )
    if "gw-0011" in text or "invalid request" in text:
        return f"Intacct rejected the request for company '{company}': check company_id."
    if isinstance(error, IntacctRateLimitError):
        return (
            f"Intacct kept refusing requests over its rate or concurrency limit ({error}): "
            "lower max_concurrent_requests or set calls_per_second."
        )
    if isinstance(error, IntacctTransportError):
        return (
            f"Could not get an answer from the Intacct gateway after retries ({error}): "
            "check api_url and the network, or raise request_timeout / max_retries."
        )
    return None
