"""The query service: `POST /services/core/query` over the XML half's query engine.

Fields, filters and order are translated to catalog names and compiled by
`queryengine.compile_select` (the same SQL, visibility and entity rules as XML
`query`). The query service's pages are rendered as JSON text by SQLite (`render.py`);
`run_query` converts stored values the REST way in Python (`convert.py`) for single reads,
writes, and pages holding a value the SQL does not render.
`start` is 1-based and `size` at most 4000 (docs/protocol-rest.md §3.3).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from intacct_sandbox import variants
from intacct_sandbox.queryengine import (
    CompiledSelect,
    QueryError,
    SelectItem,
    compile_select,
    prepare_connection,
)
from intacct_sandbox.rest.convert import Nester, decimals_as_numbers, json_converter, nest
from intacct_sandbox.rest.errors import bad_request, forbidden, from_function_errors
from intacct_sandbox.rest.filters import build_filter
from intacct_sandbox.rest.objects import RestObject, rest_object
from intacct_sandbox.rest.render import (
    MARKER,
    Shape,
    href_sql,
    record_json_sql,
    record_shape,
    value_sql,
)

MAX_SIZE = 4000
DEFAULT_SIZE = 100
DEFAULT_FIELDS = ("key", "id", "href")


@dataclass(frozen=True)
class Caller:
    """What a query or write needs to know about who asks."""

    entity_id: str | None
    denied_objects: frozenset[str]


def object_or_fail(name: Any, caller: Caller) -> RestObject:
    if not isinstance(name, str) or not name:
        raise bad_request("'object' is required, e.g. 'accounts-payable/vendor'.")
    rest = rest_object(name)
    if rest is None:
        raise bad_request(f"Object '{name}' is not a known object.", "REST-1017")
    denied = caller.denied_objects
    if rest.catalog.name in denied or rest.catalog.name.upper() in denied:
        raise forbidden(f"You do not have permission to read '{rest.name}'.")
    return rest


def href(rest: RestObject, key: Any) -> str:
    return f"/objects/{rest.name}/{key}"


def _int(body: dict[str, Any], name: str, default: int) -> int:
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"'{name}' must be a whole number, got {value!r}.")
    return value


def _fields(rest: RestObject, body: dict[str, Any]) -> list[str]:
    fields = body.get("fields") or list(DEFAULT_FIELDS)
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise bad_request("'fields' must be a list of field names.")
    unknown = [f for f in fields if f != "href" and rest.field_for(f) is None]
    if unknown:
        raise bad_request(f"Unknown fields for {rest.name}: {', '.join(unknown)}.", "REST-1016")
    return fields


def _order(rest: RestObject, body: dict[str, Any]) -> list[tuple[str, bool]]:
    order = body.get("orderBy") or []
    if not isinstance(order, list):
        raise bad_request("'orderBy' must be a list like [{'id': 'asc'}].")
    out: list[tuple[str, bool]] = []
    for item in order:
        if not isinstance(item, dict) or len(item) != 1:
            raise bad_request("each 'orderBy' entry must be one {field: 'asc'|'desc'}.")
        path, direction = next(iter(item.items()))
        fdef = rest.field_for(path)
        if fdef is None:
            raise bad_request(f"orderBy: field '{path}' is not a field of {rest.name}.")
        if str(direction).lower() not in {"asc", "desc"}:
            raise bad_request(f"orderBy '{path}': direction must be 'asc' or 'desc'.")
        out.append((fdef.id, str(direction).lower() == "desc"))
    return out


@dataclass(frozen=True)
class _Page:
    """A validated query: what to select, compiled, and which page of it."""

    rest: RestObject
    fields: list[str]  # as requested, `href` included
    selected: list[str]  # the selected REST paths (`key` added for `href`)
    compiled: CompiledSelect
    start: int
    size: int


def _plan(body: dict[str, Any], caller: Caller) -> _Page:
    rest = object_or_fail(body.get("object"), caller)
    fields = _fields(rest, body)
    start = _int(body, "start", 1)
    size = _int(body, "size", DEFAULT_SIZE)
    if start < 1:
        raise bad_request(f"'start' must be 1 or more, got {start}.")
    if size > MAX_SIZE and variants.active("rest_oversize") == "clamp":
        size = MAX_SIZE
    if size < 1 or size > MAX_SIZE:
        raise bad_request(f"'size' must be from 1 to {MAX_SIZE}, got {size}.", "REST-1026")
    params = body.get("filterParameters") or {}
    if not isinstance(params, dict):
        raise bad_request("'filterParameters' must be an object.")
    tree = build_filter(rest, body.get("filters"), body.get("filterExpression"))
    selected = [f for f in fields if f != "href"]
    if "href" in fields and "key" not in selected:
        selected.append("key")
    items = [SelectItem(rest.paths[f].id) for f in selected]
    try:
        cs = compile_select(
            rest.catalog,
            items,
            tree,
            _order(rest, body),
            zone="UTC",
            entity_id=caller.entity_id,
            showprivate=bool(params.get("includePrivate", False)),
            caseinsensitive=params.get("caseSensitiveComparison", True) is False,
        )
    except QueryError as exc:
        raise from_function_errors(exc.errors) from exc
    return _Page(rest, fields, selected, cs, start, size)


def _fetch(
    conn: sqlite3.Connection, page: _Page, page_sql: Callable[[CompiledSelect], str]
) -> tuple[int, list[tuple[Any, ...]]]:
    """The total count and the page's rows (`page_sql` of each NULL-order block)."""
    prepare_connection(conn)
    total = 0
    rows: list[tuple[Any, ...]] = []
    for part in page.compiled.parts or [page.compiled]:
        count = int(conn.execute(part.count_sql(), part.params).fetchone()[0])
        skip = max(0, page.start - 1 - total)
        want = page.size - len(rows)
        if want > 0 and skip < count:
            rows.extend(conn.execute(page_sql(part), [*part.params, want, skip]).fetchall())
        total += count
    return total, rows


