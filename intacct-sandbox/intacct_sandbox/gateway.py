"""The XML gateway: control check, authentication, sessions and function execution.

Transport-independent: `Gateway.handle_xml` takes the POST body and returns an `Answer`
(status, content type, body, or an instruction to drop the connection). server.py does
HTTP; this module does the protocol.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intacct_sandbox import db, idempotency, values, variants
from intacct_sandbox import gateway_errors as gerr
from intacct_sandbox.accounts import Accounts, User
from intacct_sandbox.clock import Clock
from intacct_sandbox.connpool import ConnectionPool
from intacct_sandbox.envelope import (
    AuthSummary,
    ControlBlock,
    EnvelopeError,
    ErrorLike,
    FunctionCall,
    Login,
    Operation,
    OperationBlock,
    Request,
    ResultBlock,
    Writer,
    control_block,
    escape,
    parse_request,
    render_control_failure,
    render_gateway_failure,
    render_response,
)
from intacct_sandbox.faults import ConcurrencyLimiter, Fault, FaultQueue
from intacct_sandbox.results import ResultStore
from intacct_sandbox.sessions import Session, SessionStore, digest, iso_in_zone

log = logging.getLogger("intacct_sandbox.gateway")

XML_CONTENT_TYPE = 'text/xml; encoding="UTF-8"'
HTML_CONTENT_TYPE = "text/html; charset=UTF-8"

# Function names that only read; everything else starts its transaction with
# BEGIN IMMEDIATE so concurrent writers queue on the busy timeout instead of deadlocking.
READ_ONLY_FUNCTIONS = frozenset(
    {
        "query",
        "readByQuery",
        "readMore",
        "read",
        "readByName",
        "readRelated",
        "inspect",
        "lookup",
        "getDimensions",
        "getDimensionRestrictedData",
        "getUserPermissions",
        "readUserFormatting",
        "readReport",
        "readView",
        "get_list",
        "get",
        "getAPISession",
    }
)


@dataclass
class GatewayConfig:
    db_path: str
    timezone: str = "America/Los_Angeles"
    latency_ms: int = 0
    max_concurrent: int = 2
    session_timeout_s: float = 3600.0
    auth_failure_mode: str = "legacy"  # legacy: 200 + XL03000006; modern: 401 XMLGW_JPP0002
    uniqueid_errorno: str = "XL03000013"
    resultid_ttl_s: float = 1800.0


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    drop: bool = False  # close the socket without answering


@dataclass
class AuthContext:
    user: User
    entity_id: str | None
    session: Session | None
    session_key: str  # scope for readMore resultIds

    @property
    def company_id(self) -> str:
        return self.user.company_id

    @property
    def user_id(self) -> str:
        return self.user.user_id


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    functions: Counter[str] = field(default_factory=Counter)

    def request(self) -> None:
        with self.lock:
            self.requests += 1

    def function(self, name: str) -> None:
        with self.lock:
            self.functions[name] += 1

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"requests": self.requests, "functions": dict(self.functions)}

    def clear(self) -> None:
        with self.lock:
            self.requests = 0
            self.functions.clear()


@dataclass
class _OperationEnv:
    """Everything the functions of one authenticated operation share."""

    conn: sqlite3.Connection
    control: ControlBlock
    auth: AuthContext
    host_url: str


class _ModernAuthError(Exception):
    """Bad user credentials in `modern` mode: the whole request becomes HTTP 401."""


def connect(db_path: str) -> sqlite3.Connection:
    """One connection per request: autocommit mode, the gateway issues BEGIN/COMMIT."""
    conn = db.connect(db_path)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def render_acknowledgement(control: ControlBlock) -> bytes:
    """An acknowledgement and a control block, no operation: the shape of the answer to
    an offline (asynchronous) request, given here to a request that expected results."""
    w = Writer(control.includewhitespace)
    w.open("response", 0)
    w.open("acknowledgement", 1)
    w.leaf("status", "success", 2)
    w.close("acknowledgement", 1)
    control_block(w, control, "success")
    w.close("response", 0)
    return w.encode()


def html_page(status: int, title: str, detail: str) -> bytes:
    return (
        "<!DOCTYPE html>\n<html><head><title>"
        f"{status} {escape(title)}</title></head>\n<body><h1>{escape(title)}</h1>"
        f"<p>{escape(detail)}</p></body></html>\n"
    ).encode()


def cloudflare_524() -> bytes:
    """A Cloudflare-style 'A timeout occurred' page (clients look for cf-error-details)."""
    return (
        '<!DOCTYPE html>\n<html lang="en-US"><head><title>api.intacct.com | 524: '
        'A timeout occurred</title></head>\n<body><div id="cf-wrapper">'
        '<div id="cf-error-details" class="cf-error-details-wrapper">'
        '<h1><span class="cf-error-type">Error</span> <span class="cf-error-code">524'
        '</span></h1><h2 class="cf-subheadline">A timeout occurred</h2>'
        "<p>The origin web server timed out responding to this request.</p>"
        f'<span class="cf-footer-item">Cloudflare Ray ID: {gerr.request_id()}</span>'
        "</div></div></body></html>\n"
    ).encode()


class Gateway:
    """Protocol state shared by all request threads of one server."""

    def __init__(
        self,
        config: GatewayConfig,
        execute: Callable[[Any, str, Any], Any],
        context_factory: Callable[..., Any],
        known_function: Callable[[str], bool] | None = None,
        prepare_db: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        self.config = config
        self._known_function = known_function
        # The data half's own schema work at start and after a reset (derived tables).
        self._prepare_db = prepare_db
        self.clock = Clock()
        self.faults = FaultQueue()
        self.limiter = ConcurrencyLimiter(config.max_concurrent)
        self.stats = Stats()
        self.result_store = ResultStore(config.resultid_ttl_s)
        self.sessions = SessionStore(config.session_timeout_s, self.connect)
        self.request_connections = ConnectionPool(self.connect)
        self.accounts = Accounts()
        self._execute = execute
        self._context_factory = context_factory
        # Held shared by XML requests and exclusively by reset (a simple readers-writer lock).
        self._gate = threading.Condition()
        self._active = 0
        self._resetting = False

    def connect(self) -> sqlite3.Connection:
        return connect(self.config.db_path)

    def prepare(self) -> None:
        """Create the gateway's own tables and load persisted sessions."""
        conn = self.connect()
        try:
            idempotency.ensure_ledger(conn)
            if self._prepare_db is not None:
                self._prepare_db(conn)
        finally:
            conn.close()
        self.sessions.load()

    def prepare_after_restore(self) -> None:
        """After a reset replaced the file's content: our tables again, sessions kept."""
        self.request_connections.clear()
        conn = self.connect()
        try:
            idempotency.ensure_ledger(conn)
            if self._prepare_db is not None:
                self._prepare_db(conn)
        finally:
            conn.close()
        self.sessions.persist_all()

    # ------------------------------------------------------------- other transports
    def call_context(
        self,
        *,
        conn: sqlite3.Connection,
        user: User,
        entity_id: str | None,
        session_key: str,
        host_url: str,
    ) -> Any:
        """A function call context for a caller authenticated outside the XML envelope
        (the REST half), so its writes run through the same handlers and rules."""
        return self._context_factory(
            conn=conn,
            company_id=user.company_id,
            user_id=user.user_id,
            user_recordno=user.user_recordno,
            entity_id=entity_id,
            session_id=session_key,
            now=self.clock.now(),
            timezone=self.config.timezone,
            permissions=user.denied_objects,
            request_host=host_url,
            result_store=self.result_store,
        )

    def execute_function(self, ctx: Any, name: str, element: Any) -> Any:
        """Run one function handler (the caller owns the transaction)."""
        return self._execute(ctx, name, element)

    # ----------------------------------------------------------------- reader/writer gate
    def enter(self) -> None:
        with self._gate:
            while self._resetting:
                self._gate.wait()
            self._active += 1

    def leave(self) -> None:
        with self._gate:
            self._active -= 1
            self._gate.notify_all()

    def exclusive(self) -> _Exclusive:
        return _Exclusive(self)

    # ----------------------------------------------------------------------------- XML
    def handle_xml(self, body: bytes, host_url: str) -> Answer:
        """Answer one POST to /ia/xml/xmlgw.phtml."""
        self.stats.request()
        request: Request | None = None
        parse_problem: str | None = None
        try:
            request = parse_request(body)
        except EnvelopeError as exc:
            parse_problem = exc.detail
        calls = [c for op in request.operations for c in op.functions] if request else []
        company_key = self._company_key(request)
        if not self.limiter.try_acquire(company_key):
            # Checked before taking a fault, so no fault is consumed by a refused request.
            self._sleep_latency()
            return self._too_many()
        try:
            live_session = self._live_session_id(request)
            fault = self.faults.take(calls, digest(live_session) if live_session else None)
            if fault is not None and fault.kind == "expire_session" and live_session:
                # The session times out now: this request and every later one with it
                # are refused by the ordinary session check below.
                self.sessions.expire(live_session)
            if fault is not None and fault.kind == "concurrency_limit":
                return self._too_many()
            self._sleep_latency()
            early = self._fault_before(fault)
            if early is not None:
                return early
            if request is None:
                return self._xml(
                    render_control_failure(None, [gerr.parse_error(parse_problem or "")])
                )
            if fault is not None and fault.kind == "acknowledgement_only":
                return self._xml(render_acknowledgement(request.control))
            force_expired = fault is not None and fault.kind == "session_expired"
            self.enter()
            try:
                answer = self._process(request, host_url, force_expired)
            finally:
                self.leave()
            return self._fault_after(fault, answer)
        finally:
            self.limiter.release(company_key)

    def _sleep_latency(self) -> None:
        if self.config.latency_ms > 0:
            time.sleep(self.config.latency_ms / 1000.0)

    def _company_key(self, request: Request | None) -> str:
        if request is None or not request.operations:
            return ""
        op = request.operations[0]
        if op.login is not None:
            return op.login.companyid.strip().upper()
        if op.sessionid:
            return self.sessions.company_of(op.sessionid) or ""
        return ""

    def _live_session_id(self, request: Request | None) -> str | None:
        """The session id the request authenticates with, if that session is live now."""
        if request is None or not request.operations:
            return None
        op = request.operations[0]
        if op.login is not None or not op.sessionid:
            return None
        return op.sessionid if self.sessions.company_of(op.sessionid) is not None else None

    def _too_many(self) -> Answer:
        description = (
            f"Rate limit exceeded: too many concurrent requests [Request ID: {gerr.request_id()}]"
        )
        return Answer(429, XML_CONTENT_TYPE, render_gateway_failure("GW-0010", description))

    @staticmethod
    def _xml(body: bytes, status: int = 200) -> Answer:
        return Answer(status, XML_CONTENT_TYPE, body)

    def _fault_before(self, fault: Fault | None) -> Answer | None:
        """Faults answered without executing anything."""
        if fault is None:
            return None
        kind = fault.kind
        if kind == "slow":
            time.sleep(max(0.0, fault.delay_s))
            return None
        if kind == "http_429":
            return Answer(
                429,
                XML_CONTENT_TYPE,
                render_gateway_failure(
                    "GW-0010", f"Rate limit exceeded [Request ID: {gerr.request_id()}]"
                ),
            )
        if kind in {"http_500", "http_502", "http_503"}:
            status = int(kind.split("_")[1])
            titles = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
            return Answer(
                status,
                HTML_CONTENT_TYPE,
                html_page(status, titles[status], "Please try again later."),
            )
        if kind == "html_error_page":
            return Answer(
                200,
                HTML_CONTENT_TYPE,
                html_page(
                    200,
                    "Sage Intacct is temporarily unavailable",
                    "Scheduled maintenance is in progress. Please try again later.",
                ),
            )
        if kind == "drop_connection":
            return Answer(0, "", b"", drop=True)
        return None

    @staticmethod
    def _fault_after(fault: Fault | None, answer: Answer) -> Answer:
        """Faults applied to an answer whose functions already ran (and committed)."""
        if fault is None:
            return answer
        if fault.kind == "commit_then_drop":
            return Answer(0, "", b"", drop=True)
        if fault.kind == "malformed_xml":
            cut = max(1, min(len(answer.body) // 2, len(answer.body) - 10))
            return Answer(200, XML_CONTENT_TYPE, answer.body[:cut])
        if fault.kind == "http_524":
            return Answer(524, HTML_CONTENT_TYPE, cloudflare_524())
        return answer

    # ------------------------------------------------------------------------ protocol
    def _process(self, request: Request, host_url: str, force_expired: bool) -> Answer:
        control = request.control
        unknown = self._first_unknown_function(request)
        if unknown is not None:
            # The real gateway validates the whole request against its schema before
            # anything else: one function it does not know fails the request.
            detail = f"Element '{unknown}': This element is not expected."
            return self._xml(
                render_control_failure(
                    control, [gerr.parse_error(detail)], control.includewhitespace
                )
            )
        blocks: list[OperationBlock] = []
        conn = self.request_connections.acquire()
        try:
            if not self.accounts.sender_ok(conn, control.senderid, control.password):
                return self._xml(
                    render_control_failure(control, [gerr.BAD_SENDER], control.includewhitespace)
                )
            if control.policyid:
                # The sandbox company has no transport policies, so no asynchronous request
                # is ever acknowledged (README "Protocol behaviour").
                error = gerr.invalid_transport_policy(control.policyid)
                return self._xml(
                    render_control_failure(control, [error], control.includewhitespace)
                )
            for op in request.operations:
                try:
                    auth_or_failure = self._authenticate(conn, control, op, force_expired)
                except _ModernAuthError:
                    return self._xml(
                        render_gateway_failure(
                            "XMLGW_JPP0002",
                            "Sign-in information is incorrect. Please check your request.",
                        ),
                        status=401,
                    )
                if isinstance(auth_or_failure, AuthSummary):
                    blocks.append(OperationBlock(auth_or_failure))
                    continue
                auth = auth_or_failure
                summary = self._auth_summary(auth)
                results = self._run_functions(conn, control, op, auth, host_url)
                blocks.append(OperationBlock(summary, results))
        finally:
            self.request_connections.release(conn)
        return self._xml(render_response(control, blocks))

    def _first_unknown_function(self, request: Request) -> str | None:
        known = self._known_function
        if known is None:
            return None
        for op in request.operations:
            for call in op.functions:
                if call.name != "getAPISession" and not known(call.name):
                    return call.name
        return None

    def _authenticate(
        self, conn: sqlite3.Connection, control: ControlBlock, op: Operation, force_expired: bool
    ) -> AuthContext | AuthSummary:
        if force_expired:
            return _invalid_session()
        if op.login is not None:
            return self._login(conn, control, op.login)
        session = self.sessions.use(op.sessionid or "")
        user = (
            None
            if session is None
            else self.accounts.user(conn, session.company_id, session.user_id)
        )
        if session is None or user is None:
            return _invalid_session()
        return AuthContext(user, session.entity_id, session, session.session_id)

    def _login(
        self, conn: sqlite3.Connection, control: ControlBlock, login: Login
    ) -> AuthContext | AuthSummary:
        def failure(error: ErrorLike) -> AuthSummary:
            location = None if _minimal_session_fields() else login.locationid or ""
            return AuthSummary("failure", login.userid, login.companyid, location, errors=[error])

        company = self.accounts.canonical_company(conn, login.companyid)
        if company is not None and not self.accounts.sender_authorized(conn, company):
            return failure(gerr.sender_not_authorized(control.senderid, login.companyid))
        user = (
            self.accounts.check_user(conn, company, login.userid, login.password)
            if company
            else None
        )
        if user is None:
            if self.config.auth_failure_mode == "modern":
                raise _ModernAuthError
            return failure(gerr.BAD_LOGIN)
        entity: str | None = None
        if login.locationid:
            entity = self.accounts.canonical_entity(conn, login.locationid)
            if entity is None:
                return failure(gerr.invalid_location(login.locationid))
        key = f"login:{user.company_id}:{user.user_id}:{entity or ''}"
        return AuthContext(user, entity, None, key)

    def _auth_summary(self, auth: AuthContext) -> AuthSummary:
        now = time.time()
        expires = auth.session.expires_at if auth.session else now + self.config.session_timeout_s
        zone = values.user_zone_name(self.config.timezone)
        minimal = _minimal_session_fields()
        return AuthSummary(
            "success",
            auth.user_id,
            auth.company_id,
            None if minimal else auth.entity_id or "",
            iso_in_zone(now, zone),
            None if minimal else iso_in_zone(expires, zone),
        )

    # ----------------------------------------------------------------------- functions
    def _run_functions(
        self,
        conn: sqlite3.Connection,
        control: ControlBlock,
        op: Operation,
        auth: AuthContext,
        host_url: str,
    ) -> list[ResultBlock]:
        env = _OperationEnv(
            conn=conn,
            control=control,
            auth=auth,
            host_url=host_url,
        )
        if op.transaction:
            return self._run_transaction(env, op)
        results: list[ResultBlock] = []
        for call in op.functions:
            conn.execute("BEGIN" if call.name in READ_ONLY_FUNCTIONS else "BEGIN IMMEDIATE")
            try:
                result, ok, writes = self._run_one(env, call)
                if ok and writes and control.uniqueid:
                    self._remember(env, call)
                conn.execute("COMMIT" if ok else "ROLLBACK")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            results.append(result)
        return results

    def _remember(self, env: _OperationEnv, call: FunctionCall) -> None:
        idempotency.record_execution(
            env.conn,
            company_id=env.auth.company_id,
            sender_id=env.control.senderid,
            controlid=call.controlid,
            function=call.name,
            now=self.clock.now(),
        )

    def _run_transaction(self, env: _OperationEnv, op: Operation) -> list[ResultBlock]:
        """transaction="true": all or nothing; failure + XL03000009, the rest aborted."""
        conn = env.conn
        writes_expected = any(c.name not in READ_ONLY_FUNCTIONS for c in op.functions)
        conn.execute("BEGIN IMMEDIATE" if writes_expected else "BEGIN")
        results: list[ResultBlock] = []
        failed = False
        done: list[tuple[FunctionCall, bool]] = []
        try:
            for call in op.functions:
                if failed:
                    results.append(self._aborted(call))
                    continue
                result, ok, writes = self._run_one(env, call)
                if not ok:
                    failed = True
                    result.errors = [*result.errors, gerr.TRANSACTION_ROLLED_BACK]
                    result.status = "failure"
                    results = [self._aborted(c) for c, _ in done]
                    results.append(result)
                    continue
                done.append((call, writes))
                results.append(result)
            if failed:
                conn.execute("ROLLBACK")
            else:
                if env.control.uniqueid:
                    for call, writes in done:
                        if writes:
                            self._remember(env, call)
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return results

    @staticmethod
    def _aborted(call: FunctionCall) -> ResultBlock:
        return ResultBlock("aborted", call.name, call.controlid, "", [gerr.TRANSACTION_ROLLED_BACK])

    def _run_one(self, env: _OperationEnv, call: FunctionCall) -> tuple[ResultBlock, bool, bool]:
        """Run one function: (result block, succeeded, wrote data)."""
        self.stats.function(call.name)
        conn, auth = env.conn, env.auth
        if env.control.uniqueid and idempotency.already_executed(
            conn, auth.company_id, env.control.senderid, call.controlid
        ):
            error = gerr.duplicate_controlid(self.config.uniqueid_errorno, call.controlid)
            return ResultBlock("failure", call.name, call.controlid, "", [error]), False, False
        if call.name == "getAPISession":
            return self._get_api_session(conn, call, auth, env.host_url)
        ctx = self._context_factory(
            conn=conn,
            company_id=auth.company_id,
            user_id=auth.user_id,
            user_recordno=auth.user.user_recordno,
            entity_id=auth.entity_id,
            session_id=auth.session_key,
            now=self.clock.now(),
            timezone=self.config.timezone,
            permissions=auth.user.denied_objects,
            request_host=env.host_url,
            result_store=self.result_store,
        )
        conn.execute("SAVEPOINT gateway_function")
        try:
            outcome = self._execute(ctx, call.name, call.element)
        except Exception:
            log.exception("function %s raised", call.name)
            conn.execute("ROLLBACK TO gateway_function")
            conn.execute("RELEASE gateway_function")
            error = gerr.INTERNAL_FUNCTION_ERROR
            return ResultBlock("failure", call.name, call.controlid, "", [error]), False, False
        ok = outcome.status == "success"
        if not ok:
            conn.execute("ROLLBACK TO gateway_function")
        conn.execute("RELEASE gateway_function")
        result = ResultBlock(
            outcome.status, call.name, call.controlid, outcome.body, list(outcome.errors)
        )
        return result, ok, bool(outcome.writes)

    def _get_api_session(
        self, conn: sqlite3.Connection, call: FunctionCall, auth: AuthContext, host_url: str
    ) -> tuple[ResultBlock, bool, bool]:
        """Section 4.1: same id for the same entity via sessionid auth, else a new session."""
        location_el = call.element.find("locationid")
        if location_el is None:
            entity = auth.entity_id
        else:
            wanted = (location_el.text or "").strip()
            entity = None
            if wanted:
                entity = self.accounts.canonical_entity(conn, wanted)
                if entity is None:
                    error = gerr.GatewayError(
                        "Get API Session Failed", "", f"Invalid location '{wanted}' specified.", ""
                    )
                    return (
                        ResultBlock("failure", call.name, call.controlid, "", [error]),
                        False,
                        False,
                    )
        if auth.session is not None and auth.session.entity_id == entity:
            session = auth.session
        else:
            session = self.sessions.create(auth.company_id, auth.user_id, entity)
        body = (
            "<data><api>"
            f"<sessionid>{escape(session.session_id)}</sessionid>"
            f"<endpoint>{escape(host_url)}/ia/xml/xmlgw.phtml</endpoint>"
            + (
                ""
                if _minimal_session_fields()
                else f"<locationid>{escape(entity or '')}</locationid>"
            )
            + "</api></data>"
        )
        return ResultBlock("success", call.name, call.controlid, body), True, False


def _invalid_session() -> AuthSummary:
    location = None if _minimal_session_fields() else ""
    return AuthSummary("failure", "", "", location, errors=[gerr.INVALID_SESSION])


def _minimal_session_fields() -> bool:
    """Variant session_fields=minimal: no authentication/locationid, no sessiontimeout and
    no api/locationid, as in the SDK captures that lack them (README "Variants")."""
    return variants.active("session_fields") == "minimal"


class _Exclusive:
    """Context manager that waits for in-flight XML requests and blocks new ones."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    def __enter__(self) -> None:
        gate = self.gateway._gate
        with gate:
            while self.gateway._resetting:
                gate.wait()
            self.gateway._resetting = True
            while self.gateway._active > 0:
                gate.wait()
        # no request holds a connection now: close the idle ones before the file changes
        self.gateway.request_connections.clear()

    def __exit__(self, *exc: object) -> None:
        gate = self.gateway._gate
        with gate:
            self.gateway._resetting = False
            gate.notify_all()
