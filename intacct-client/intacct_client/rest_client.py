"""IntacctRestClient: tokens, throttling, retries and the query and model services.

The REST counterpart of `IntacctClient` for reads, with the same behaviour classes: the
same settings, throttle, call meter, retries and exceptions, and a ``query`` that takes
the same arguments and returns the same `QueryPage` (docs/client-api.md, "REST client").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import requests

from intacct_client.config import ClientConfig
from intacct_client.errors import IntacctConfigurationError, IntacctSessionExpiredError
from intacct_client.filters import Filter
from intacct_client.redaction import get_logger, register_secret
from intacct_client.rest_errors import rest_error
from intacct_client.rest_filters import translate
from intacct_client.rest_records import flatten_record
from intacct_client.rest_tokens import AccessToken, TokenManager
from intacct_client.rest_transport import RestCall, RestTransport
from intacct_client.results import QueryPage
from intacct_client.throttle import CallMeter, Throttle
from intacct_client.transport import new_http_session

log = get_logger("intacct_client.rest_client")

MAX_PAGE_SIZE = 4000
# New tokens one request may use after its first 401 before the refusal ends the call
# (as MAX_SESSION_RENEWALS for the XML client's sessions).
MAX_TOKEN_RENEWALS = 3
_DIRECTIONS = {"asc": "asc", "ascending": "asc", "desc": "desc", "descending": "desc"}


class IntacctRestClient:
    """A thread-safe client of Intacct's REST API (see docs/client-api.md)."""

    def __init__(self, config: ClientConfig, *, session: requests.Session | None = None) -> None:
        """Check the REST settings; no request is sent until the first call.

        Raises:
            IntacctConfigurationError: ``client_id`` or ``client_secret`` is empty.
        """
        missing = config.missing_rest_settings()
        if missing:
            raise IntacctConfigurationError(
                f"the REST API needs the setting(s) {', '.join(missing)}, which are empty"
            )
        self.config = config
        for secret in config.secrets():
            register_secret(secret)
        self._root = config.rest_api_url.rstrip("/")
        self._owns_http = session is None
        self._http = session or new_http_session(config)
        self._meter = CallMeter()
        self._transport = RestTransport(
            config,
            self._http,
            Throttle(config.max_concurrent_requests, config.calls_per_second),
            self._meter,
        )
        self._tokens = TokenManager(config, self._transport)

    # ------------------------------------------------------------------ metering
    @property
    def call_counts(self) -> dict[str, int]:
        """Requests per operation: ``rest:token``, ``rest:query``, ``rest:model``."""
        return self._meter.call_counts

    @property
    def request_count(self) -> int:
        """HTTP requests sent, including retries and token requests."""
        return self._meter.request_count

    @property
    def retry_count(self) -> int:
        """Requests sent again after a retryable failure."""
        return self._meter.retry_count

    @property
    def token_count(self) -> int:
        """Access tokens obtained (client-credentials grants plus refreshes)."""
        return self._tokens.grants + self._tokens.refreshes

    def close(self) -> None:
        """Close the HTTP connection pool if this client created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> IntacctRestClient:
        """Use the client in a ``with`` block that closes it."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the client."""
        self.close()

    # ------------------------------------------------------------------ requests
    def _call(
        self,
        method: str,
        path: str,
        operation: str,
        *,
        json_body: Any = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        """Send one authenticated request; a 401 renews the token and replays it.

        Raises:
            IntacctSessionExpiredError: Still refused after ``MAX_TOKEN_RENEWALS`` tokens.
            IntacctError: Any other failure (see `rest_errors.rest_error`).
        """
        url = f"{self._root}{path}"
        token: AccessToken = self._tokens.current()
        renewals = 0
        while True:
            answer = self._transport.send(
                RestCall(
                    method, url, operation, json_body=json_body, bearer=token.value, params=params
                )
            )
            if 200 <= answer.status < 300:
                return answer.payload
            error = rest_error(answer.status, answer.payload, operation)
            if not isinstance(error, IntacctSessionExpiredError):
                raise error
            if renewals >= MAX_TOKEN_RENEWALS:
                raise IntacctSessionExpiredError(
                    f"refused again with a token obtained after the first refusal "
                    f"({MAX_TOKEN_RENEWALS} new tokens tried)",
                    errors=error.errors,
                    http_status=answer.status,
                    function=operation,
                )
            # A request refused for its token was not run: replaying it is safe. Requests
            # refused with the same token share one renewal (TokenManager.renew).
            token = self._tokens.renew(token)
            renewals += 1

    # ------------------------------------------------------------------ metadata
    def model(self, name: str | None = None) -> Any:
        """The model service's ``ia::result``: one object's description, or the object list.

        Args:
            name: A REST object name such as ``accounts-payable/vendor``; None lists objects.

        Returns:
            The description (a dict) of ``name``, or the list of objects without one.
        """
        params = {"name": name} if name else None
        payload = self._call("GET", "/services/core/model", "rest:model", params=params)
        return payload.get("ia::result") if isinstance(payload, dict) else None

    def list_rest_objects(self) -> list[str]:
        """The names of every object the model service lists (``apiObject``)."""
        listing = self.model()
        return [
            str(item["apiObject"])
            for item in listing or []
            if isinstance(item, dict) and item.get("apiObject")
        ]

    # ------------------------------------------------------------------ reads
    def query(
        self,
        object_name: str,
        fields: Sequence[str],
        *,
        filter: Filter | None = None,
        order_by: Sequence[tuple[str, str]] = (),
        page_size: int = MAX_PAGE_SIZE,
        offset: int = 0,
        case_insensitive: bool = False,
        show_private: bool = True,
    ) -> QueryPage:
        """One page of the query service, as `IntacctClient.query` returns one.

        Args:
            object_name: A REST object, e.g. ``accounts-payable/vendor``.
            fields: REST field paths to select (``id``, ``vendor.id``); at least one.
            filter: Rows to keep, built with `intacct_client.filters` on REST field names.
            order_by: ``(field, "asc" | "desc")`` pairs.
            page_size: Rows asked for, 1 to 4000; the server may answer fewer.
            offset: Rows to skip (0-based) under the same filter and order.
            case_insensitive: Compare text case-insensitively.
            show_private: Include records private to an entity (``includePrivate``).

        Returns:
            Flat records (dotted keys, values as the JSON gave them) with the counts
            taken from the answer's ``ia::meta``.

        Raises:
            ValueError: No field, a page size or offset out of range, an unknown
                direction, or a filter the REST API cannot express.
            IntacctUnqueryableFieldsError: A field the object does not have.
            IntacctFunctionError: The query was refused (a subclass names the cause).
        """
        body = self._query_body(
            object_name,
            fields,
            filter=filter,
            order_by=order_by,
            page_size=page_size,
            offset=offset,
            case_insensitive=case_insensitive,
            show_private=show_private,
        )
        return _page(self._post_query(body), offset)

    def _post_query(self, body: dict[str, Any]) -> Any:
        """One query-service call (one metered `rest:query`)."""
        return self._call("POST", "/services/core/query", "rest:query", json_body=body)

    def query_pages(
        self,
        object_name: str,
        fields: Sequence[str],
        *,
        filter: Filter | None = None,
        order_by: Sequence[tuple[str, str]] = (),
        page_size: int = MAX_PAGE_SIZE,
        case_insensitive: bool = False,
        show_private: bool = True,
    ) -> Iterator[QueryPage]:
        """Every page of a query, each starting where the server says the last ended.

        The next page's start is the answer's ``ia::meta.next``, never the size asked
        for, so a server that serves fewer rows than asked is followed correctly.
        """
        body = self._query_body(
            object_name,
            fields,
            filter=filter,
            order_by=order_by,
            page_size=page_size,
            offset=0,
            case_insensitive=case_insensitive,
            show_private=show_private,
        )
        offset = 0
        while True:
            payload = self._post_query({**body, "start": offset + 1})
            page = _page(payload, offset)
            yield page
            following = _next_start(payload)
            if following is None or not page.records or following - 1 <= offset:
                return
            offset = following - 1

    @staticmethod
    def _query_body(
        object_name: str,
        fields: Sequence[str],
        *,
        filter: Filter | None,
        order_by: Sequence[tuple[str, str]],
        page_size: int,
        offset: int,
        case_insensitive: bool,
        show_private: bool,
    ) -> dict[str, Any]:
        if not fields:
            raise ValueError("query needs at least one field")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"query page_size must be between 1 and {MAX_PAGE_SIZE}")
        if offset < 0:
            raise ValueError("query offset must be 0 or more")
        body: dict[str, Any] = {"object": object_name, "fields": list(fields)}
        if filter is not None:
            rest = translate(filter)
            body["filters"] = rest.filters
            body["filterExpression"] = rest.expression
        body["filterParameters"] = {
            "includePrivate": show_private,
            "caseSensitiveComparison": not case_insensitive,
        }
        if order_by:
            orders = []
            for field_name, direction in order_by:
                key = _DIRECTIONS.get(direction.lower())
                if key is None:
                    raise ValueError(f"order direction must be asc or desc, not {direction!r}")
                orders.append({field_name: key})
            body["orderBy"] = orders
        body["start"] = offset + 1
        body["size"] = page_size
        return body


def _meta(payload: Any) -> dict[str, Any]:
    meta = payload.get("ia::meta") if isinstance(payload, dict) else None
    return meta if isinstance(meta, dict) else {}


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _next_start(payload: Any) -> int | None:
    following = _meta(payload).get("next")
    return None if following is None else _int(following, 0) or None


def _page(payload: Any, offset: int) -> QueryPage:
    """A `QueryPage` from a query answer: flat records, counts from ``ia::meta``."""
    rows = payload.get("ia::result") if isinstance(payload, dict) else None
    records = [flatten_record(row) for row in rows or [] if isinstance(row, dict)]
    meta = _meta(payload)
    start = _int(meta.get("start"), offset + 1)
    first = max(start - 1, 0)
    total = _int(meta.get("totalCount"), first + len(records))
    return QueryPage(
        records=records,
        total_count=total,
        offset=first,
        count=len(records),
        num_remaining=max(total - first - len(records), 0),
    )
