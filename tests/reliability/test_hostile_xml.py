"""XML with a DOCTYPE, external entities or entity expansion is refused on both sides.

Sandbox side: raw envelopes with such prologs get the control-level XL03000003 answer,
nothing runs, nothing is expanded. Client side: a tiny hostile HTTP server on loopback
answers the client with such documents; the client raises a clear error after a single
request (the refusal is not retried), expands nothing, reads no file, fetches no DTD.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from intacct_client import ClientConfig, IntacctClient, IntacctError
from raw_envelopes import envelope, function, new_session, post
from reliability_kit import CAPTURE

MARKER = "FILE-CONTENT-THAT-MUST-NEVER-BE-READ-4f1c"
LOL = "lol"


def billion_laughs(root: str) -> str:
    lines = [f'<!ENTITY lol0 "{LOL}">']
    lines += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return f"<!DOCTYPE {root} [\n" + "\n".join(lines) + "\n]>\n"


def prologs(root: str, secret_file: Path, dtd_url: str) -> dict[str, tuple[str, str]]:
    """name -> (prolog, entity reference used in the body)."""
    return {
        "external_file_entity": (
            f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{secret_file}">]>\n',
            "&xxe;",
        ),
        "billion_laughs": (billion_laughs(root), "&lol9;"),
        "external_dtd": (f'<!DOCTYPE {root} SYSTEM "{dtd_url}">\n', ""),
        "internal_entity": (f'<!DOCTYPE {root} [<!ENTITY co "Injected Co">]>\n', "&co;"),
    }


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(MARKER)
    return path


# ------------------------------------------------------------------ sandbox side
@pytest.mark.parametrize(
    "attack", ["external_file_entity", "billion_laughs", "external_dtd", "internal_entity"]
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "form-field"])
def test_sandbox_refuses_doctype_and_entities(
    clean_sandbox: Any, secret_file: Path, attack: str, encoding: str
) -> None:
    box = CAPTURE.track(clean_sandbox)
    prolog, ref = prologs("request", secret_file, f"{box.base_url}/evil.dtd")[attack]
    name = f"Hostile {ref} Vendor"
    body = envelope(
        function(
            f"<create><VENDOR><VENDORID>HOSTILE-1</VENDORID><NAME>{name}</NAME></VENDOR></create>"
        ),
        prolog=prolog,
    )
    if encoding == "utf-16":
        raw: bytes = body.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
        headers = {"Content-Type": "application/xml; charset=utf-16"}
    elif encoding == "form-field":
        raw = ("xmlrequest=" + quote(body)).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    else:
        raw = body.encode()
        headers = None
    vendors_before = len(box.records("VENDOR"))
    answer = post(box.api_url, raw, headers)
    CAPTURE.add(f"sandbox answer to {attack}", answer.body)
    assert answer.status == 200, answer.text
    assert answer.find_text("status")[0] == "failure"  # the control block
    assert "XL03000003" in answer.find_text("errorno"), answer.text
    assert not answer.root().findall(".//operation"), "an operation was processed"
    assert MARKER not in answer.text
    assert LOL * 2 not in answer.text
    assert "Injected Co" not in answer.text
    assert len(answer.body) < 4000
    assert box.stats()["functions"] == {}, "a function ran"
    assert len(box.records("VENDOR")) == vendors_before
    assert not [v for v in box.records("VENDOR") if v["VENDORID"] == "HOSTILE-1"]


# ------------------------------------------------------------------ client side
@dataclass
class HostileServer:
    """Answers POSTs with `hostile` (or a valid session answer when `session_answer` is
    set and the request is a getAPISession); records every request it gets."""

    hostile: bytes = b""
    session_answer: bytes | None = None
    content_type: str = "text/xml; charset=UTF-8"
    posts: list[bytes] = field(default_factory=list)
    gets: list[str] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def hostile_server() -> Iterator[HostileServer]:
    state = HostileServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def do_GET(self) -> None:
            state.gets.append(self.path)
            body = b'<!ENTITY xxe SYSTEM "file:///etc/hostname">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.posts.append(body)
            answer = state.hostile
            if state.session_answer is not None and b"getAPISession" in body:
                answer = state.session_answer
            self.send_response(200)
            self.send_header("Content-Type", state.content_type)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/ia/xml/xmlgw.phtml"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def hostile_response(prolog: str, ref: str, inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{prolog}<response><control><status>success</status>"
        "<senderid>sandbox_sender</senderid><controlid>x</controlid>"
        "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>"
        f"<operation>{inner.replace('ENTITY_REF', ref)}</operation></response>"
    ).encode()


QUERY_RESULT = (
    "<authentication><status>success</status><userid>sandbox_user</userid>"
    "<companyid>SANDBOX-CO</companyid></authentication>"
    "<result><status>success</status><function>query</function><controlid>q</controlid>"
    '<data listtype="VENDOR" count="1" totalcount="1" numremaining="0">'
    "<VENDOR><RECORDNO>1</RECORDNO><NAME>ENTITY_REF</NAME></VENDOR></data></result>"
)
SESSION_RESULT = (
    "<authentication><status>success</status><userid>sandbox_user</userid>"
    "<companyid>SANDBOX-CO</companyid></authentication>"
    "<result><status>success</status><function>getAPISession</function>"
    "<controlid>s</controlid><data><api><sessionid>ENTITY_REF</sessionid>"
    "<endpoint>ENDPOINT</endpoint></api></data></result>"
)


@pytest.mark.parametrize(
    "attack", ["external_file_entity", "billion_laughs", "external_dtd", "internal_entity"]
)
@pytest.mark.parametrize("phase", ["getAPISession", "query"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_client_refuses_doctype_and_entities_in_answers(  # noqa: PLR0917 - fixtures
    sandbox: Any,
    hostile_server: HostileServer,
    secret_file: Path,
    caplog: pytest.LogCaptureFixture,
    attack: str,
    phase: str,
    encoding: str,
) -> None:
    server = hostile_server
    dtd_url = server.url.replace("/ia/xml/xmlgw.phtml", "/evil.dtd")
    prolog, ref = prologs("response", secret_file, dtd_url)[attack]
    inner = SESSION_RESULT if phase == "getAPISession" else QUERY_RESULT
    hostile = hostile_response(prolog, ref, inner.replace("ENDPOINT", server.url))
    if encoding == "utf-16":
        hostile = hostile.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
        server.hostile = hostile.encode("utf-16")
        server.content_type = "text/xml; charset=UTF-16"
    else:
        server.hostile = hostile
    if phase == "query":
        # A real session answer from the sandbox, pointed at the hostile endpoint.
        session_id, answer = new_session(sandbox.api_url)
        CAPTURE.track(sandbox)
        CAPTURE.session_ids.add(session_id)
        server.session_answer = answer.body.replace(sandbox.api_url.encode(), server.url.encode())
    config = ClientConfig.from_mapping(
        sandbox.config(api_url=server.url, max_retries=3, backoff_base=0.01, backoff_max=0.02)
    )

    def query_once() -> None:
        with IntacctClient(config) as client:
            client.query("VENDOR", ["RECORDNO", "NAME"])

    with caplog.at_level(logging.DEBUG), pytest.raises(IntacctError) as caught:
        query_once()
    error = caught.value
    message = str(error)
    CAPTURE.add("client exception", message + repr(error))
    CAPTURE.add("client DEBUG log", caplog.text)
    assert error.retryable is False, message
    assert "DOCTYPE" in message or "unsafe" in message.lower() or "refused" in message, message
    hostile_posts = [p for p in server.posts if phase == "getAPISession" or b"<query>" in p]
    assert len(hostile_posts) == 1, "the refused answer was retried"
    assert server.gets == [], "the client fetched an external DTD"
    assert "Injected Co" not in message
    for text in (message, caplog.text):  # the DEBUG log may show the raw, unexpanded body
        assert MARKER not in text
        assert LOL * 2 not in text
        assert ">Injected Co<" not in text
