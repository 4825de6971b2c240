"""What one page request is, whichever transport sends it.

A request is an immutable value: the scheduler memoises requests made ahead by their
value, hands them to worker threads, and takes fields Intacct refuses out of them
(`without_fields`), all without touching a cursor or casting code.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from intacct_client import IntacctUnqueryableFieldsError


@dataclass(frozen=True)
class PageRequest:
    """Everything one query call needs; safe to hand to another thread.

    `protected` names the fields the stream cannot do without (key, replication key):
    they are never dropped when Intacct refuses them. It is not part of the request's
    identity.
    """

    object_name: str
    fields: tuple[str, ...]
    filter: Any
    order_by: tuple[tuple[str, str], ...]
    page_size: int
    offset: int = 0
    show_private: bool = True
    protected: frozenset[str] = field(default=frozenset(), compare=False)


def refused_fields(request: PageRequest, error: IntacctUnqueryableFieldsError) -> list[str]:
    """Return the refused fields that may be dropped from a page request.

    Returns the selected fields named by the error, spelled as selected; raises it when
    none of them is selected or a protected one is among them.
    """
    wanted = {name.upper(): name for name in request.fields}
    refused = [wanted[name.upper()] for name in error.fields if name.upper() in wanted]
    if not refused or set(request.protected) & set(refused):
        raise error
    return refused


def without_fields(request: PageRequest, names: Collection[str]) -> PageRequest:
    """The same request selecting every field but `names`."""
    dropped = set(names)
    if not dropped & set(request.fields):
        return request
    return replace(request, fields=tuple(name for name in request.fields if name not in dropped))


def page_request(
    object_name: str,
    fields: Sequence[str],
    cursor: Any,
    page_size: int,
    show_private: bool,
    *,
    protected: Collection[str] = (),
) -> PageRequest:
    """The request for a cursor's next page."""
    return PageRequest(
        object_name=object_name,
        fields=tuple(fields),
        filter=cursor.filter(),
        order_by=tuple(cursor.order_by()),
        page_size=page_size,
        offset=cursor.offset,
        show_private=show_private,
        protected=frozenset(protected),
    )
