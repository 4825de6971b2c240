"""Fault injection queue and the per-company concurrency limit.

Faults are queued through the control API and consumed by the XML requests they match
(on function name and/or object name; null matches anything), `count` times each.
`expire_session` matches only a request that carries a live session id: it expires that
session on the server, as a real timeout does, so one use refuses every request still
carrying the id while requests with another session are unaffected.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from intacct_sandbox.envelope import FunctionCall

FAULT_KINDS = frozenset(
    {
        "http_429",
        "http_500",
        "http_502",
        "http_503",
        "http_524",
        "html_error_page",
        "malformed_xml",
        "slow",
        "drop_connection",
        "session_expired",
        "expire_session",
        "concurrency_limit",
        "commit_then_drop",
        "acknowledgement_only",
    }
)

# Kinds that act on the session a request carries (a login request has none to expire).
NEEDS_LIVE_SESSION = frozenset({"expire_session"})


@dataclass
class Fault:
    kind: str
    remaining: int
    function: str | None = None
    object: str | None = None
    delay_s: float = 0.0
    # Digests of the sessions this fault expired: later requests carrying one of them are
    # refused by the gateway's own session check and must not use up the fault again.
    hit: set[str] = field(default_factory=set, repr=False)

    def matches(self, calls: Sequence[FunctionCall], session_key: str | None = None) -> bool:
        if self.kind in NEEDS_LIVE_SESSION and (session_key is None or session_key in self.hit):
            return False
        if self.function is None and self.object is None:
            return True
        for call in calls:
            if self.function is not None and call.name.lower() != self.function.lower():
                continue
            if self.object is not None and self.object.upper() not in call.object_names:
                continue
            return True
        return False


class FaultQueue:
    """Thread-safe FIFO of faults; `take` consumes one use of the first match."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: dict[str, Any]) -> Fault:
        kind = spec.get("kind")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        count = int(spec.get("count") or 1)
        if count < 1:
            raise ValueError("count must be >= 1")
        fault = Fault(
            kind=str(kind),
            remaining=count,
            function=spec.get("function") or None,
            object=spec.get("object") or None,
            delay_s=float(spec.get("delay_s") or 0.0),
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, calls: Sequence[FunctionCall], session_key: str | None = None) -> Fault | None:
        """Consume one use of the first fault matching these calls.

        ``session_key`` identifies the live session the request carries (None: a login
        request, or a session that is unknown or expired already).
        """
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(calls, session_key):
                    if session_key is not None and fault.kind in NEEDS_LIVE_SESSION:
                        fault.hit.add(session_key)
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        del self._faults[index]
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {
                    "kind": f.kind,
                    "remaining": f.remaining,
                    "function": f.function,
                    "object": f.object,
                    "delay_s": f.delay_s,
                }
                for f in self._faults
            ]


class ConcurrencyLimiter:
    """At most `limit` in-flight XML requests per company (0 or less = unlimited)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}

    def try_acquire(self, key: str) -> bool:
        with self._lock:
            current = self._in_flight.get(key, 0)
            if self.limit > 0 and current >= self.limit:
                return False
            self._in_flight[key] = current + 1
            return True

    def release(self, key: str) -> None:
        with self._lock:
            current = self._in_flight.get(key, 0) - 1
            if current <= 0:
                self._in_flight.pop(key, None)
            else:
                self._in_flight[key] = current
