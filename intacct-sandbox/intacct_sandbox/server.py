"""HTTP transport: POST /ia/xml/xmlgw.phtml (the gateway) and /_sandbox/* (control API).

stdlib ThreadingHTTPServer with HTTP/1.1 keep-alive; one thread per connection.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from intacct_sandbox.control_api import ControlApi, is_loopback_address
from intacct_sandbox.envelope import render_gateway_failure
from intacct_sandbox.gateway import XML_CONTENT_TYPE, Answer, Gateway
from intacct_sandbox.malloc_tuning import keep_large_buffers
from intacct_sandbox.rest.service import PREFIX as REST_PREFIX
from intacct_sandbox.rest.service import RestRequest, RestService, parse_query_string

log = logging.getLogger("intacct_sandbox.server")

XML_PATH = "/ia/xml/xmlgw.phtml"
CONTROL_PREFIX = "/_sandbox/"
MAX_BODY_BYTES = 64 * 1024 * 1024
GZIP_MIN_BYTES = 4096


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(
        self,
        address: tuple[str, int],
        gateway: Gateway,
        control: ControlApi,
        compress: bool = False,
        rest: RestService | None = None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, SandboxHandler)
        keep_large_buffers()  # megabyte responses: reuse freed buffers, skip page faults
        self.gateway = gateway
        self.control = control
        self.compress = compress
        self.rest = rest


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "intacct-sandbox"
    sys_version = ""
    disable_nagle_algorithm = True
    server: SandboxServer

    # ------------------------------------------------------------------ plumbing
    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY_BYTES:
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | None:
        parts: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(65537)
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(65537).strip():
                    pass
                return b"".join(parts)
            total += size
            if total > MAX_BODY_BYTES:
                return None
            parts.append(self.rfile.read(size))
            self.rfile.readline(3)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        if (
            self.server.compress
            and len(body) >= GZIP_MIN_BYTES
            and "gzip" in self.headers.get("Accept-Encoding", "").lower()
        ):
            body = gzip.compress(body, compresslevel=1)
            encoding: str | None = "gzip"
        else:
            encoding = None
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, payload: Any) -> None:
        body = json.dumps(payload, default=str).encode()
        self._send(status, "application/json", body)

    def _drop(self) -> None:
        """Close the socket without answering (client sees a reset / empty reply)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _host_url(self) -> str:
        host = self.headers.get("Host")
        if not host:
            addr = self.server.server_address
            host = f"{addr[0]!s}:{addr[1]}"
        scheme = (self.headers.get("X-Forwarded-Proto") or "http").split(",")[0].strip()
        return f"{scheme}://{host}"

    # ------------------------------------------------------------------ routing
    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self._read_body()
        if body is None:
            self.close_connection = True
            self._send(
                413, XML_CONTENT_TYPE, render_gateway_failure("GW-0011", "Request too large")
            )
            return
        if path.startswith(CONTROL_PREFIX):
            self._control("POST", path, body)
            return
        if self._is_rest(path):
            self._rest("POST", body)
            return
        if path != XML_PATH:
            self._not_found()
            return
        try:
            answer: Answer = self.server.gateway.handle_xml(body, self._host_url())
        except Exception:
            # A gateway bug or a database outage: a "mid-process failure" (docs/protocol.md §1.4).
            log.exception("XML request failed")
            failure = render_gateway_failure("GW-0001", "Internal Server Error")
            self._send(500, XML_CONTENT_TYPE, failure)
            return
        if answer.drop:
            self._drop()
            return
        self._send(answer.status, answer.content_type, answer.body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith(CONTROL_PREFIX):
            self._control("GET", path, b"")
        elif self._is_rest(path):
            self._rest("GET", b"")
        elif path == XML_PATH:
            self._method_not_allowed()
        else:
            self._not_found()

    def do_DELETE(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self._read_body() or b""
        if path.startswith(CONTROL_PREFIX):
            self._control("DELETE", path, body)
        elif self._is_rest(path):
            self._rest("DELETE", body)
        else:
            self._not_found()

    def do_PATCH(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self._read_body() or b""
        if self._is_rest(path):
            self._rest("PATCH", body)
        else:
            self._method_not_allowed()

    # ------------------------------------------------------------------ REST half
    def _is_rest(self, path: str) -> bool:
        return self.server.rest is not None and path.startswith(REST_PREFIX + "/")

    def _rest(self, method: str, body: bytes) -> None:
        assert self.server.rest is not None
        path, _, query = self.path.partition("?")
        request = RestRequest(
            method=method,
            path=path[len(REST_PREFIX) :],
            query=parse_query_string(query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            host_url=self._host_url(),
        )
        try:
            answer = self.server.rest.handle(request)
        except Exception:
            log.exception("REST request failed")
            self._send_json(500, {"ia::result": {"ia::error": {"code": "internalError"}}})
            return
        if answer.drop:
            self._drop()
            return
        if answer.status == 204:
            self.send_response(204)
            self.end_headers()
            return
        self._send(answer.status, answer.content_type, answer.body)

    def do_PUT(self) -> None:
        body = self._read_body() or b""
        if self._is_rest(self.path.split("?", 1)[0]):
            self._rest("PUT", body)
        else:
            self._method_not_allowed()

    def _method_not_allowed(self) -> None:
        body = render_gateway_failure("GW-0011", "Invalid Request: only POST is accepted")
        self.send_response(405)
        self.send_header("Allow", "POST")
        self.send_header("Content-Type", XML_CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _not_found(self) -> None:
        self._send(404, XML_CONTENT_TYPE, render_gateway_failure("GW-0011", "Invalid Request"))

    def _control(self, method: str, path: str, body: bytes) -> None:
        if not is_loopback_address(self.client_address[0]):
            self._send_json(403, {"error": "the control API only answers loopback clients"})
            return
        status, payload = self.server.control.handle(method, path, body)
        self._send_json(status, payload)
