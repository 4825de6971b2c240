"""``Function``: one ``<function controlid=...>`` of a request, and which ones are reads."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from intacct_client.xmlwrite import RawXml, to_xml

# Functions that never change data: a request made only of these is always safe to
# retry. Everything else counts as a write.
READ_FUNCTIONS = frozenset(
    {
        "getAPISession",
        "query",
        "readByQuery",
        "readMore",
        "read",
        "readByName",
        "readRelated",
        "readView",
        "readReport",
        "readUserFormatting",
        "lookup",
        "inspect",
        "getDimensions",
        "getDimensionRestrictedData",
        "getDimensionRelationships",
        "getUserPermissions",
        "getAuditTrail",
        "getFinancialSetup",
        "getCompanyPrefs",
        "get_list",
        "get",
    }
)


@dataclass(frozen=True)
class Function:
    """One function of a request.

    ``payload`` is serialised in insertion order under the element ``name`` (see
    :mod:`intacct_client.xmlwrite`); ``attributes`` go on the function's own element
    (e.g. ``delete_vendor vendorid="V1"``). A missing controlid gets a fresh uuid4, so
    callers that retry writes across processes pass a deterministic one.
    """

    name: str
    payload: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None
    controlid: str = field(default="")
    attributes: Mapping[str, str] | None = None

    def __init__(
        self,
        name: str,
        payload: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        controlid: str | None = None,
        attributes: Mapping[str, str] | None = None,
    ) -> None:
        if not controlid:
            controlid = str(uuid.uuid4())
        if len(controlid) > 256:
            raise ValueError("a function controlid has at most 256 characters")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "payload", payload)
        object.__setattr__(self, "controlid", controlid)
        object.__setattr__(self, "attributes", attributes)

    def __hash__(self) -> int:
        # The payload may hold dicts; name + controlid identify a function.
        return hash((self.name, self.controlid))

    @property
    def is_read(self) -> bool:
        """Whether the function only reads (safe to retry and to send in parallel)."""
        return self.name in READ_FUNCTIONS

    def to_xml(self) -> str:
        """``<function controlid="..."><name ...>payload</name></function>``."""
        body: list[tuple[str, Any]] = [(f"@{k}", v) for k, v in (self.attributes or {}).items()]
        if isinstance(self.payload, Mapping):
            body.extend(self.payload.items())
        elif self.payload:
            body.extend(self.payload)
        inner = to_xml(self.name, body if body else None)
        return to_xml("function", [("@controlid", self.controlid), ("#raw", RawXml(inner))])
