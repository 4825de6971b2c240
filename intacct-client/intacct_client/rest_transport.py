"""One REST request on the wire: throttle, send, classify, retry with backoff.

Retried (up to ``max_retries``, full-jitter backoff, at least ``Retry-After``): 429,
5xx and Cloudflare's 52x, a success answer whose body is not JSON (an HTML page, a cut
body), and dropped or timed-out connections. Every other answer is handed back with its status for
the caller to map (`rest_errors.rest_error`). Only reads go through here, so every
request is safe to repeat.

DEBUG logging shows method, URL and bodies with the ``Authorization`` header masked;
token-endpoint bodies (client secret, tokens) are never logged at all.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import backoff
import requests

from intacct_client.config import ClientConfig
from intacct_client.errors import IntacctError, IntacctRateLimitError, IntacctTransportError
from intacct_client.redaction import get_logger, redact
from intacct_client.rest_errors import error_details
from intacct_client.throttle import CallMeter, Throttle
from intacct_client.transport import DEBUG_BODY_LIMIT, full_jitter_waits, retry_after_seconds

http_log = get_logger("intacct_client.rest_http")

_DEBUG = 10


@dataclass(frozen=True)
class RestAnswer:
    """A final (not retried) answer: HTTP status and the decoded JSON body."""

    status: int
    payload: Any


@dataclass(frozen=True)
class RestCall:
    """What to send: method, URL, body, the operation name it is metered under."""

    method: str
    url: str
    operation: str
    json_body: Any = None
    form: dict[str, str] | None = None
    bearer: str | None = None
    params: dict[str, str] | None = None


class RestTransport:
    """Sends `RestCall`s through the shared throttle and meter, retrying what may pass."""

    def __init__(
        self, config: ClientConfig, http: requests.Session, throttle: Throttle, meter: CallMeter
    ) -> None:
        self._config = config
        self._http = http
        self._throttle = throttle
        self._meter = meter

    def send(self, call: RestCall) -> RestAnswer:
        """Send ``call``; retryable failures are retried, the last one raised.

        Raises:
            IntacctTransportError: No usable answer after every retry.
            IntacctRateLimitError: Still 429 after every retry.
        """
        max_tries = self._config.max_retries + 1

        def on_backoff(details: Any) -> None:
            self._meter.record_retry()
            http_log.warning(
                "Intacct REST %s failed on attempt %d of %d, retrying in %.2fs: %s",
                call.operation,
                details["tries"],
                max_tries,
                details["wait"],
                details.get("exception"),
            )

        def on_giveup(details: Any) -> None:
            exc = details.get("exception")
            if isinstance(exc, IntacctError) and exc.retryable and details["tries"] > 1:
                http_log.warning(
                    "Intacct REST %s failed after %d attempts, giving up: %s",
                    call.operation,
                    details["tries"],
                    exc,
                )

        send = backoff.on_exception(
            full_jitter_waits,
            IntacctError,
            max_tries=max_tries,
            giveup=lambda exc: not (isinstance(exc, IntacctError) and exc.retryable),
            jitter=None,
            on_backoff=on_backoff,
            on_giveup=on_giveup,
            logger=None,
            base=self._config.backoff_base,
            cap=self._config.backoff_max,
        )(self._attempt)
        answer: RestAnswer = send(call)
        return answer

    def _headers(self, call: RestCall) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": self._config.user_agent}
        if call.bearer:
            headers["Authorization"] = f"Bearer {call.bearer}"
        return headers

    def _log_request(self, call: RestCall) -> None:
        if call.form is not None:
            # The token endpoint: only the grant type, never a secret or token.
            body = f"form grant_type={call.form.get('grant_type', '')} (credentials withheld)"
        elif call.json_body is not None:
            body = redact(json.dumps(call.json_body)[:DEBUG_BODY_LIMIT])
        else:
            body = "(no body)"
        auth = "Authorization: Bearer ***" if call.bearer else "no Authorization"
        http_log.debug(
            "REST %s %s %s; %s; %s", call.method, call.url, call.params or "", auth, body
        )

    def _attempt(self, call: RestCall) -> RestAnswer:
        if http_log.isEnabledFor(_DEBUG):
            self._log_request(call)
        with self._throttle.slot():
            self._meter.record_request([call.operation])
            started = time.monotonic()
            try:
                response = self._http.request(
                    call.method,
                    call.url,
                    json=call.json_body,
                    data=call.form,
                    params=call.params,
                    headers=self._headers(call),
                    timeout=self._config.request_timeout,
                )
                content = response.content
            except requests.Timeout:
                raise IntacctTransportError(
                    f"no answer within {self._config.request_timeout:g}s (timeout)",
                    function=call.operation,
                ) from None
            except requests.RequestException as exc:
                raise IntacctTransportError(
                    f"connection failed or dropped ({type(exc).__name__})",
                    function=call.operation,
                ) from None
        status = response.status_code
        if http_log.isEnabledFor(_DEBUG):
            shown = (
                "(token answer withheld)"
                if call.form is not None
                else redact(content[:DEBUG_BODY_LIMIT].decode("utf-8", "replace"))
            )
            http_log.debug(
                "REST answer HTTP %d in %.3fs (%d bytes): %s",
                status,
                time.monotonic() - started,
                len(content),
                shown,
            )
        return self._classify(call, response, status, content)

    @staticmethod
    def _classify(
        call: RestCall, response: requests.Response, status: int, content: bytes
    ) -> RestAnswer:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        payload: Any = None
        parse_error = False
        if content.strip():
            try:
                # Decimal, not float: amounts answered as JSON numbers keep every digit.
                payload = json.loads(content, parse_float=Decimal)
            except ValueError:
                parse_error = True
        if status == 429:
            exc: IntacctError = IntacctRateLimitError(
                "too many requests",
                errors=error_details(payload),
                http_status=status,
                function=call.operation,
            )
        elif status >= 500 or status == 0:
            exc = IntacctTransportError(
                "server error",
                errors=error_details(payload),
                http_status=status,
                function=call.operation,
            )
        elif 200 <= status < 300 and (parse_error or (payload is None and status != 204)):
            content_type = response.headers.get("Content-Type", "")
            exc = IntacctTransportError(
                f"the answer is not JSON (Content-Type {content_type or 'none'}, "
                f"{len(content)} bytes)",
                http_status=status,
                function=call.operation,
            )
        else:
            return RestAnswer(status, payload)
        exc.retry_after = retry_after
        raise exc
