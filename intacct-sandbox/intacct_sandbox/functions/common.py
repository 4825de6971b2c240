"""The function seam: call context, outcome, errors, and the handler registry.

The gateway half calls `execute_function(ctx, name, element)` (re-exported by
`intacct_sandbox.functions`) once per `<function>` child. Handler modules register
themselves by function element name:

    from intacct_sandbox.functions.common import register, CallContext, FunctionOutcome

    @register("create")
    def create(ctx: CallContext, element: Element) -> FunctionOutcome: ...

A handler may also `raise FunctionError(ErrorSpec(...), ...)` anywhere; it becomes a
`failure` outcome with those errors (specific error first, wrappers after - docs/protocol.md §3.5).
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

from intacct_sandbox.results import ResultStore

log = logging.getLogger(__name__)


@dataclass
class CallContext:
    """Everything a handler needs about the caller; the gateway owns the transaction."""

    conn: sqlite3.Connection
    company_id: str
    user_id: str
    user_recordno: int
    entity_id: str | None
    session_id: str
    now: datetime
    timezone: str
    permissions: frozenset[str]
    request_host: str
    result_store: ResultStore


@dataclass(frozen=True)
class ErrorSpec:
    """One `<error>`: all four children are always rendered (empty when unused)."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""


@dataclass
class FunctionOutcome:
    """What goes inside `<result>` after `<controlid>`."""

    status: str
    body: str = ""
    errors: list[ErrorSpec] = field(default_factory=list)
    writes: bool = False

    @classmethod
    def success(cls, body: str = "", *, writes: bool = False) -> FunctionOutcome:
        return cls("success", body, [], writes)

    @classmethod
    def failure(cls, *errors: ErrorSpec, body: str = "", writes: bool = False) -> FunctionOutcome:
        return cls("failure", body, list(errors), writes)


class FunctionError(Exception):
    """Raised by handlers to fail the function with these errors (first = most specific)."""

    def __init__(self, *errors: ErrorSpec, body: str = "") -> None:
        super().__init__(errors[0].description2 if errors else "function failed")
        self.errors = list(errors)
        self.body = body


Handler = Callable[[CallContext, Element], FunctionOutcome]
HANDLERS: dict[str, Handler] = {}


def register(*names: str) -> Callable[[Handler], Handler]:
    """Decorator: route the function element(s) `names` to this handler."""

    def decorate(handler: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = handler
        return handler

    return decorate


def support_id() -> str:
    """Opaque id in the style of Intacct's `[Support ID: ...]` suffix (URL-encoded look)."""
    return secrets.token_urlsafe(9).replace("-", "%7E").replace("_", "A")


def with_support_id(text: str) -> str:
    return f"{text} [Support ID: {support_id()}]"


# ---- error constructors shared by the read/meta/write handlers (docs/protocol.md §6.2) ----


def object_not_found(name: str, errorno: str = "XL03000009") -> ErrorSpec:
    """`Object definition X not found` (query: XL03000009; readByQuery: `Query Failed`)."""
    description = "There was an error processing the function" if errorno == "XL03000009" else ""
    return ErrorSpec(errorno, description, f"Object definition {name} not found", "")


def permission_denied(operation: str, object_name: str) -> ErrorSpec:
    """PL04000005; `operation` like READ_BY_QUERY, QUERY, READ; object lower-cased."""
    return ErrorSpec(
        "PL04000005",
        "Permission Denied",
        with_support_id(
            f"You do not have permission for API operation {operation} "
            f"on objects of type {object_name.lower()}"
        ),
        "",
    )


def fields_not_queryable(object_name: str, fields: list[str]) -> ErrorSpec:
    """XL03000006 with the exact list format TAP-style clients parse (docs/protocol.md §6.2)."""
    listed = ", ".join(fields)
    return ErrorSpec(
        "XL03000006",
        "",
        with_support_id(
            f"The following fields cannot be queried: [ {object_name.lower()}: [{listed}] ]"
        ),
        "",
    )


def generic_error(correction: str = "") -> ErrorSpec:
    """DL02000001: the gateway's catch-all for an invalid request (docs/protocol.md §6.2)."""
    return ErrorSpec(
        "DL02000001", "Error", "There was an error processing the request.", correction
    )


def execute_function(ctx: CallContext, name: str, element: Element) -> FunctionOutcome:
    """Run one function element; never raises for business errors."""
    handler = HANDLERS.get(name)
    if handler is None:
        return FunctionOutcome.failure(
            ErrorSpec(
                "XL03000003",
                "",
                f"XML Parse schema error: Element '{name}': This element is not expected. "
                f"[Support ID: {support_id()}]",
                "Check the function name against the API reference.",
            )
        )
    try:
        return handler(ctx, element)
    except FunctionError as exc:
        return FunctionOutcome.failure(*exc.errors, body=exc.body)
    except sqlite3.Error:
        log.exception("database error in function %s", name)
        return FunctionOutcome.failure(generic_error())


# ---- small element helpers for handlers ----


def child_text(element: Element, tag: str, default: str | None = None) -> str | None:
    """Text of the first child named `tag` (case-insensitive), stripped; default if absent."""
    wanted = tag.lower()
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() == wanted:
            return (child.text or "").strip()
    return default


def find_child(element: Element, tag: str) -> Element | None:
    wanted = tag.lower()
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() == wanted:
            return child
    return None


def parse_bool(text: str | None, default: bool = False) -> bool:
    """Intacct accepts true/false/True/False/1/0 (docs/protocol.md §2.2); empty means default."""
    if text is None or not text.strip():
        return default
    return text.strip().lower() in {"true", "1", "t", "yes"}
