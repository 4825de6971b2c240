"""One request on the wire: throttle, POST, classify, retry with backoff when safe."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import backoff
import requests
from requests.adapters import HTTPAdapter

from intacct_client.classify import interpret, transient_kind
from intacct_client.config import ClientConfig
from intacct_client.errors import IntacctError, IntacctTransportError
from intacct_client.parsing import ParsedResponse
from intacct_client.redaction import get_logger, redact
from intacct_client.throttle import CallMeter, Throttle

http_log = get_logger("intacct_client.http")

DEBUG_BODY_LIMIT = 20_000


@dataclass
class Attempts:
    """How many times requests of one logical call were sent (shared across retries)."""

    count: int = 0


def retry_after_seconds(header: str | None) -> float | None:
    """A ``Retry-After`` header in seconds (HTTP-date values are ignored)."""
    if not header:
        return None
    try:
        seconds = float(header.strip())
    except ValueError:
        return None
    return seconds if seconds > 0 else None


def full_jitter_waits(base: float, cap: float) -> Generator[float, Any, None]:
    """Backoff waits: uniform(0, min(cap, base * 2**n)), at least Retry-After (capped).

    The ``backoff`` library sends the caught exception into the generator, so a
    server's ``Retry-After`` (kept on the exception) can stretch the next wait.
    """
    exc = yield 0.0  # priming send(None) from backoff
    attempt = 0
    while True:
        wait = random.uniform(0, min(cap, base * 2**attempt))
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            wait = max(wait, min(cap, retry_after))
        attempt += 1
        exc = yield wait


def _summary(names: Sequence[str]) -> str:
    counts = Counter(names)
    return ", ".join(f"{name} x{n}" if n > 1 else name for name, n in counts.items())


class Transport:
    """Sends request bodies; retryable failures are retried only when ``retry_safe``.

    Every attempt is metered (each function of the request counts one call); every
    retry is logged at WARNING with the attempt number and the reason, never the body.
    """

    def __init__(
        self,
        config: ClientConfig,
        http: requests.Session,
        throttle: Throttle,
        meter: CallMeter,
    ) -> None:
        self._config = config
        self._http = http
        self._throttle = throttle
        self._meter = meter
        self._headers = {
            "Content-Type": "application/xml; charset=utf-8",
            "User-Agent": config.user_agent,
        }

    def send(
        self,
        url: str,
        body: str,
        names: Sequence[str],
        *,
        writes: bool,
        retry_safe: bool,
        session_auth: bool,
        attempts: Attempts | None = None,
        check: Callable[[ParsedResponse], None] | None = None,
    ) -> ParsedResponse:
        """Send one request, retrying retryable failures with backoff when safe.

        ``check`` may reject a parsed answer by raising (e.g. an incomplete login
        answer); its retryable errors are retried like any other.
        """
        summary = _summary(names)
        max_tries = self._config.max_retries + 1

        def on_backoff(details: Any) -> None:
            self._meter.record_retry()
            exc = details.get("exception")
            http_log.warning(
                "Intacct request (%s) failed on attempt %d of %d, retrying in %.2fs: %s",
                summary,
                details["tries"],
                max_tries,
                details["wait"],
                exc,
            )

        def on_giveup(details: Any) -> None:
            exc = details.get("exception")
            if isinstance(exc, IntacctError) and exc.retryable and details["tries"] > 1:
                http_log.warning(
                    "Intacct request (%s) failed after %d attempts, giving up: %s",
                    summary,
                    details["tries"],
                    exc,
                )

        def giveup(exc: Exception) -> bool:
            return not (isinstance(exc, IntacctError) and exc.retryable and retry_safe)

        send = backoff.on_exception(
            full_jitter_waits,
            IntacctError,
            max_tries=max_tries,
            giveup=giveup,
            jitter=None,  # full_jitter_waits draws its own jitter
            on_backoff=on_backoff,
            on_giveup=on_giveup,
            logger=None,
            base=self._config.backoff_base,
            cap=self._config.backoff_max,
        )(self._attempt)
        return send(
            url,
            body,
            names,
            writes=writes,
            retry_safe=retry_safe,
            session_auth=session_auth,
            attempts=attempts if attempts is not None else Attempts(),
            check=check,
        )

    def _attempt(
        self,
        url: str,
        body: str,
        names: Sequence[str],
        *,
        writes: bool,
        retry_safe: bool,
        session_auth: bool,
        attempts: Attempts,
        check: Callable[[ParsedResponse], None] | None,
    ) -> ParsedResponse:
        payload = body.encode("utf-8")
        if http_log.isEnabledFor(10):
            http_log.debug("request to %s: %s", url, redact(body))
        with self._throttle.slot():
            self._meter.record_request(names)
            attempts.count += 1
            started = time.monotonic()
            try:
                response = self._http.post(
                    url, data=payload, headers=self._headers, timeout=self._config.request_timeout
                )
                content = response.content
            except requests.Timeout:
                raise IntacctTransportError(
                    f"no answer within {self._config.request_timeout:g}s (timeout)"
                ) from None
            except requests.RequestException as exc:
                raise IntacctTransportError(
                    f"connection failed or dropped ({type(exc).__name__})"
                ) from None
        elapsed = time.monotonic() - started
        if http_log.isEnabledFor(10):
            text = content[:DEBUG_BODY_LIMIT].decode("utf-8", "replace")
            http_log.debug(
                "response HTTP %d in %.3fs (%d bytes): %s",
                response.status_code,
                elapsed,
                len(content),
                redact(text),
            )
        try:
            parsed = interpret(
                http_status=response.status_code,
                content_type=response.headers.get("Content-Type", ""),
                body=content,
                writes=writes,
                session_auth=session_auth,
            )
        except IntacctError as exc:
            exc.retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            raise
        if retry_safe:
            for result in parsed.results:
                kind = transient_kind(result.errors) if result.status != "success" else None
                if kind is not None:
                    raise kind(
                        errors=result.errors,
                        level="function",
                        function=result.function,
                        controlid=result.controlid,
                    )
        if check is not None:
            check(parsed)
        return parsed


def new_http_session(config: ClientConfig) -> requests.Session:
    """A connection pool sized to the requests the throttle lets through at once.

    Retries are the transport's own (backoff over classified failures), never urllib3's.
    """
    http = requests.Session()
    pool = max(config.max_concurrent_requests, 1)
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool, max_retries=0)
    http.mount("https://", adapter)
    http.mount("http://", adapter)
    http.headers.update({"Accept-Encoding": "gzip, deflate"})
    return http
