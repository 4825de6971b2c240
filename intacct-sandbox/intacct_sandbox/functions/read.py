"""Read functions: query, readByQuery, readMore, read, readByName.

Shapes: docs/protocol.md §4.2-4.5, §4.7, §5.5.

Casing (protocol.md §5.5): `query`/`read`/`readByName` use the canonical (upper-case) object name
for `listtype` and record elements; `readByQuery`/`readMore` use lower case.

Page-size choices where the public record is silent: above the maximum (query 2000, readByQuery
1000) the page size is clamped to the maximum (the response's `count` tells the client
what it got); below 1 or not a number is a DL02000001 error.

readByQuery paging is keyset-based on RECORDNO and capped at the highest RECORDNO seen
when the listing started, so readMore pages are the same result set (protocol.md §4.3) even while
records are being created. A resultId is dropped after its last page; using it again is
the documented `readMore failed` error.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from intacct_sandbox.catalog import ObjectDef, get_object
from intacct_sandbox.db import quote_ident, table, visibility_sql
from intacct_sandbox.functions.common import (
    CallContext,
    ErrorSpec,
    FunctionError,
    FunctionOutcome,
    child_text,
    find_child,
    generic_error,
    object_not_found,
    parse_bool,
    permission_denied,
    register,
)
from intacct_sandbox.queryengine import (
    AGGREGATES,
    CompiledSelect,
    QueryError,
    SelectItem,
    compile_select,
    filter_from_xml,
    mark_clean_columns,
    parse_legacy_query,
    prepare_connection,
    record_xml_sql,
    row_renderer,
    run_page,
)
from intacct_sandbox.xmlout import escape_attr

QUERY_MAX_PAGESIZE = 2000
READBYQUERY_MAX_PAGESIZE = 1000
DEFAULT_PAGESIZE = 100


def _object_or_fail(ctx: CallContext, name: str | None, operation: str, errorno: str) -> ObjectDef:
    if not name:
        raise FunctionError(generic_error("The <object> element is required."))
    obj = get_object(name)
    if obj is None:
        raise FunctionError(object_not_found(name, errorno))
    if obj.name in ctx.permissions or obj.name.upper() in ctx.permissions:
        raise FunctionError(permission_denied(operation, obj.name))
    return obj


def _pagesize(text: str | None, maximum: int) -> int:
    if text is None or text == "":
        return DEFAULT_PAGESIZE
    try:
        size = int(text)
    except ValueError as exc:
        raise FunctionError(
            generic_error(f"pagesize must be a number from 1 to {maximum}.")
        ) from exc
    if size < 1:
        raise FunctionError(generic_error(f"pagesize must be a number from 1 to {maximum}."))
    return min(size, maximum)


def _records_xml(
    ctx: CallContext, cs: CompiledSelect, rows: list[tuple[Any, ...]], element: str
) -> str:
    render = row_renderer(cs.columns, ctx.timezone)
    open_, close = f"<{element}>", f"</{element}>"
    parts: list[str] = []
    for row in rows:
        parts.append(open_)
        parts.extend(render(row))
        parts.append(close)
    return "".join(parts)


def _run_compile(**kwargs: Any) -> CompiledSelect:
    try:
        return compile_select(**kwargs)
    except QueryError as exc:
        raise FunctionError(*exc.errors) from exc


# ---------------------------------------------------------------- query


def _select_items(select: Element | None) -> list[SelectItem]:
    if select is None:
        raise FunctionError(generic_error("The <select> element is required."))
    items: list[SelectItem] = []
    for child in select:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "field":
            name = (child.text or "").strip()
            if name == "*":
                raise FunctionError(
                    generic_error("Returning all fields is not supported; list the fields.")
                )
            items.append(SelectItem(name))
        elif tag in AGGREGATES:
            inner = child_text(child, "field")
            name = inner if inner is not None else (child.text or "").strip()
            items.append(SelectItem(name, tag))
    if not items:
        raise FunctionError(generic_error("<select> needs at least one <field>."))
    return items


def _orderby(element: Element | None) -> list[tuple[str, bool]]:
    if element is None:
        return []
    out = []
    for order in element:
        if not isinstance(order.tag, str) or order.tag.lower() != "order":
            continue
        name = child_text(order, "field") or ""
        out.append((name, find_child(order, "descending") is not None))
    return out


@register("query")
def query(ctx: CallContext, element: Element) -> FunctionOutcome:
    obj = _object_or_fail(ctx, child_text(element, "object"), "READ_BY_QUERY", "XL03000009")
    items = _select_items(find_child(element, "select"))
    filter_el = find_child(element, "filter")
    try:
        tree = filter_from_xml(filter_el) if filter_el is not None else None
    except QueryError as exc:
        raise FunctionError(*exc.errors) from exc
    options = find_child(element, "options")
    caseinsensitive = (
        parse_bool(child_text(options, "caseinsensitive")) if options is not None else False
    )
    showprivate = parse_bool(child_text(options, "showprivate")) if options is not None else False
    pagesize = _pagesize(child_text(element, "pagesize"), QUERY_MAX_PAGESIZE)
    offset_text = child_text(element, "offset") or "0"
    try:
        offset = int(offset_text)
    except ValueError as exc:
        raise FunctionError(generic_error("offset must be a number >= 0.")) from exc
    if offset < 0:
        raise FunctionError(generic_error("offset must be a number >= 0."))
    cs = _run_compile(
        obj=obj,
        items=items,
        filter_node=tree,
        orderby=_orderby(find_child(element, "orderby")),
        zone=ctx.timezone,
        entity_id=ctx.entity_id,
        showprivate=showprivate,
        caseinsensitive=caseinsensitive,
    )
    prepare_connection(ctx.conn)
    records: list[str] = []
    count = 0
    if cs.grouped:
        total = int(ctx.conn.execute(cs.count_sql(), cs.params).fetchone()[0])
        rows = ctx.conn.execute(cs.page_sql(), [*cs.params, pagesize, offset]).fetchall()
        records = [_records_xml(ctx, cs, rows, obj.name)] if rows else []
        count = len(rows)
    else:
        total, records = run_page(
            ctx.conn, cs, obj.name, ctx.timezone, pagesize=pagesize, offset=offset
        )
        count = len(records)
    remaining = max(0, total - offset - count)
    head = (
        f'<data listtype="{escape_attr(obj.name)}" totalcount="{total}" offset="{offset}" '
        f'count="{count}" numremaining="{remaining}"'
    )
    if not count:
        return FunctionOutcome.success(head + "/>")
    return FunctionOutcome.success("".join([head, ">", *records, "</data>"]))


# ---------------------------------------------------------------- readByQuery / readMore


@dataclass
class _Listing:
    """Continuation state of a readByQuery listing (kept in the gateway's ResultStore)."""

    object_name: str
    compiled: CompiledSelect
    total: int
    delivered: int
    last_key: int
    max_key: int
    pagesize: int


_last_listing: dict[tuple[str, str], str] = {}  # (session, OBJECT) -> resultId for readMore
_LAST_LISTING_CAP = 10_000
_last_lock = threading.Lock()


def _field_list(obj: ObjectDef, text: str | None) -> list[SelectItem]:
    if text is None or text.strip() in {"", "*"}:
        return [SelectItem(f.id) for f in obj.queryable_fields]
    return [SelectItem(name.strip()) for name in text.split(",") if name.strip()]


def _keyset_sql(cs: CompiledSelect, element: str, zone: str) -> str:
    """Next readByQuery page: RECORDNO above the last one sent, capped at the snapshot max;
    the key range comes first so SQLite seeks on the primary key."""
    key = f"t.{quote_ident(cs.obj.key_field)}"
    table_part, _, where = cs.from_where.partition(" WHERE ")
    rest = f" AND {where}" if where else ""
    return (
        f"SELECT {record_xml_sql(cs, element, zone)}, {key} {table_part} "
        f"WHERE {key} > ? AND {key} <= ?{rest} ORDER BY {key} LIMIT ?"
    )


def _listing_page(ctx: CallContext, listing: _Listing) -> tuple[list[str], bool]:
    prepare_connection(ctx.conn)
    mark_clean_columns(ctx.conn, listing.compiled)
    rows = ctx.conn.execute(
        _keyset_sql(listing.compiled, listing.object_name.lower(), ctx.timezone),
        [listing.last_key, listing.max_key, *listing.compiled.params, listing.pagesize],
    ).fetchall()
    if rows:
        listing.last_key = int(rows[-1][-1])
    listing.delivered += len(rows)
    done = len(rows) < listing.pagesize or listing.delivered >= listing.total
    return [row[0] for row in rows], done


def _listing_xml(listing: _Listing, records: list[str], result_id: str) -> str:
    lower = listing.object_name.lower()
    remaining = 0 if not result_id else max(0, listing.total - listing.delivered)
    head = (
        f'<data listtype="{escape_attr(lower)}" count="{len(records)}" '
        f'totalcount="{listing.total}" numremaining="{remaining}" '
        f'resultId="{escape_attr(result_id)}"'
    )
    if not records:
        return head + "/>"
    return "".join([head, ">", *records, "</data>"])  # one copy of a page of megabytes


@register("readByQuery")
def read_by_query(ctx: CallContext, element: Element) -> FunctionOutcome:
    obj = _object_or_fail(ctx, child_text(element, "object"), "READ_BY_QUERY", "Query Failed")
    try:
        tree = parse_legacy_query(child_text(element, "query") or "")
    except QueryError as exc:
        raise FunctionError(*exc.errors) from exc
    pagesize = _pagesize(child_text(element, "pagesize"), READBYQUERY_MAX_PAGESIZE)
    cs = _run_compile(
        obj=obj,
        items=_field_list(obj, child_text(element, "fields")),
        filter_node=tree,
        orderby=[],
        zone=ctx.timezone,
        entity_id=ctx.entity_id,
        showprivate=False,
        use_aliases=True,
    )
    prepare_connection(ctx.conn)
    key = f"t.{quote_ident(obj.key_field)}"
    total, max_key = ctx.conn.execute(
        f"SELECT COUNT(*), MAX({key}) {cs.from_where}", cs.params
    ).fetchone()
    listing = _Listing(obj.name, cs, int(total), 0, -(2**62), int(max_key or 0), pagesize)
    rows, done = _listing_page(ctx, listing)
    result_id = ""
    if not done:
        result_id = ctx.result_store.put(ctx.session_id, listing)
        with _last_lock:
            _last_listing[(ctx.session_id, obj.name.upper())] = result_id
            while len(_last_listing) > _LAST_LISTING_CAP:  # forget the oldest sessions' ids
                del _last_listing[next(iter(_last_listing))]
    return FunctionOutcome.success(_listing_xml(listing, rows, result_id))


def _invalid_result_id(result_id: str) -> FunctionError:
    return FunctionError(
        ErrorSpec(
            "readMore failed",
            "",
            f"Attempt to readMore with an invalid or expired resultId: {result_id}",
            "",
        )
    )


@register("readMore")
def read_more(ctx: CallContext, element: Element) -> FunctionOutcome:
    result_id = child_text(element, "resultId")
    if not result_id:
        name = child_text(element, "object")
        if name:
            with _last_lock:
                result_id = _last_listing.get((ctx.session_id, name.strip().upper()), "")
        if not result_id:
            raise _invalid_result_id(result_id or "")
    listing = ctx.result_store.get(ctx.session_id, result_id)
    if not isinstance(listing, _Listing):
        raise _invalid_result_id(result_id)
    rows, done = _listing_page(ctx, listing)
    if done:
        ctx.result_store.drop(result_id)
        with _last_lock:
            _last_listing.pop((ctx.session_id, listing.object_name.upper()), None)
        return FunctionOutcome.success(_listing_xml(listing, rows, ""))
    ctx.result_store.update(result_id, listing)
    return FunctionOutcome.success(_listing_xml(listing, rows, result_id))


# ---------------------------------------------------------------- read / readByName


def _read_records(
    ctx: CallContext, obj: ObjectDef, fields_text: str | None, where_col: str, keys: list[Any]
) -> FunctionOutcome:
    all_fields = fields_text is None or fields_text.strip() in {"", "*"}
    items = [SelectItem(f.id) for f in obj.fields] if all_fields else _field_list(obj, fields_text)
    cs = _run_compile(
        for_read=True,  # read returns every field, also those `query` refuses
        obj=obj,
        items=items,
        filter_node=None,
        orderby=[],
        zone=ctx.timezone,
        entity_id=ctx.entity_id,
        showprivate=False,
    )
    key_col = f"t.{quote_ident(obj.key_field)}"
    joiner = " AND " if " WHERE " in cs.from_where else " WHERE "
    sql = (
        f"SELECT {cs.select_list}, {key_col} {cs.from_where}{joiner}t.{quote_ident(where_col)} = ?"
    )
    render = row_renderer(cs.columns, ctx.timezone)
    parts: list[str] = []
    count = 0
    prepare_connection(ctx.conn)
    for key in keys:
        for row in ctx.conn.execute(sql + f" ORDER BY {key_col}", [*cs.params, key]).fetchall():
            count += 1
            parts.append(f"<{obj.name}>")
            parts.extend(render(row[:-1]))
            if all_fields:
                parts.append(_owned_lines(ctx, obj, int(row[-1])))
            parts.append(f"</{obj.name}>")
    head = f'<data listtype="{escape_attr(obj.name)}" count="{count}"'
    return FunctionOutcome.success(head + ("/>" if not count else ">" + "".join(parts) + "</data>"))


def _owned_lines(ctx: CallContext, obj: ObjectDef, recordno: int) -> str:
    """`<APBILLITEMS><apbillitem>...</apbillitem></APBILLITEMS>` (docs/protocol.md §5.4)."""
    out: list[str] = []
    for owned in obj.owned:
        child = get_object(owned.child_object)
        if child is None:
            continue
        cs = _run_compile(
            for_read=True,
            obj=child,
            items=[SelectItem(f.id) for f in child.fields],
            filter_node=None,
            orderby=[],
            zone=ctx.timezone,
            entity_id=None,
            showprivate=True,
        )
        order = ""
        if child.field(owned.line_no_field):
            order = f"t.{quote_ident(owned.line_no_field)}, "
        rows = ctx.conn.execute(
            f"SELECT {cs.select_list} FROM {table(child)} AS t "
            f"WHERE t.{quote_ident(owned.parent_key_field)} = ? "
            f"ORDER BY {order}t.{quote_ident(child.key_field)}",
            [recordno],
        ).fetchall()
        lower = child.name.lower()
        out.append(f"<{owned.collection}>")
        out.append(_records_xml(ctx, cs, rows, lower))
        out.append(f"</{owned.collection}>")
    return "".join(out)


def _split_keys(text: str | None) -> list[str]:
    return [k.strip() for k in (text or "").split(",") if k.strip()]


@register("read")
def read(ctx: CallContext, element: Element) -> FunctionOutcome:
    obj = _object_or_fail(ctx, child_text(element, "object"), "READ", "XL03000009")
    keys: list[Any] = []
    for key in _split_keys(child_text(element, "keys")):
        try:
            keys.append(int(key))
        except ValueError:
            continue  # a non-numeric RECORDNO matches nothing
    return _read_records(ctx, obj, child_text(element, "fields"), obj.key_field, keys)


@register("readByName")
def read_by_name(ctx: CallContext, element: Element) -> FunctionOutcome:
    obj = _object_or_fail(ctx, child_text(element, "object"), "READ", "XL03000009")
    column = obj.id_field or obj.key_field
    keys: list[Any] = _split_keys(child_text(element, "keys"))
    return _read_records(ctx, obj, child_text(element, "fields"), column, keys)


def visible(ctx: CallContext, obj: ObjectDef, recordno: int) -> bool:
    """Whether the session can see this record (for other handlers)."""
    vis, params = visibility_sql(obj, ctx.entity_id, False)
    where = f"{quote_ident(obj.key_field)} = ?" + (f" AND {vis}" if vis else "")
    row = ctx.conn.execute(f"SELECT 1 FROM {table(obj)} WHERE {where}", [recordno, *params])
    return row.fetchone() is not None
