"""Helpers for the gateway tests: build request envelopes and post them over real HTTP."""

from __future__ import annotations

import sqlite3
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import requests
from defusedxml import ElementTree as SafeET
from intacct_sandbox import db, store

XML_CONTENT_TYPE = 'text/xml; encoding="UTF-8"'


def control_xml(
    sender_id: str = "sandbox_sender",
    sender_password: str = "sandbox-sender-pass",  # noqa: S107 - documented default
    controlid: str = "req-1",
    uniqueid: str | None = "false",
    includewhitespace: str | None = "false",
) -> str:
    parts = [
        f"<senderid>{escape(sender_id)}</senderid>",
        f"<password>{escape(sender_password)}</password>",
        f"<controlid>{escape(controlid)}</controlid>",
    ]
    if uniqueid is not None:
        parts.append(f"<uniqueid>{uniqueid}</uniqueid>")
    parts.append("<dtdversion>3.0</dtdversion>")
    if includewhitespace is not None:
        parts.append(f"<includewhitespace>{includewhitespace}</includewhitespace>")
    return "<control>" + "".join(parts) + "</control>"


def login_xml(
    user_id: str = "sandbox_user",
    company_id: str = "SANDBOX-CO",
    password: str = "sandbox-user-pass",  # noqa: S107 - documented default
    location_id: str | None = None,
) -> str:
    location = "" if location_id is None else f"<locationid>{escape(location_id)}</locationid>"
    return (
        f"<login><userid>{escape(user_id)}</userid><companyid>{escape(company_id)}</companyid>"
        f"<password>{escape(password)}</password>{location}</login>"
    )


def session_xml(session_id: str) -> str:
    return f"<sessionid>{escape(session_id)}</sessionid>"


def envelope(
    functions: Sequence[str] | str,
    *,
    auth: str | None = None,
    control: str | None = None,
    transaction: bool | None = None,
) -> str:
    """A full request: `functions` are inner function elements, wrapped with controlids."""
    items = [functions] if isinstance(functions, str) else list(functions)
    content = "".join(
        f'<function controlid="f{i}">{item}</function>' if "<function" not in item else item
        for i, item in enumerate(items, start=1)
    )
    transaction_attr = "" if transaction is None else f' transaction="{str(transaction).lower()}"'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<request>'
        f"{control or control_xml()}"
        f"<operation{transaction_attr}><authentication>{auth or login_xml()}</authentication>"
        f"<content>{content}</content></operation></request>"
    )


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def text_of(element: ET.Element, path: str) -> str:
    found = element.find(path)
    assert found is not None, f"missing {path}"
    return found.text or ""


@dataclass
class Reply:
    status: int
    headers: Any
    raw: bytes
    root: ET.Element

    def results(self) -> list[ET.Element]:
        return self.root.findall("operation/result")


class Gateway:
    """Posts envelopes to one sandbox and parses the XML answer."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.http = requests.Session()

    def post_raw(self, body: bytes | str, **kwargs: Any) -> requests.Response:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": "application/xml", **kwargs.pop("headers", {})}
        return self.http.post(self.api_url, data=data, headers=headers, timeout=60, **kwargs)

    def post(self, body: bytes | str, **kwargs: Any) -> Reply:
        response = self.post_raw(body, **kwargs)
        assert response.headers["Content-Type"] == XML_CONTENT_TYPE, response.text[:300]
        return Reply(
            response.status_code,
            response.headers,
            response.content,
            SafeET.fromstring(response.content),
        )

    def session(self, location_id: str | None = None, **login: Any) -> str:
        """Log in and return a new API session id."""
        fn = (
            "<getAPISession/>"
            if location_id is None
            else (f"<getAPISession><locationid>{escape(location_id)}</locationid></getAPISession>")
        )
        reply = self.post(envelope(fn, auth=login_xml(**login)))
        result = reply.results()[0]
        assert text_of(result, "status") == "success", reply.raw
        return text_of(result, "data/api/sessionid")


def vendor_create(vendor_id: str, name: str | None = None) -> str:
    return (
        f"<create><VENDOR><VENDORID>{escape(vendor_id)}</VENDORID>"
        f"<NAME>{escape(name or 'Vendor ' + vendor_id)}</NAME></VENDOR></create>"
    )


def unique_id(prefix: str = "T") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


@pytest.fixture
def gw(sandbox: Any) -> Gateway:
    return Gateway(sandbox.api_url)


@pytest.fixture
def clean_gw(clean_sandbox: Any) -> Gateway:
    return Gateway(clean_sandbox.api_url)


class Kit:
    """The helpers above, handed to tests as a fixture (test modules cannot import conftest)."""

    XML_CONTENT_TYPE = XML_CONTENT_TYPE
    control_xml = staticmethod(control_xml)
    login_xml = staticmethod(login_xml)
    session_xml = staticmethod(session_xml)
    envelope = staticmethod(envelope)
    children = staticmethod(children)
    text_of = staticmethod(text_of)
    vendor_create = staticmethod(vendor_create)
    unique_id = staticmethod(unique_id)
    Gateway = Gateway


@pytest.fixture
def kit() -> type[Kit]:
    return Kit


@pytest.fixture(scope="session")
def seeded_demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo seed at scale 1, built once for the in-process (no HTTP) tests."""
    path = tmp_path_factory.mktemp("demo-seed") / "seed.db"
    store.create_database(str(path), "demo", 1, "America/Los_Angeles")
    return path


@pytest.fixture
def demo_conn(seeded_demo_file: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a private copy of the demo seed (each test may write to it)."""
    copy = tmp_path / "copy.db"
    source = sqlite3.connect(str(seeded_demo_file))
    target = sqlite3.connect(str(copy))
    source.backup(target)
    source.close()
    target.close()
    connection = db.connect(str(copy))
    yield connection
    connection.close()
