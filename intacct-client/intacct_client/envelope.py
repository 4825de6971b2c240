"""Request envelopes: ``<request><control/><operation>...</operation></request>``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from intacct_client.functions import Function
from intacct_client.xmlescape import escape

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


@dataclass(frozen=True)
class LoginCredentials:
    """``<login>`` authentication (used only for getAPISession)."""

    user_id: str
    company_id: str
    password: str
    location_id: str | None = None

    def to_xml(self) -> str:
        """Render the ``<login>`` element, every value XML-escaped."""
        location = (
            f"<locationid>{escape(self.location_id)}</locationid>" if self.location_id else ""
        )
        return (
            "<login>"
            f"<userid>{escape(self.user_id)}</userid>"
            f"<companyid>{escape(self.company_id)}</companyid>"
            f"<password>{escape(self.password)}</password>"
            f"{location}"
            "</login>"
        )


@dataclass(frozen=True)
class SessionCredentials:
    """``<sessionid>`` authentication."""

    session_id: str

    def to_xml(self) -> str:
        """Render the ``<sessionid>`` element, the id XML-escaped."""
        return f"<sessionid>{escape(self.session_id)}</sessionid>"


def build_request(
    *,
    sender_id: str,
    sender_password: str,
    auth: LoginCredentials | SessionCredentials,
    functions: Sequence[Function],
    transaction: bool = False,
    unique_id: bool = False,
    control_id: str | None = None,
) -> str:
    """The full XML request text (UTF-8 declaration, no whitespace)."""
    if not functions:
        raise ValueError("a request needs at least one function")
    controlids = [function.controlid for function in functions]
    if len(set(controlids)) != len(controlids):
        raise ValueError("function controlids must be unique within a request")
    content = "".join(function.to_xml() for function in functions)
    return (
        f"{XML_DECLARATION}<request><control>"
        f"<senderid>{escape(sender_id)}</senderid>"
        f"<password>{escape(sender_password)}</password>"
        f"<controlid>{escape(control_id or str(uuid.uuid4()))}</controlid>"
        f"<uniqueid>{'true' if unique_id else 'false'}</uniqueid>"
        "<dtdversion>3.0</dtdversion>"
        "<includewhitespace>false</includewhitespace>"
        "</control>"
        f'<operation transaction="{"true" if transaction else "false"}">'
        f"<authentication>{auth.to_xml()}</authentication>"
        f"<content>{content}</content>"
        "</operation></request>"
    )
