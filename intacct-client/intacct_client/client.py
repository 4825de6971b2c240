"""IntacctClient: sessions, envelopes, retries, throttling and typed helpers."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from intacct_client.classify import check_login_answer
from intacct_client.config import ClientConfig
from intacct_client.envelope import LoginCredentials, SessionCredentials, build_request
from intacct_client.errors import (
    ErrorDetail,
    IntacctAuthenticationError,
    IntacctConfigurationError,
    IntacctSessionExpiredError,
)
from intacct_client.filters import Filter
from intacct_client.formatting import (
    UserFormatting,
    date_style,
    from_record,
    require_date_style,
    require_zone,
    sending_style,
    timezone_setting,
)
from intacct_client.functions import READ_FUNCTIONS, Function
from intacct_client.metadata import object_definition, object_summaries
from intacct_client.parsing import ParsedResponse
from intacct_client.redaction import get_logger, register_secret
from intacct_client.results import (
    FunctionResult,
    ObjectDefinition,
    ObjectSummary,
    QueryPage,
    Record,
    is_already_executed,
)
from intacct_client.session import ApiSession, SessionManager, session_duration
from intacct_client.throttle import CallMeter, Throttle
from intacct_client.transport import Attempts, Transport, new_http_session
from intacct_client.values import DateStyle
from intacct_client.xmlwrite import RawXml

session_log = get_logger("intacct_client.session")
client_log = get_logger("intacct_client.client")

MAX_KEYS_PER_READ = 100
_ORDER = {
    "asc": "ascending",
    "ascending": "ascending",
    "desc": "descending",
    "descending": "descending",
}


# New sessions one request may use after its first "Invalid session" refusal before the
# refusal ends the call: a burst of refusals on an expired session costs one login, and
# a refusal on a brand-new session gets two more chances before it is believed.
MAX_SESSION_RENEWALS = 3


class IntacctClient:
    """A thread-safe client of the Intacct XML gateway (see docs/client-api.md)."""

    def __init__(self, config: ClientConfig, *, session: requests.Session | None = None) -> None:
        missing = config.missing_xml_settings()
        if missing:
            # Every XML request carries the sender credentials and the login the user's
            # password, so a REST-only configuration cannot drive this client.
            raise IntacctConfigurationError(
                f"the XML gateway needs the setting(s) {', '.join(missing)}, which are empty"
            )
        self.config = config
        for secret in config.secrets():
            register_secret(secret)
        self._owns_http = session is None
        self._http = session or new_http_session(config)
        self._meter = CallMeter()
        self._transport = Transport(
            config,
            self._http,
            Throttle(config.max_concurrent_requests, config.calls_per_second),
            self._meter,
        )
        self._sessions = SessionManager(self._login)
        self._formatting_lock = threading.Lock()
        self._formatting: UserFormatting | None = None

    # ------------------------------------------------------------------ metering
    @property
    def call_counts(self) -> dict[str, int]:
        """API calls per function name (each function of each request sent counts one)."""
        return self._meter.call_counts

    @property
    def request_count(self) -> int:
        """HTTP requests sent, including retries and getAPISession."""
        return self._meter.request_count

    @property
    def retry_count(self) -> int:
        """Requests sent again after a retryable failure, for logs and benchmarks."""
        return self._meter.retry_count

    @property
    def login_count(self) -> int:
        """How many sessions this client has obtained (getAPISession calls that worked)."""
        return self._sessions.logins

    def close(self) -> None:
        """Close the HTTP connection pool if this client created it; a passed-in pool stays open."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> IntacctClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ session
    def _login(self) -> ApiSession:
        config = self.config
        payload = {"locationid": config.entity_id} if config.entity_id else None
        function = Function("getAPISession", payload, controlid="getAPISession")
        sent_at = time.monotonic()
        # An incomplete answer raises (retryable) inside the send: see check_login_answer.
        parsed = self._send_with_login(function, check=check_login_answer)
        result = parsed.results[0]
        if not result.ok:
            # A refused getAPISession with its errors (e.g. an entity the user may not use).
            raise IntacctAuthenticationError(
                "getAPISession failed", errors=result.errors, function="getAPISession"
            )
        api = result.data[0]
        session_id = str(api.get("sessionid") or "").strip()
        register_secret(session_id)
        endpoint = str(api.get("endpoint") or "") or config.api_url
        duration = session_duration(parsed.authentication)
        location = str(api.get("locationid") or "")
        session_log.info(
            "obtained an API session%s; endpoint %s%s",
            f" for entity {location}" if location else "",
            endpoint,
            f"; timeout {duration:g}s" if duration else "",
        )
        return ApiSession(
            session_id=session_id,
            endpoint=endpoint,
            location_id=location,
            duration_s=duration,
            expires_at=sent_at + duration if duration else None,
        )

    # ------------------------------------------------------------------ execute
    def execute(
        self,
        functions: Sequence[Function],
        *,
        transaction: bool = False,
        unique_id: bool = False,
    ) -> list[FunctionResult]:
        """Send ``functions`` in one request; results come back in the same order.

        Function failures are returned, not raised. Read-only requests are retried;
        requests with writes only when ``unique_id`` is True. With ``unique_id`` a
        function answered "already executed" comes back as status "success",
        ``replayed=True`` and no data (see :class:`FunctionResult`).

        Args:
            functions: The functions to send, each with its own controlid.
            transaction: Ask the gateway to apply all functions or none.
            unique_id: Ask the gateway to refuse a controlid it has already executed,
                which makes a retried write safe.

        Returns:
            One result per function, in the order of ``functions``.

        Raises:
            IntacctError: The request failed as a whole (transport, control or
                authentication level) after the retries it was allowed.
        """
        functions = list(functions)
        if not functions:
            return []
        names = [function.name for function in functions]
        writes = any(not function.is_read for function in functions)
        retry_safe = not writes or unique_id
        config = self.config
        renewals = 0
        attempts = Attempts()
        session = self._sessions.current()
        while True:
            body = build_request(
                sender_id=config.sender_id,
                sender_password=config.sender_password,
                auth=SessionCredentials(session.session_id),
                functions=functions,
                transaction=transaction,
                unique_id=unique_id,
            )
            sent_at = time.monotonic()
            try:
                parsed = self._transport.send(
                    session.endpoint,
                    body,
                    names,
                    writes=writes,
                    retry_safe=retry_safe,
                    session_auth=True,
                    attempts=attempts,
                )
            except IntacctSessionExpiredError as refused:
                if renewals >= MAX_SESSION_RENEWALS:
                    # Refused on every session obtained after this request's first
                    # refusal: not an expiry a new login can cure.
                    self._sessions.invalidate(session)
                    raise IntacctSessionExpiredError(
                        "refused again with a session obtained after the first refusal "
                        f"({MAX_SESSION_RENEWALS} new sessions tried)",
                        errors=refused.errors,
                        level=refused.level,
                        http_status=refused.http_status,
                    ) from None
                # A request refused "Invalid session" was not executed: replaying it (same
                # controlids and uniqueid) is safe. Requests refused with the same session
                # share one login (see SessionManager.renew). A refusal on a session that
                # was just obtained waits a little first: a gateway node may not know the
                # new session yet.
                if renewals:
                    time.sleep(min(config.backoff_max, config.backoff_base * 2**renewals))
                session_log.info("API session invalid or expired; logging in again")
                session = self._sessions.renew(session)
                renewals += 1
                continue
            self._sessions.touch(session, sent_at, parsed.authentication)
            results = self._match_results(functions, parsed, unique_id)
            if transaction and unique_id and attempts.count > 1:
                results = _whole_transaction_replayed(results)
            return results

    @staticmethod
    def _match_results(
        functions: Sequence[Function], parsed: ParsedResponse, unique_id: bool
    ) -> list[FunctionResult]:
        by_controlid = {result.controlid: result for result in parsed.results}
        matched: list[FunctionResult] = []
        for function in functions:
            result = by_controlid.get(function.controlid)
            if result is None:
                result = FunctionResult(
                    controlid=function.controlid,
                    function=function.name,
                    status="failure",
                    errors=(
                        ErrorDetail(
                            errorno="CLIENT-MISSING-RESULT",
                            description2="The response has no result for this function.",
                        ),
                    ),
                )
            elif (
                unique_id
                and not function.is_read
                and result.status == "failure"
                and any(is_already_executed(error) for error in result.errors)
            ):
                client_log.info(
                    "function %s (controlid %s) was already executed: treated as applied",
                    function.name,
                    function.controlid,
                )
                result = dataclasses.replace(result, status="success", data=[], replayed=True)
            matched.append(result)
        return matched

    def execute_one(self, function: Function, **kwargs: Any) -> FunctionResult:
        """Execute a single function and return its result."""
        return self.execute([function], **kwargs)[0]

    # ------------------------------------------------------------------ metadata
    def list_objects(self) -> list[ObjectSummary]:
        """Every object type the company exposes (``inspect`` with object ``*``)."""
        result = self.execute_one(Function("inspect", {"object": "*"}))
        result.raise_for_status()
        return object_summaries(result.element)

    def lookup(self, object_name: str) -> ObjectDefinition:
        """The definition of one object (``lookup``): fields and relationships."""
        result = self.execute_one(Function("lookup", {"object": object_name}))
        result.raise_for_status()
        return object_definition(result.element, object_name)

    def _user_formatting(self) -> UserFormatting:
        """The user's preferences, read once (``readUserFormatting`` naming the user)."""
        with self._formatting_lock:
            if self._formatting is not None:
                return self._formatting
            # Transport/auth errors propagate (and nothing is cached): a silent fallback
            # after a transient failure would shift every timestamp.
            function = Function("readUserFormatting", {"userId": self.config.user_id})
            if self._sessions.has_session():
                result = self.execute_one(function)
            else:
                result = self._alongside_first_login(function)
            if result.ok and result.data:
                record = {str(k): str(v) for k, v in result.data[0].items() if v is not None}
                formatting = from_record(record)
            else:
                first = result.first_error
                client_log.warning(
                    "could not read the user's formatting preferences (%s)",
                    first.text if first else result.status,
                )
                formatting = UserFormatting(None, None, {})
            self._formatting = formatting
            return formatting

    def _alongside_first_login(self, function: Function) -> FunctionResult:
        """Run a read with login credentials while getAPISession runs, not after it.

        Before the first session exists, the two calls do not depend on each other:
        sending the read in its own login-authenticated request, concurrently with
        getAPISession (which stays alone in its request, as Intacct asks), saves one
        round trip at the start of every run.
        """
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="intacct-login-read") as pool:
            read = pool.submit(self._send_with_login, function)
            self._sessions.current()  # a failed login raises once the read has finished
            parsed = read.result()
        return self._match_results([function], parsed, unique_id=False)[0]

    def _send_with_login(
        self, function: Function, check: Callable[[ParsedResponse], None] | None = None
    ) -> ParsedResponse:
        """One read-only function in a request authenticated by the login credentials."""
        config = self.config
        body = build_request(
            sender_id=config.sender_id,
            sender_password=config.sender_password,
            auth=LoginCredentials(
                config.user_id, config.company_id, config.user_password, config.entity_id
            ),
            functions=[function],
        )
        return self._transport.send(
            config.api_url,
            body,
            [function.name],
            writes=False,
            retry_safe=True,
            session_auth=False,
            check=check,
        )

    def user_timezone(self) -> str:
        """Return the zone Intacct timestamps are written in.

        The ``timezone`` setting, else the user's
        ``gmtoffset`` as a fixed offset (``+09:30``). Raises UserFormattingError when
        neither is known: guessing would shift every timestamp and filter literal.
        """
        if self.config.timezone:
            return timezone_setting(self.config.timezone)
        return require_zone(self._user_formatting())

    def user_date_style(self) -> DateStyle:
        """Return how dates in answers are written.

        The ``date_format`` setting, else the
        user's ``dateformat`` preference. Raises UserFormattingError when unknown.
        """
        if self.config.date_format:
            return date_style(self.config.date_format)
        return require_date_style(self._user_formatting())

    def request_date_style(self) -> DateStyle:
        """Return how dates in requests are written.

        Applies to filters and create/update values: see `formatting.sending_style`.
        """
        return sending_style(self.user_date_style())

    def user_date_format(self) -> str:
        """The user's date format as a pattern, e.g. ``mm/dd/yyyy``."""
        style = self.user_date_style()
        names = {"d": "dd", "m": "mm", "y": "yyyy"}
        return style.separator.join(names[part] for part in style.order)

    # ------------------------------------------------------------------ reads
    def query(
        self,
        object_name: str,
        fields: Sequence[str],
        *,
        filter: Filter | None = None,
        order_by: Sequence[tuple[str, str]] = (),
        page_size: int = 2000,
        offset: int = 0,
        case_insensitive: bool = False,
        show_private: bool = True,
    ) -> QueryPage:
        """Read one page of a ``query``.

        Args:
            object_name: The object to read, e.g. ``VENDOR``.
            fields: The fields to select; at least one.
            filter: Rows to keep (see `intacct_client.filters`); dates and timestamps are
                rendered in the user's zone and date form.
            order_by: ``(field, "asc" | "desc")`` pairs.
            page_size: Rows per page, 1 to 2000.
            offset: Rows to skip under the same filter and order.
            case_insensitive: Compare text case-insensitively.
            show_private: Include records private to an entity (top-level sessions).

        Returns:
            The page's rows with ``total_count``, ``count`` and ``num_remaining``.

        Raises:
            ValueError: No field, a page size out of range or an unknown direction.
            IntacctFunctionError: The gateway refused the query (a subclass names the
                cause, e.g. IntacctUnqueryableFieldsError).
        """
        if not fields:
            raise ValueError("query needs at least one field")
        if not 1 <= page_size <= 2000:
            raise ValueError("query page_size must be between 1 and 2000")
        payload: list[tuple[str, Any]] = [
            ("object", object_name),
            ("select", {"field": list(fields)}),
        ]
        if filter is not None:
            rendered = (
                filter.render(self.user_timezone(), self.request_date_style())
                if filter.has_dates()
                else filter.render()
            )
            payload.append(("filter", RawXml(rendered)))
        if order_by:
            orders = []
            for field_name, direction in order_by:
                key = _ORDER.get(direction.lower())
                if key is None:
                    raise ValueError(f"order direction must be asc or desc, not {direction!r}")
                orders.append({"field": field_name, key: None})
            payload.append(("orderby", {"order": orders}))
        payload.append(
            ("options", {"caseinsensitive": case_insensitive, "showprivate": show_private})
        )
        payload.append(("pagesize", page_size))
        payload.append(("offset", offset))
        result = self.execute_one(Function("query", payload))
        result.raise_for_status()
        return QueryPage(
            records=result.data,
            total_count=result.int_attribute("totalcount", len(result.data)),
            offset=result.int_attribute("offset", offset),
            count=result.int_attribute("count", len(result.data)),
            num_remaining=result.int_attribute("numremaining"),
        )

    def read_by_query(
        self,
        object_name: str,
        query: str = "",
        *,
        fields: Sequence[str] | None = None,
        page_size: int = 1000,
    ) -> Iterator[list[Record]]:
        """Pages of a ``readByQuery``, following ``readMore`` with the resultId."""
        if not 1 <= page_size <= 1000:
            raise ValueError("readByQuery page_size must be between 1 and 1000")
        function = Function(
            "readByQuery",
            {
                "object": object_name,
                "fields": ",".join(fields) if fields else "*",
                "query": query,
                "pagesize": page_size,
            },
        )
        while True:
            result = self.execute_one(function)
            result.raise_for_status()
            yield result.data
            result_id = result.list_attributes.get("resultId", "")
            if result.int_attribute("numremaining") <= 0 or not result_id:
                return
            function = Function("readMore", {"resultId": result_id})

    def _read_keys(
        self,
        name: str,
        object_name: str,
        keys: Sequence[str | int],
        fields: Sequence[str] | None,
    ) -> list[Record]:
        keys = list(keys)
        if not keys:
            return []
        functions = [
            Function(
                name,
                {
                    "object": object_name,
                    "keys": ",".join(str(key) for key in keys[i : i + MAX_KEYS_PER_READ]),
                    "fields": ",".join(fields) if fields else "*",
                    "returnFormat": "xml",
                },
            )
            for i in range(0, len(keys), MAX_KEYS_PER_READ)
        ]
        records: list[Record] = []
        for result in self.execute(functions):
            result.raise_for_status()
            records.extend(result.data)
        return records

    def read(
        self,
        object_name: str,
        keys: Sequence[str | int],
        fields: Sequence[str] | None = None,
    ) -> list[Record]:
        """Records by RECORDNO (``read``, 100 keys per function, one request)."""
        return self._read_keys("read", object_name, keys, fields)

    def read_by_name(
        self,
        object_name: str,
        names: Sequence[str],
        fields: Sequence[str] | None = None,
    ) -> list[Record]:
        """Records by their ID field (``readByName``)."""
        return self._read_keys("readByName", object_name, names, fields)

    # ------------------------------------------------------------------ writes
    def create(
        self,
        records: Sequence[tuple[str, Mapping[str, Any]]],
        *,
        controlid: str | None = None,
        transaction: bool = False,
        unique_id: bool = False,
    ) -> FunctionResult:
        """One generic ``<create>`` holding several objects (possibly of several types)."""
        function = Function("create", list(records), controlid=controlid)
        return self.execute_one(function, transaction=transaction, unique_id=unique_id)

    def update(
        self,
        records: Sequence[tuple[str, Mapping[str, Any]]],
        *,
        controlid: str | None = None,
        transaction: bool = False,
        unique_id: bool = False,
    ) -> FunctionResult:
        """One generic ``<update>`` holding several objects."""
        function = Function("update", list(records), controlid=controlid)
        return self.execute_one(function, transaction=transaction, unique_id=unique_id)

    def delete(
        self,
        object_name: str,
        keys: Sequence[str | int],
        *,
        controlid: str | None = None,
        transaction: bool = False,
        unique_id: bool = False,
    ) -> FunctionResult:
        """Generic ``<delete>`` of records by RECORDNO."""
        function = Function(
            "delete",
            {"object": object_name, "keys": ",".join(str(key) for key in keys)},
            controlid=controlid,
        )
        return self.execute_one(function, transaction=transaction, unique_id=unique_id)


def _whole_transaction_replayed(results: list[FunctionResult]) -> list[FunctionResult]:
    """A retried transaction in which a function was "already executed" was committed.

    The earlier attempt of this same request (same functions, same controlids) reached
    the server and its transaction committed as a whole, so every function of it was
    applied; the ones reported "aborted" on the retry are applied too. Only valid for
    retries within one ``execute`` call, never across calls.
    """
    if not any(result.replayed for result in results):
        return results
    return [
        result
        if result.replayed or result.function in READ_FUNCTIONS
        else dataclasses.replace(result, status="success", data=[], replayed=True)
        for result in results
    ]
