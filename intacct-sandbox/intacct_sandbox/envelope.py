"""Request envelope parsing (safe) and response envelope rendering (three failure levels).

Parsing refuses DOCTYPE and entity declarations (defusedxml). Rendering builds strings
directly: the function bodies from the data half are already XML fragments, so large
pages are joined, never re-parsed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import unquote_to_bytes

import defusedxml
from defusedxml import ElementTree as SafeET

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")
_TRUE = {"true", "1", "t", "yes"}
_TEXT_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#039;", '"': "&quot;"}
)


class EnvelopeError(Exception):
    """The request is not a usable Intacct envelope (answered with XL03000003)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ErrorLike(Protocol):
    """Anything with the four <error> fields (gateway errors and the data half's ErrorSpec)."""

    @property
    def errorno(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def description2(self) -> str: ...
    @property
    def correction(self) -> str: ...


@dataclass
class ControlBlock:
    senderid: str = ""
    password: str = field(default="", repr=False)
    controlid: str = ""
    uniqueid_text: str | None = None
    dtdversion: str = ""
    includewhitespace: bool = True
    policyid: str = ""

    @property
    def uniqueid(self) -> bool:
        """Documented default is true when the element is absent (docs/protocol.md §2.2)."""
        if self.uniqueid_text is None:
            return True
        return self.uniqueid_text.strip().lower() in _TRUE


@dataclass
class Login:
    userid: str
    companyid: str
    password: str = field(repr=False)
    locationid: str | None
    clientid: str | None


@dataclass
class FunctionCall:
    controlid: str
    name: str
    element: ET.Element
    object_names: tuple[str, ...]


@dataclass
class Operation:
    transaction: bool
    login: Login | None
    sessionid: str | None = field(repr=False)
    functions: list[FunctionCall]


@dataclass
class Request:
    control: ControlBlock
    operations: list[Operation]


# --------------------------------------------------------------------------- parsing


def extract_xml(body: bytes) -> bytes:
    """The XML document of a POST body: raw XML, or the `xmlrequest=` form field."""
    stripped = body.lstrip()
    if stripped.startswith(b"<"):
        return stripped
    for part in stripped.split(b"&"):
        key, _, value = part.partition(b"=")
        if key.strip() == b"xmlrequest":
            return unquote_to_bytes(value.replace(b"+", b" ")).lstrip()
    return stripped


def parse_document(xml: bytes) -> ET.Element:
    """Parse with DTDs and entities forbidden; fall back to latin-1 for mislabelled bodies."""
    try:
        return _safe_fromstring(xml)
    except ET.ParseError as exc:
        try:
            xml.decode("utf-8")
        except UnicodeDecodeError:
            text = _XML_DECL.sub(b"", xml, count=1).decode("latin-1")
            try:
                return _safe_fromstring(text)
            except ET.ParseError as retry_exc:
                raise EnvelopeError(_expat_detail(retry_exc)) from None
        raise EnvelopeError(_expat_detail(exc)) from None


def _safe_fromstring(xml: bytes | str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(
            xml, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DTDForbidden:
        raise EnvelopeError("DOCTYPE declarations are not allowed.") from None
    except defusedxml.EntitiesForbidden:
        raise EnvelopeError("Entity declarations are not allowed.") from None
    except defusedxml.ExternalReferenceForbidden:
        raise EnvelopeError("External references are not allowed.") from None
    except defusedxml.DefusedXmlException:
        raise EnvelopeError("Forbidden XML construct.") from None
    return root


def _expat_detail(exc: ET.ParseError) -> str:
    line, column = getattr(exc, "position", (0, 0))
    message = str(exc).split(":", 1)[0]
    return f"Fatal Error: {message}. Line: {line}, column: {column}."


def _text(parent: ET.Element, tag: str) -> str | None:
    child = parent.find(tag)
    if child is None:
        return None
    return (child.text or "").strip()


def _required(parent: ET.Element, tag: str) -> str:
    value = _text(parent, tag)
    if value is None:
        raise EnvelopeError(
            f"Element '{parent.tag}': Missing child element(s). Expected is ( {tag} )."
        )
    return value


def parse_request(body: bytes) -> Request:
    """Parse a POST body into the control block and its operations."""
    root = parse_document(extract_xml(body))
    if root.tag != "request":
        raise EnvelopeError(f"Element '{root.tag}': No matching global declaration available.")
    control_el = root.find("control")
    if control_el is None:
        raise EnvelopeError("Element 'request': Missing child element(s). Expected is ( control ).")
    whitespace = _text(control_el, "includewhitespace")
    control = ControlBlock(
        senderid=_text(control_el, "senderid") or "",
        password=_text(control_el, "password") or "",
        controlid=_text(control_el, "controlid") or "",
        uniqueid_text=_text(control_el, "uniqueid"),
        dtdversion=_text(control_el, "dtdversion") or "",
        includewhitespace=True if whitespace is None else whitespace.lower() in _TRUE,
        policyid=_text(control_el, "policyid") or "",
    )
    for tag in ("senderid", "password", "controlid", "dtdversion"):
        _required(control_el, tag)
    operations = [_parse_operation(op) for op in root.findall("operation")]
    if not operations:
        raise EnvelopeError(
            "Element 'request': Missing child element(s). Expected is ( operation )."
        )
    return Request(control=control, operations=operations)


def _parse_operation(op: ET.Element) -> Operation:
    transaction = (op.get("transaction") or "false").strip().lower() in _TRUE
    auth = op.find("authentication")
    if auth is None:
        raise EnvelopeError(
            "Element 'operation': Missing child element(s). Expected is ( authentication )."
        )
    login_el = auth.find("login")
    login: Login | None = None
    sessionid: str | None = None
    if login_el is not None:
        login = Login(
            userid=_required(login_el, "userid"),
            companyid=_required(login_el, "companyid"),
            password=_required(login_el, "password"),
            locationid=_text(login_el, "locationid") or None,
            clientid=_text(login_el, "clientid") or None,
        )
    else:
        sessionid = _text(auth, "sessionid")
        if sessionid is None:
            raise EnvelopeError(
                "Element 'authentication': Missing child element(s). "
                "Expected is one of ( login, sessionid )."
            )
    functions: list[FunctionCall] = []
    for content in op.findall("content"):
        for fn in content:
            if fn.tag != "function":
                raise EnvelopeError(f"Element '{fn.tag}': This element is not expected.")
            controlid = fn.get("controlid")
            if controlid is None:
                raise EnvelopeError(
                    "Element 'function': The attribute 'controlid' is required but missing."
                )
            children = list(fn)
            if len(children) != 1:
                raise EnvelopeError("Element 'function': Expected exactly one function element.")
            element = children[0]
            functions.append(
                FunctionCall(controlid, element.tag, element, function_objects(element))
            )
    return Operation(transaction, login, sessionid, functions)


def function_objects(element: ET.Element) -> tuple[str, ...]:
    """Object names a function touches: its <object> child, else its record children."""
    obj = element.find("object")
    if obj is not None and obj.text:
        return (obj.text.strip().upper(),)
    if element.tag in {"create", "update", "delete"}:
        return tuple(dict.fromkeys(child.tag.upper() for child in element))
    return ()


# --------------------------------------------------------------------------- rendering


def escape(value: Any) -> str:
    """XML text escape in Intacct's style (apostrophes as &#039;)."""
    return str(value).translate(_TEXT_ESCAPES)


class Writer:
    """Collects response pieces; indents the envelope when includewhitespace is true."""

    def __init__(self, pretty: bool) -> None:
        self.pretty = pretty
        self.parts: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']

    def _nl(self, depth: int) -> str:
        return "\n" + "  " * depth if self.pretty else ""

    def open(self, tag: str, depth: int) -> None:
        self.parts.append(f"{self._nl(depth)}<{tag}>")

    def close(self, tag: str, depth: int) -> None:
        self.parts.append(f"{self._nl(depth)}</{tag}>")

    def leaf(self, tag: str, value: Any, depth: int) -> None:
        self.parts.append(f"{self._nl(depth)}<{tag}>{escape(value)}</{tag}>")

    def raw(self, fragment: str, depth: int) -> None:
        if fragment:  # appended apart: a query page is megabytes, not worth copying twice
            self.parts.append(self._nl(depth))
            self.parts.append(fragment)

    def errors(self, errors: Iterable[ErrorLike], depth: int) -> None:
        self.open("errormessage", depth)
        for error in errors:
            self.open("error", depth + 1)
            self.leaf("errorno", error.errorno, depth + 2)
            self.leaf("description", error.description or "", depth + 2)
            self.leaf("description2", error.description2 or "", depth + 2)
            self.leaf("correction", error.correction or "", depth + 2)
            self.close("error", depth + 1)
        self.close("errormessage", depth)

    def encode(self) -> bytes:
        if self.pretty:
            self.parts.append("\n")
        return "".join(self.parts).encode("utf-8")


def control_block(w: Writer, control: ControlBlock | None, status: str) -> None:
    """<control> with status and the echoed fields (empty when the request was unreadable)."""
    c = control or ControlBlock()
    w.open("control", 1)
    w.leaf("status", status, 2)
    w.leaf("senderid", c.senderid, 2)
    w.leaf("controlid", c.controlid, 2)
    w.leaf("uniqueid", c.uniqueid_text if c.uniqueid_text is not None else "true", 2)
    w.leaf("dtdversion", c.dtdversion, 2)
    w.close("control", 1)


def render_control_failure(
    control: ControlBlock | None, errors: Sequence[ErrorLike], pretty: bool = True
) -> bytes:
    """Section 3.2: control failure, errormessage sibling of control, no operation."""
    w = Writer(pretty)
    w.open("response", 0)
    control_block(w, control, "failure")
    w.errors(errors, 1)
    w.close("response", 0)
    return w.encode()


def render_gateway_failure(errorno: str, description: str) -> bytes:
    """Section 3.3: non-200 gateway answer, control has only status, a single error."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<response>\n'
        "  <control>\n    <status>failure</status>\n  </control>\n"
        "  <errormessage>\n    <error>\n"
        f"      <errorno>{escape(errorno)}</errorno>\n"
        f"      <description>{escape(description)}</description>\n"
        "    </error>\n  </errormessage>\n</response>\n"
    ).encode()


@dataclass
class AuthSummary:
    """What <authentication> shows: success carries session times, failure echoes ids."""

    status: str
    userid: str
    companyid: str
    locationid: str | None = ""
    sessiontimestamp: str | None = None
    sessiontimeout: str | None = None
    errors: Sequence[ErrorLike] = ()


@dataclass
class ResultBlock:
    status: str
    function: str
    controlid: str
    body: str = ""
    errors: Sequence[ErrorLike] = ()


@dataclass
class OperationBlock:
    auth: AuthSummary
    results: list[ResultBlock] = field(default_factory=list)


def render_response(control: ControlBlock, operations: Sequence[OperationBlock]) -> bytes:
    """Control success with one <operation> per request operation (sections 3.1, 3.4, 3.5)."""
    w = Writer(control.includewhitespace)
    w.open("response", 0)
    control_block(w, control, "success")
    for op in operations:
        w.open("operation", 1)
        auth = op.auth
        w.open("authentication", 2)
        w.leaf("status", auth.status, 3)
        w.leaf("userid", auth.userid, 3)
        w.leaf("companyid", auth.companyid, 3)
        if auth.locationid is not None:
            w.leaf("locationid", auth.locationid, 3)
        if auth.sessiontimestamp is not None:
            w.leaf("sessiontimestamp", auth.sessiontimestamp, 3)
        if auth.sessiontimeout is not None:
            w.leaf("sessiontimeout", auth.sessiontimeout, 3)
        w.close("authentication", 2)
        if auth.status != "success":
            w.errors(auth.errors, 2)
        for result in op.results:
            w.open("result", 2)
            w.leaf("status", result.status, 3)
            w.leaf("function", result.function, 3)
            w.leaf("controlid", result.controlid, 3)
            w.raw(result.body, 3)
            if result.errors:
                w.errors(result.errors, 3)
            w.close("result", 2)
        w.close("operation", 1)
    w.close("response", 0)
    return w.encode()
