"""Turn a response document into plain data: control, authentication, results.

Parsing is separate from classification (:mod:`intacct_client.classify`): this module
only reads what the gateway said, for every response shape in docs/protocol.md §3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from intacct_client.errors import ErrorDetail
from intacct_client.results import FunctionResult, Record


@dataclass(frozen=True)
class AuthenticationInfo:
    """``<operation><authentication>`` of a response."""

    status: str
    userid: str = ""
    companyid: str = ""
    locationid: str = ""
    sessiontimestamp: str = ""
    sessiontimeout: str = ""


@dataclass(frozen=True)
class ParsedResponse:
    """Everything a response document says, before any decision is taken."""

    control_status: str
    control_errors: tuple[ErrorDetail, ...] = ()
    authentication: AuthenticationInfo | None = None
    operation_errors: tuple[ErrorDetail, ...] = ()
    results: list[FunctionResult] = field(default_factory=list)
    acknowledgement: str | None = None

    @property
    def errors(self) -> tuple[ErrorDetail, ...]:
        """Control-level errors followed by operation-level errors."""
        return self.control_errors + self.operation_errors


def _text(parent: Element | None, tag: str) -> str:
    if parent is None:
        return ""
    child = parent.find(tag)
    if child is None or child.text is None:
        return ""
    return child.text.strip()


def parse_errors(errormessage: Element | None) -> tuple[ErrorDetail, ...]:
    """Every ``<error>`` of an ``<errormessage>``, in order."""
    if errormessage is None:
        return ()
    return tuple(
        ErrorDetail(
            errorno=_text(error, "errorno"),
            description=_text(error, "description"),
            description2=_text(error, "description2"),
            correction=_text(error, "correction"),
        )
        for error in errormessage.iter("error")
    )


def element_value(element: Element) -> Any:
    """Leaf -> its text (None when empty); container -> dict (repeated tags -> list)."""
    if not len(element):
        return element.text
    return element_to_record(element)


def element_to_record(element: Element) -> Record:
    """One record element (``<VENDOR>...</VENDOR>``) -> dict of its children.

    Empty elements (also an empty CDATA section) give None, never "". Query rows are
    flat with distinct tags: one comprehension builds them (the hot path of every
    page); a row with nested or repeated elements takes the general path.
    """
    flat = {child.tag: child.text or None for child in element if not len(child)}
    if len(flat) == len(element):
        return flat
    return _nested_record(element)


def _nested_record(element: Element) -> Record:
    record: Record = {}
    for child in element:
        value = (child.text or None) if not len(child) else _nested_record(child)
        tag = child.tag
        if tag in record:
            existing = record[tag]
            if isinstance(existing, list) and getattr(existing, "_repeated", False):
                existing.append(value)
            else:
                record[tag] = _Repeated([existing, value])
        else:
            record[tag] = value
    return record


class _Repeated(list[Any]):
    """A list made from repeated elements (distinguishes it from a list value)."""

    _repeated = True


def parse_result(element: Element) -> FunctionResult:
    """One ``<result>`` element."""
    attributes: dict[str, str] = {}
    legacy_listtype = element.find("listtype")
    if legacy_listtype is not None:
        attributes.update(legacy_listtype.attrib)
        attributes["listtype"] = (legacy_listtype.text or "").strip()
    data_element = element.find("data")
    records: list[Record] = []
    if data_element is not None:
        attributes.update(data_element.attrib)
        records = [element_to_record(child) for child in data_element]
    key_element = element.find("key")
    key = None
    if key_element is not None and key_element.text is not None:
        key = key_element.text.strip()
    return FunctionResult(
        controlid=_text(element, "controlid"),
        function=_text(element, "function"),
        status=_text(element, "status").lower() or "failure",
        data=records,
        key=key,
        errors=parse_errors(element.find("errormessage")),
        list_attributes=attributes,
        element=data_element,
    )


def parse_response(root: Element) -> ParsedResponse:
    """A whole ``<response>`` document (control, gateway, auth or function level)."""
    control = root.find("control")
    acknowledgement = root.find("acknowledgement")
    # An <acknowledgement/> without a status acknowledges nothing (PHP SDK
    # OfflineResponseTest::testMissingStatusElement refuses it too).
    ack_status = _text(acknowledgement, "status") or None
    control_status = _text(control, "status").lower()
    control_errors = parse_errors(root.find("errormessage"))
    operation = root.find("operation")
    if operation is None:
        return ParsedResponse(
            control_status=control_status or "failure",
            control_errors=control_errors,
            acknowledgement=ack_status,
        )
    auth_element = operation.find("authentication")
    authentication = None
    if auth_element is not None:
        authentication = AuthenticationInfo(
            status=_text(auth_element, "status").lower(),
            userid=_text(auth_element, "userid"),
            companyid=_text(auth_element, "companyid"),
            locationid=_text(auth_element, "locationid"),
            sessiontimestamp=_text(auth_element, "sessiontimestamp"),
            sessiontimeout=_text(auth_element, "sessiontimeout"),
        )
    return ParsedResponse(
        control_status=control_status,
        control_errors=control_errors,
        authentication=authentication,
        operation_errors=parse_errors(operation.find("errormessage")),
        results=[parse_result(result) for result in operation.iterfind("result")],
        acknowledgement=ack_status,
    )