def _meta(page: _Page, total: int) -> dict[str, Any]:
    start, size = page.start, page.size
    return {
        "totalCount": total,
        "start": start,
        "pageSize": size,
        "next": start + size if start - 1 + size < total else None,
        "previous": max(1, start - size) if start > 1 else None,
    }


def run_query(conn: sqlite3.Connection, body: dict[str, Any], caller: Caller) -> dict[str, Any]:
    """The answer as Python values, converted row by row (`read_one`, writes, and the
    reference the SQL rendering is tested against)."""
    page = _plan(body, caller)
    total, rows = _fetch(conn, page, lambda part: part.page_sql())
    return {
        "ia::result": _records(page.rest, page.fields, page.selected, rows),
        "ia::meta": _meta(page, total),
    }


def run_query_json(conn: sqlite3.Connection, body: dict[str, Any], caller: Caller) -> bytes:
    """The answer as UTF-8 JSON, each record's text rendered by SQLite (`render.py`);
    a page holding a value SQL cannot render exactly is converted in Python instead."""
    page = _plan(body, caller)
    shape = record_shape(page.fields, variants.active("rest_query_shape") == "dotted")
    numbers = decimals_as_numbers()
    total, rows = _fetch(conn, page, lambda part: _json_page_sql(page, part, shape, numbers))
    records = ", ".join([row[0] for row in rows])
    if MARKER in records:
        total, raw = _fetch(conn, page, lambda part: part.page_sql())
        python = _records(page.rest, page.fields, page.selected, raw)
        records = json.dumps(python, ensure_ascii=False)[1:-1]
    meta = json.dumps(_meta(page, total), ensure_ascii=False)
    return f'{{"ia::result": [{records}], "ia::meta": {meta}}}'.encode()


def _json_page_sql(page: _Page, part: CompiledSelect, shape: Shape, numbers: bool) -> str:
    rest = page.rest
    expr = dict(zip(page.selected, part.column_sql, strict=True))
    fragments = {
        path: href_sql(rest.name, expr["key"])
        if path == "href"
        else value_sql(rest.paths[path], path, expr[path], rest.codes.get(path), numbers=numbers)
        for path in page.fields
    }
    return (
        f"SELECT {record_json_sql(shape, fragments)} {part.from_where} {part.group_by} "
        f"ORDER BY {part.order_by} LIMIT ? OFFSET ?"
    )


def _records(
    rest: RestObject, fields: list[str], selected: list[str], rows: list[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """Rows as REST answers them; each field's conversion is chosen once per page."""
    position = {path: index for index, path in enumerate(selected)}
    plan = [
        (
            path,
            position.get("key" if path == "href" else path, 0),
            None
            if path == "href"
            else json_converter(rest.paths[path], path, rest.codes.get(path)),
        )
        for path in fields
    ]
    dotted = variants.active("rest_query_shape") == "dotted"
    nester = Nester(fields)
    out: list[dict[str, Any]] = []
    for row in rows:
        flat = {
            path: href(rest, row[index]) if convert is None else convert(row[index])
            for path, index, convert in plan
        }
        out.append(flat if dotted else nester(flat))
    return out


def read_one(
    conn: sqlite3.Connection, rest: RestObject, key: str, caller: Caller
) -> dict[str, Any] | None:
    """Every REST field of one record (GET /objects/<name>/<key>), lines included."""
    fields = [*rest.paths, "href"]
    body = {
        "object": rest.name,
        "fields": fields,
        "filters": [{"$eq": {"key": key}}],
        "size": 1,
    }
    found = run_query(conn, body, caller)["ia::result"]
    if not found:
        return None
    # Variant rest_query_shape concerns the query service; an object read stays nested.
    record: dict[str, Any] = nest(found[0])
    if rest.lines is not None:
        line = rest_object(rest.lines)
        if line is not None and line.parent_ref is not None:
            listing = run_query(
                conn,
                {
                    "object": line.name,
                    "fields": [*line.paths, "href"],
                    "filters": [{"$eq": {line.parent_ref: key}}],
                    "orderBy": [{"lineNumber": "asc"}] if "lineNumber" in line.paths else [],
                    "size": MAX_SIZE,
                },
                caller,
            )
            record["lines"] = [nest(line_record) for line_record in listing["ia::result"]]
    return record
