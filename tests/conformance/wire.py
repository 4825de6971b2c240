"""Send requests to a running sandbox and compare answers with captured shapes.

`shape_lines` reduces a response to its structure: one line per element path with the
attribute names in document order; consecutive records (children of `data`) or errors
(children of `errormessage`) of identical structure count once, so a page of 2 records and
a page of 100 have the same shape. Text is ignored:
ids, timestamps and messages differ between a capture and the sandbox by nature.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

import requests
from intacct_client.xmlread import parse_xml

FIXTURES = Path(__file__).parent / "fixtures"
SENDER = ("sandbox_sender", "sandbox-sender-pass")
USER = ("sandbox_user", "SANDBOX-CO", "sandbox-user-pass")


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / f"{name}.xml").read_bytes()


def fixture_names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.xml"))


def login_auth(location_id: str | None = None) -> str:
    user, company, password = USER
    location = "" if location_id is None else f"<locationid>{escape(location_id)}</locationid>"
    return (
        f"<login><userid>{user}</userid><companyid>{company}</companyid>"
        f"<password>{password}</password>{location}</login>"
    )


def session_auth(session_id: str) -> str:
    return f"<sessionid>{escape(session_id)}</sessionid>"


def envelope(
    functions: Sequence[tuple[str, str]],
    *,
    auth: str,
    transaction: bool = False,
    policy_id: str | None = None,
) -> bytes:
    """A request with `(controlid, function element)` pairs, in the SDKs' element order."""
    sender, password = SENDER
    policy = "" if policy_id is None else f"<policyid>{escape(policy_id)}</policyid>"
    content = "".join(f'<function controlid="{cid}">{body}</function>' for cid, body in functions)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<request><control>'
        f"<senderid>{sender}</senderid><password>{password}</password>"
        f"<controlid>conformance</controlid><uniqueid>false</uniqueid>"
        f"<dtdversion>3.0</dtdversion>{policy}<includewhitespace>false</includewhitespace>"
        f'</control><operation transaction="{str(transaction).lower()}">'
        f"<authentication>{auth}</authentication><content>{content}</content>"
        "</operation></request>"
    ).encode()


@dataclass
class Answer:
    status: int
    body: bytes

    @property
    def root(self) -> Element:
        return parse_xml(self.body)

    def result(self, index: int = 0) -> Element:
        found = self.root.findall("operation/result")
        assert len(found) > index, self.body[:2000]
        return found[index]


class Wire:
    """Posts raw envelopes to one sandbox (no client in between)."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.http = requests.Session()

    def post(self, body: bytes) -> Answer:
        response = self.http.post(
            self.api_url, data=body, headers={"Content-Type": "application/xml"}, timeout=60
        )
        return Answer(response.status_code, response.content)

    def call(self, *functions: tuple[str, str], auth: str | None = None, **kw: object) -> Answer:
        return self.post(envelope(functions, auth=auth or login_auth(), **kw))  # type: ignore[arg-type]

    def session(self, location_id: str | None = None) -> str:
        answer = self.call(("getAPISession", "<getAPISession/>"), auth=login_auth(location_id))
        session_id = answer.result().findtext("data/api/sessionid")
        assert session_id, answer.body[:2000]
        return session_id


# ---------------------------------------------------------------- structure


# Containers whose repeated children (records, errors) are compared as one: their number
# depends on data, not on shape. Results are never collapsed (one per function).
COLLAPSED = frozenset({"data", "errormessage"})


def _children(element: Element) -> list[Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _lines(element: Element, path: str) -> list[str]:
    here = f"{path}/{element.tag}"
    attributes = " ".join(element.attrib)
    out = [f"{here} [{attributes}]" if attributes else here]
    previous: list[str] | None = None
    collapse = element.tag in COLLAPSED
    for child in _children(element):
        lines = _lines(child, here)
        if not (collapse and lines == previous):  # repeats of one structure count once
            out.extend(lines)
        previous = lines
    return out


def shape_lines(root: Element, skip: Iterable[str] = ()) -> list[str]:
    """The structure of a response; `skip` names element paths (e.g. 'operation/authentication')
    left out of both sides when a known, listed difference would hide everything else."""
    skipped = {f"/response/{path}" for path in skip}
    lines = _lines(root, "")
    return [line for line in lines if not any(line.split(" [")[0].startswith(s) for s in skipped)]
