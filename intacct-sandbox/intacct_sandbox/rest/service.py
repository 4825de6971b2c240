"""REST request handling: authentication, shared limits and faults, then the route.

Everything the XML half applies to a request applies here too, from the same objects
on the `Gateway`: the per-company concurrency limit (429), the fault queue (matched on
function names `token`, `query`, `model`, `read`, `create`, `update`, `delete` and on the
catalog or REST object name), the added latency, the reset gate and the request stats
(functions counted as `rest:<function>`).
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote
from xml.etree.ElementTree import Element

from intacct_sandbox import gateway as gw
from intacct_sandbox.accounts import User
from intacct_sandbox.envelope import FunctionCall
from intacct_sandbox.faults import Fault
from intacct_sandbox.rest import auth, errors, model, writes
from intacct_sandbox.rest.errors import RestError
from intacct_sandbox.rest.objects import RestObject, rest_object
from intacct_sandbox.rest.query import (
    Caller,
    href,
    object_or_fail,
    read_one,
    run_query,
    run_query_json,
)
from intacct_sandbox.rest.tokens import Grant, TokenStore
from intacct_sandbox.sessions import digest

log = logging.getLogger("intacct_sandbox.rest")

PREFIX = "/ia/api/v1"
JSON_TYPE = "application/json"
ENTITY_HEADER = "X-IA-API-Param-Entity"
_RECORDNO = re.compile(r"<RECORDNO>(\d+)</RECORDNO>")
_OBJECT_PATH = re.compile(r"^/objects/([a-z0-9-]+/[a-z0-9-]+)(?:/([^/]+))?$")


@dataclass
class RestAnswer:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    drop: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RestRequest:
    method: str
    path: str  # below /ia/api/v1
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    host_url: str


@dataclass
class _Call:
    """One authenticated REST call being run: connection, token grant, user, request."""

    conn: sqlite3.Connection
    grant: Grant
    user: User
    request: RestRequest


@dataclass
class _Route:
    function: str
    object_names: tuple[str, ...]
    run: Callable[[_Call], RestAnswer]


def json_answer(status: int, payload: Any) -> RestAnswer:
    return RestAnswer(status, json.dumps(payload, ensure_ascii=False).encode())


def error_answer(error: RestError) -> RestAnswer:
    return json_answer(error.status, error.payload())


class RestService:
    """The REST half of one server; shares state with the XML `Gateway`."""

    def __init__(self, gateway: gw.Gateway, tokens: TokenStore) -> None:
        self.gateway = gateway
        self.tokens = tokens

    # ---------------------------------------------------------------------- entry
    def handle(self, request: RestRequest) -> RestAnswer:
        self.gateway.stats.request()
        if request.path == "/oauth2/token" and request.method == "POST":
            return self._token(request)
        bearer = self._bearer(request)
        grant = self.tokens.check(bearer) if bearer else None
        company_key = grant.company_id.upper() if grant else ""
        if not self.gateway.limiter.try_acquire(company_key):
            self._sleep_latency()
            return error_answer(errors.too_many_requests("Too many concurrent requests."))
        try:
            try:
                route = self._route(request)
            except RestError as exc:
                return error_answer(exc)
            self.gateway.stats.function(f"rest:{route.function}")
            call = FunctionCall("", route.function, Element(route.function), route.object_names)
            fault = self.gateway.faults.take([call], digest(bearer) if grant and bearer else None)
            if fault is not None and fault.kind == "expire_session" and bearer:
                self.tokens.revoke(bearer)
                grant = None
            if fault is not None and fault.kind == "concurrency_limit":
                return error_answer(errors.too_many_requests("Too many concurrent requests."))
            self._sleep_latency()
            early = self._fault_before(fault)
            if early is not None:
                return early
            if grant is None or (fault is not None and fault.kind == "session_expired"):
                return error_answer(errors.token_invalid())
            return self._fault_after(fault, self._run(route, grant, request))
        finally:
            self.gateway.limiter.release(company_key)

    def _run(self, route: _Route, grant: Grant, request: RestRequest) -> RestAnswer:
        self.gateway.enter()
        conn = self.gateway.request_connections.acquire()
        try:
            user = self.gateway.accounts.user(conn, grant.company_id, grant.user_id)
            if user is None:
                return error_answer(errors.token_invalid())
            try:
                return route.run(_Call(conn, grant, user, request))
            except RestError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                return error_answer(exc)
            except Exception:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                log.exception("REST %s failed", route.function)
                return error_answer(
                    RestError(500, "internalError", "Internal server error", "REST-1500")
                )
        finally:
            self.gateway.request_connections.release(conn)
            self.gateway.leave()

    @staticmethod
    def _bearer(request: RestRequest) -> str:
        value = request.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""

    def _sleep_latency(self) -> None:
        if self.gateway.config.latency_ms > 0:
            time.sleep(self.gateway.config.latency_ms / 1000.0)

    # --------------------------------------------------------------------- faults
    def _fault_before(self, fault: Fault | None) -> RestAnswer | None:
        if fault is None:
            return None
        kind = fault.kind
        if kind == "slow":
            time.sleep(max(0.0, fault.delay_s))
            return None
        if kind == "http_429":
            return error_answer(errors.too_many_requests("Rate limit exceeded."))
        if kind in {"http_500", "http_502", "http_503"}:
            status = int(kind.split("_")[1])
            titles = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
            page = gw.html_page(status, titles[status], "Please try again later.")
            return RestAnswer(status, page, gw.HTML_CONTENT_TYPE)
        if kind == "html_error_page":
            page = gw.html_page(200, "Sage Intacct is temporarily unavailable", "Maintenance.")
            return RestAnswer(200, page, gw.HTML_CONTENT_TYPE)
        if kind == "drop_connection":
            return RestAnswer(0, drop=True)
        return None

    @staticmethod
    def _fault_after(fault: Fault | None, answer: RestAnswer) -> RestAnswer:
        if fault is None:
            return answer
        if fault.kind == "commit_then_drop":
            return RestAnswer(0, drop=True)
        if fault.kind == "malformed_xml":  # the JSON body cut in half
            cut = max(1, len(answer.body) // 2)
            return RestAnswer(answer.status, answer.body[:cut], answer.content_type)
        if fault.kind == "http_524":
            return RestAnswer(524, gw.cloudflare_524(), gw.HTML_CONTENT_TYPE)
        return answer

    # ---------------------------------------------------------------------- token
    def _token(self, request: RestRequest) -> RestAnswer:
        self.gateway.stats.function("rest:token")
        try:
            params = auth.parse_form(request.body, request.headers.get("content-type", ""))
            params = auth.basic_client(request.headers.get("authorization", ""), params)
        except auth.OAuthError as exc:
            return json_answer(exc.status, exc.payload())
        company_key = auth.company_key_of(params)
        if not self.gateway.limiter.try_acquire(company_key):
            self._sleep_latency()
            return error_answer(errors.too_many_requests("Too many concurrent requests."))
        try:
            call = FunctionCall("", "token", Element("token"), ())
            fault = self.gateway.faults.take([call], None)
            if fault is not None and fault.kind == "concurrency_limit":
                return error_answer(errors.too_many_requests("Too many concurrent requests."))
            self._sleep_latency()
            early = self._fault_before(fault)
            if early is not None:
                return early
            self.gateway.enter()  # a reset must not swap the file under this read
            conn = self.gateway.request_connections.acquire()
            try:
                issued = auth.grant(conn, self.gateway.accounts, self.tokens, params)
            except auth.OAuthError as exc:
                return json_answer(exc.status, exc.payload())
            finally:
                self.gateway.request_connections.release(conn)
                self.gateway.leave()
            return self._fault_after(fault, json_answer(200, auth.token_payload(issued)))
        finally:
            self.gateway.limiter.release(company_key)

    # --------------------------------------------------------------------- routes
    def _route(self, request: RestRequest) -> _Route:
        method, path = request.method, request.path
        if path == "/services/core/query":
            if method != "POST":
                raise RestError(
                    405, "methodNotAllowed", "Use POST for the query service.", "REST-1005"
                )
            body = _json_body(request.body)
            name = body.get("object")
            names = _object_names(name if isinstance(name, str) else "")
            return _Route("query", names, lambda call: self._query(call, body))
        if path == "/services/core/model":
            if method != "GET":
                raise RestError(
                    405, "methodNotAllowed", "Use GET for the model service.", "REST-1005"
                )
            name = (request.query.get("name") or [""])[0]
            return _Route("model", _object_names(name), lambda call: self._model(name))
        match = _OBJECT_PATH.match(path)
        if match is None:
            raise errors.not_found(f"No REST resource at '{PREFIX}{path}'.")
        rest = rest_object(match.group(1))
        if rest is None:
            raise errors.not_found(f"Object '{match.group(1)}' is not a known object.")
        key = unquote(match.group(2)) if match.group(2) else None
        names = _object_names(rest.name)
        if key is None and method == "GET":
            return _Route("query", names, lambda call: self._list(call, rest))
        if key is None and method == "POST":
            body = _json_body(request.body)
            return _Route("create", names, lambda call: self._create(call, rest, body))
        if key is not None and method == "GET":
            return _Route("read", names, lambda call: self._read(call, rest, key))
        if key is not None and method == "PATCH":
            body = _json_body(request.body)
            return _Route("update", names, lambda call: self._update(call, rest, key, body))
        if key is not None and method == "DELETE":
            return _Route("delete", names, lambda call: self._delete(call, rest, key))
        raise RestError(405, "methodNotAllowed", f"{method} is not allowed here.", "REST-1005")

    # ------------------------------------------------------------------- handlers
    def _caller(self, call: _Call) -> Caller:
        """The entity comes from the token, or from the entity header when one is sent."""
        wanted = call.request.headers.get(ENTITY_HEADER.lower(), "").strip()
        entity = call.grant.entity_id
        if wanted:
            entity = self.gateway.accounts.canonical_entity(call.conn, wanted)
            if entity is None:
                raise errors.bad_request(f"Entity '{wanted}' does not exist.")
        return Caller(entity, call.user.denied_objects)

    def _query(self, call: _Call, body: dict[str, Any]) -> RestAnswer:
        caller = self._caller(call)
        call.conn.execute("BEGIN")
        try:
            answer = run_query_json(call.conn, body, caller)
        finally:
            if call.conn.in_transaction:
                call.conn.execute("COMMIT")
        return RestAnswer(200, answer)

    def _list(self, call: _Call, rest: RestObject) -> RestAnswer:
        """GET on a collection: the first page of key, id and href (as the query default)."""
        return self._query(call, {"object": rest.name})

    @staticmethod
    def _model(name: str) -> RestAnswer:
        if not name:
            return json_answer(200, {"ia::result": model.object_list(), "ia::meta": {}})
        rest = rest_object(name)
        if rest is None:
            raise errors.bad_request(f"Object '{name}' is not a known object.", "REST-1017")
        return json_answer(200, {"ia::result": model.describe(rest), "ia::meta": {}})

    def _read(self, call: _Call, rest: RestObject, key: str) -> RestAnswer:
        caller = self._caller(call)
        object_or_fail(rest.name, caller)
        if not key.isdigit():
            raise errors.not_found(f"{rest.name} '{key}' was not found.")
        call.conn.execute("BEGIN")
        try:
            record = read_one(call.conn, rest, key, caller)
        finally:
            if call.conn.in_transaction:
                call.conn.execute("COMMIT")
        if record is None:
            raise errors.not_found(f"{rest.name} '{key}' was not found.")
        return json_answer(200, {"ia::result": record, "ia::meta": {"totalCount": 1}})

    def _create(self, call: _Call, rest: RestObject, body: dict[str, Any]) -> RestAnswer:
        self._writable(rest)
        outcome = self._write(call, "create", writes.create_element(rest, body))
        found = _RECORDNO.search(outcome.body)
        key = found.group(1) if found else ""
        return json_answer(201, self._written(call, rest, key))

    def _update(self, call: _Call, rest: RestObject, key: str, body: dict[str, Any]) -> RestAnswer:
        self._writable(rest)
        self._must_exist(call, rest, key)
        self._write(call, "update", writes.update_element(rest, key, body))
        return json_answer(200, self._written(call, rest, key))

    def _delete(self, call: _Call, rest: RestObject, key: str) -> RestAnswer:
        self._writable(rest)
        self._must_exist(call, rest, key)
        self._write(call, "delete", writes.delete_element(rest, key))
        return RestAnswer(204)

    def _must_exist(self, call: _Call, rest: RestObject, key: str) -> None:
        """404 for a key the caller cannot write, before the write is attempted. Writes
        reach every record at top level and shared plus own records in an entity, as
        the XML half's writes do."""
        caller = self._caller(call)
        found = False
        if key.isdigit():
            body: dict[str, Any] = {
                "object": rest.name,
                "fields": ["key"],
                "filters": [{"$eq": {"key": key}}],
                "filterParameters": {"includePrivate": caller.entity_id is None},
            }
            found = bool(run_query(call.conn, body, caller)["ia::result"])
        if not found:
            raise errors.not_found(f"{rest.name} '{key}' was not found.")

    @staticmethod
    def _writable(rest: RestObject) -> None:
        if rest.name not in model.WRITABLE_OBJECTS:
            raise RestError(405, "methodNotAllowed", f"{rest.name} is read-only here.", "REST-1005")

    def _written(self, call: _Call, rest: RestObject, key: str) -> dict[str, Any]:
        """The answer to a create or update: key, id and href of the record."""
        record = read_one(call.conn, rest, key, self._caller(call)) if key else None
        result = {"key": key, "id": (record or {}).get("id"), "href": href(rest, key)}
        meta = {"totalCount": 1, "totalSuccess": 1, "totalError": 0}
        return {"ia::result": result, "ia::meta": meta}

    def _write(self, call: _Call, name: str, element: Element) -> Any:
        """Run one XML write function in its own transaction; RestError on failure."""
        caller = self._caller(call)
        grant = call.grant
        ctx = self.gateway.call_context(
            conn=call.conn,
            user=call.user,
            entity_id=caller.entity_id,
            session_key=f"rest:{grant.company_id}:{grant.user_id}:{caller.entity_id or ''}",
            host_url=call.request.host_url,
        )
        conn = call.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            outcome = self.gateway.execute_function(ctx, name, element)
            ok = outcome.status == "success"
            conn.execute("COMMIT" if ok else "ROLLBACK")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if not ok:
            raise errors.from_function_errors(list(outcome.errors))
        return outcome


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise errors.bad_request("The request body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise errors.bad_request("The request body must be a JSON object.")
    return data


def _object_names(name: str) -> tuple[str, ...]:
    rest = rest_object(name) if name else None
    if rest is None:
        return (name.upper(),) if name else ()
    return (rest.catalog.name.upper(), rest.name.upper())


def parse_query_string(text: str) -> dict[str, list[str]]:
    return parse_qs(text, keep_blank_values=True)
