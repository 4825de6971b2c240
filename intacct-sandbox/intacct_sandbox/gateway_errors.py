"""Errors the gateway half answers itself (control, authentication, gateway levels).

Texts follow docs/protocol.md §3 and §6.2. Anything marked UNCONFIRMED there is an
emulator choice and says so in the README.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class GatewayError:
    """One <error> element: the same four fields Intacct sends at every non-gateway level."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""


def request_id() -> str:
    """An opaque id in the style of the gateway's `[Request ID: ...]` suffix."""
    raw = secrets.token_hex(8).upper()
    return f"{raw[:8]}:{raw[8:12]}_{raw[12:]}.{secrets.randbelow(90) + 10}"


def support_id() -> str:
    """An opaque, URL-encoded-looking support id for description2 suffixes."""
    return secrets.token_urlsafe(12).replace("-", "%7E")


BAD_SENDER = GatewayError("XL03000006", "", "Incorrect Intacct XML Partner ID or password.", "")
BAD_LOGIN = GatewayError("XL03000006", "", "Sign-in information is incorrect", "")
INVALID_SESSION = GatewayError(
    "XL03000006", "", "Invalid session. Please log in again to get a new session.", ""
)
TRANSACTION_ROLLED_BACK = GatewayError(
    "XL03000009",
    "",
    "The entire transaction in this operation has been rolled back due to an error.",
    "",
)
INTERNAL_FUNCTION_ERROR = GatewayError(
    "DL02000001", "Error", "There was an error processing the request.", ""
)


def sender_not_authorized(sender_id: str, company_id: str) -> GatewayError:
    """DOC-FAQ text for a sender that the company has not authorised."""
    return GatewayError(
        "XL03000006",
        "Invalid Web Services Authorization",
        f"The sender ID '{sender_id}' is not authorized to make Web Services requests "
        f"to company ID '{company_id}'.",
        "Contact the company administrator to grant Web Services authorization to this sender ID.",
    )


def parse_error(detail: str) -> GatewayError:
    """XL03000003 control-level failure for XML that is not well formed or not valid."""
    return GatewayError(
        "XL03000003", "", f"XML Parse schema error: {detail} [Support ID: {support_id()}]", ""
    )


def invalid_transport_policy(policy_id: str) -> GatewayError:
    """Control-level answer to a `policyid` the company has not defined (PHP SDK
    test/Intacct/Xml/AbstractResponseTest.php, testConstructControlFailure)."""
    return GatewayError("XL03000006", "", f"{policy_id} is not a valid transport policy.", "")


def invalid_location(location_id: str) -> GatewayError:
    """Login or getAPISession with an entity the company does not have."""
    return GatewayError(
        "XL03000006",
        "",
        f"Invalid location '{location_id}' specified for this company.",
        "Provide a valid location ID or leave locationid empty for the top level.",
    )


def duplicate_controlid(errorno: str, controlid: str) -> GatewayError:
    """uniqueid=true repeat (EMULATOR-INVENTED errorno, see docs/sandbox-internals.md)."""
    return GatewayError(
        errorno,
        "",
        f"A function with control ID '{controlid}' has already been executed successfully.",
        "",
    )
