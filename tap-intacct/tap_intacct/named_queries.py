"""Named query streams (`query_streams`): one object, filtered by Intacct, as its own stream.

Each entry `{name, object, filter, fields?}` becomes a stream called `name` that reads
`object` like its object stream does (keyset paging, WHENMODIFIED bookmark with the
lookback, deletes from AUDITHISTORY, its own state), with `filter` ANDed to every page's
filter, so Intacct does the filtering. `filter` is readByQuery condition text
(`STATE = 'Posted' AND TOTALDUE > 0`), translated by `intacct_client.query_text`.

The stream's fields are `fields` (all of the object's when empty) plus the key,
WHENMODIFIED and every field the filter names. A malformed filter or an unknown object
or field stops the run with one line naming the stream and the token, before any data
call (the filter text is checked when the settings are read, the fields against the
object's `lookup`, or against the catalog when one is given).

A row that stops matching the filter (a bill paid in full) is not retracted: Singer has
no message for "no longer in this set". Clear the stream's state for a fresh copy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from intacct_client import IntacctFunctionError
from intacct_client import filters as f
from intacct_client.filters import Filter
from intacct_client.query_text import QueryTextError, filter_fields, parse_query

from tap_intacct.casting import PageCasting
from tap_intacct.errors import ActionableError
from tap_intacct.keyset import IncrementalCursor, KeyCursor, OffsetCursor
from tap_intacct.pages import PageRequest
from tap_intacct.schema import (
    KEY_CANDIDATES,
    REPLICATION_KEY,
    StreamSpec,
    build_spec,
    spec_from_catalog_entry,
)
from tap_intacct.streams import IntacctStream

if TYPE_CHECKING:
    from tap_intacct.tap import TapIntacct

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class NamedQuery:
    """One checked `query_streams` entry."""

    name: str
    object_name: str
    filter_text: str
    filter: Filter
    fields: tuple[str, ...]


def _problem(name: str, text: str) -> ActionableError:
    return ActionableError(f"query_streams: stream {name!r}: {text}")


def named_queries(config: Mapping[str, Any]) -> list[NamedQuery]:
    """The `query_streams` setting, checked without any API call."""
    out: list[NamedQuery] = []
    for position, entry in enumerate(config.get("query_streams") or (), start=1):
        if not isinstance(entry, Mapping):
            raise ActionableError(f"query_streams: entry {position} is not an object")
        name = str(entry.get("name") or "")
        if not NAME_PATTERN.match(name):
            raise _problem(
                name or f"#{position}",
                "name must be lower case letters, digits and _ (starting with a letter)",
            )
        if any(query.name == name for query in out):
            raise _problem(name, "the name is used twice")
        object_name = str(entry.get("object") or "").strip()
        if not object_name:
            raise _problem(name, "object is missing")
        text = str(entry.get("filter") or "")
        try:
            parsed = parse_query(text)
        except QueryTextError as exc:
            token = f" (token {exc.token!r})" if exc.token else ""
            raise _problem(name, f"filter {text!r}: {exc}{token}") from exc
        fields = tuple(str(field).strip() for field in entry.get("fields") or () if str(field))
        out.append(NamedQuery(name, object_name, text, parsed, fields))
    return out


def _resolve(query: NamedQuery, known: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """`wanted` field names spelt as the object spells them; unknown ones are an error."""
    by_upper = {name.upper(): name for name in known}
    resolved = []
    for name in wanted:
        match = by_upper.get(name.upper())
        if match is None:
            raise _problem(query.name, f"{query.object_name} has no field {name!r}")
        resolved.append(match)
    return resolved


def _renamed(node: Filter, spelling: Mapping[str, str]) -> Filter:
    if node.children:
        return replace(node, children=tuple(_renamed(child, spelling) for child in node.children))
    return replace(node, field=spelling.get(node.field or "", node.field))


def spec_for(query: NamedQuery, fields: Sequence[tuple[str, str]]) -> tuple[StreamSpec, NamedQuery]:
    """Build a named query's stream spec from its object's fields.

    Returns the spec built from the object's (field, DATATYPE) list, and the query with
    its field names spelt as the object spells them.
    """
    known = [name for name, _ in fields]
    in_filter = filter_fields(query.filter)
    spelling = dict(zip(in_filter, _resolve(query, known, in_filter), strict=True))
    chosen = set(_resolve(query, known, query.fields)) if query.fields else set(known)
    chosen |= set(spelling.values())
    chosen |= {name for name in known if name in KEY_CANDIDATES or name == REPLICATION_KEY}
    spec = build_spec(query.object_name, [(n, t) for n, t in fields if n in chosen])
    checked = replace(query, filter=_renamed(query.filter, spelling))
    return replace(spec, stream_name=query.name), checked


class NamedQueryStream(IntacctStream):
    """An object stream whose every page is also filtered by the named query."""

    # A count of the object is not a count of the filtered set; rows leaving the set are
    # not retracted either (see the module docstring).
    key_census_applies = False

    def __init__(self, tap: TapIntacct, spec: StreamSpec, query: NamedQuery) -> None:
        super().__init__(tap, spec)
        self.named_query = query

    def catalog_table_name(self) -> str | None:
        """The catalog entry's table is the stream name, like every stream's."""
        return self.name

    def _next_request(
        self, cursor: IncrementalCursor | KeyCursor | OffsetCursor, caster: PageCasting
    ) -> PageRequest:
        request = super()._next_request(cursor, caster)
        paging = request.filter
        combined = (
            self.named_query.filter if paging is None else f.and_(self.named_query.filter, paging)
        )
        return replace(request, filter=combined)


def build_stream(tap: TapIntacct, query: NamedQuery) -> NamedQueryStream:
    """From the input catalog's entry when there is one (no API call), else `lookup`."""
    entry = _catalog_entry(tap, query.name)
    if entry is not None:
        spec = spec_from_catalog_entry(entry)
        fields = [(name, "TEXT") for name in spec.query_fields]
        _, checked = spec_for(query, fields)
        return NamedQueryStream(tap, replace(spec, object_name=query.object_name), checked)
    try:
        definition = tap.client.lookup(query.object_name)
    except IntacctFunctionError as exc:
        raise _problem(query.name, f"object {query.object_name!r} cannot be read: {exc}") from exc
    spec, checked = spec_for(query, [(field.id, field.datatype) for field in definition.fields])
    return NamedQueryStream(
        tap, replace(spec, object_name=definition.name or query.object_name), checked
    )


def _catalog_entry(tap: TapIntacct, name: str) -> dict[str, Any] | None:
    if tap.input_catalog is None:
        return None
    for entry in tap.input_catalog.streams:
        if entry.tap_stream_id == name:
            return entry.to_dict()
    return None
