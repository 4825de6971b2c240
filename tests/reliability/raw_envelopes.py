"""Hand-written request envelopes posted over real HTTP (no client in between), for the
tests that must send what a well-behaved client never would."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

from defusedxml import ElementTree as SafeET
from sandbox_process import DEFAULT_CREDENTIALS

XML_HEADERS = {"Content-Type": "application/xml; charset=utf-8"}


def control(sender_id: str, sender_password: str) -> str:
    return (
        "<control>"
        f"<senderid>{escape(sender_id)}</senderid>"
        f"<password>{escape(sender_password)}</password>"
        f"<controlid>{uuid.uuid4().hex}</controlid>"
        "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
        "</control>"
    )


def login_auth(company_id: str, user_id: str, user_password: str) -> str:
    return (
        "<authentication><login>"
        f"<userid>{escape(user_id)}</userid>"
        f"<companyid>{escape(company_id)}</companyid>"
        f"<password>{escape(user_password)}</password>"
        "</login></authentication>"
    )


def session_auth(session_id: str) -> str:
    return f"<authentication><sessionid>{escape(session_id)}</sessionid></authentication>"


def envelope(
    functions: str,
    *,
    auth: str | None = None,
    credentials: dict[str, str] | None = None,
    prolog: str = "",
) -> str:
    """A whole request; `prolog` goes between the XML declaration and <request>."""
    creds = {**DEFAULT_CREDENTIALS, **(credentials or {})}
    auth_xml = auth or login_auth(creds["company_id"], creds["user_id"], creds["user_password"])
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{prolog}"
        "<request>"
        f"{control(creds['sender_id'], creds['sender_password'])}"
        f'<operation transaction="false">{auth_xml}'
        f"<content>{functions}</content></operation>"
        "</request>"
    )


def function(body: str, controlid: str = "f1") -> str:
    return f'<function controlid="{controlid}">{body}</function>'


@dataclass
class RawAnswer:
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def root(self) -> SafeET.Element:
        return SafeET.fromstring(self.body)

    def find_text(self, path: str) -> list[str]:
        return [(e.text or "") for e in self.root().iter() if e.tag == path]


def post(url: str, body: str | bytes, headers: dict[str, str] | None = None) -> RawAnswer:
    data = body.encode("utf-8") if isinstance(body, str) else body
    request = urllib.request.Request(  # noqa: S310 - loopback sandbox
        url, data=data, method="POST", headers=headers or XML_HEADERS
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310
            return RawAnswer(resp.status, resp.headers.get("Content-Type", ""), resp.read())
    except urllib.error.HTTPError as err:
        return RawAnswer(err.code, err.headers.get("Content-Type", ""), err.read())


def new_session(api_url: str, credentials: dict[str, str] | None = None) -> tuple[str, RawAnswer]:
    """A session id obtained with a raw getAPISession call (and the whole answer)."""
    answer = post(api_url, envelope(function("<getAPISession/>"), credentials=credentials))
    ids = answer.find_text("sessionid")
    assert answer.status == 200, answer.text
    assert ids, answer.text
    return ids[0], answer
