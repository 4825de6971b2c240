"""Filters, field resolution and SQL generation for `query`, `readByQuery` and `read`.

Two front ends produce one filter tree (`Cond` / `Logic` / `Not`):
* `filter_from_xml(element)`: the `query` function's `<filter>` (13 operators, and/or
  with >= 2 children, repeated same-operator children) - docs/protocol.md §4.7;
* `parse_legacy_query(text)`: the readByQuery string grammar - docs/protocol.md §4.2 (comparison
  operators, like / not like, in / not in, IS [NOT] NULL, AND/OR/parentheses, NOT prefix,
  backslash-escaped quotes, lenient spacing).

`compile_select(...)` resolves fields (case-insensitive, stored dot-path columns, one-hop
relationship paths such as APBILL `VENDOR.NAME`), converts literals through `values`
(timestamps from the company zone to UTC), adds entity visibility, and returns SQL with
bound parameters only. Values are never concatenated into SQL.

Semantics chosen to match an Oracle-backed Intacct: empty string == NULL; NULLs never
match comparisons (also not `notequalto`/`notin`); ascending order puts NULLs last.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from intacct_sandbox import audit_spelling, values
from intacct_sandbox.catalog import FieldDef, ObjectDef, get_object
from intacct_sandbox.catalog.model import NUMERIC_DECIMAL_TYPES
from intacct_sandbox.db import change_token, escape_columns, quote_ident, table, visibility_sql

if TYPE_CHECKING:
    from intacct_sandbox.functions.common import ErrorSpec

COMPARISONS = {
    "equalto": "=",
    "notequalto": "<>",
    "lessthan": "<",
    "lessthanorequalto": "<=",
    "greaterthan": ">",
    "greaterthanorequalto": ">=",
}
LIST_OPS = {"in", "notin"}
NULL_OPS = {"isnull", "isnotnull"}
LIKE_OPS = {"like", "notlike"}
ALL_OPS = {*COMPARISONS, "between", *LIST_OPS, *NULL_OPS, *LIKE_OPS}
MAX_IN_VALUES = 1000
AGGREGATES = ("count", "sum", "avg", "min", "max")


class QueryError(Exception):
    """A request the engine cannot run; carries the errors the function returns."""

    def __init__(self, *errors: ErrorSpec) -> None:
        super().__init__(errors[0].description2 if errors else "query error")
        self.errors = list(errors)


# ---- filter tree ----


@dataclass
class Cond:
    op: str  # one of ALL_OPS
    field: str
    values: list[str] = dc_field(default_factory=list)


@dataclass
class Logic:
    op: str  # "and" | "or"
    children: list[FilterNode]


@dataclass
class Not:
    child: FilterNode


FilterNode = Cond | Logic | Not


def _bad_request(hint: str) -> QueryError:
    from intacct_sandbox.functions.common import generic_error

    return QueryError(generic_error(hint))


def _text(el: Element) -> str:
    return (el.text or "").strip()


def filter_from_xml(element: Element) -> FilterNode:
    """`<filter>` (or any operator element) -> tree. `<filter>` holds exactly one node."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag == "filter":
        children = [c for c in element if isinstance(c.tag, str)]
        if len(children) != 1:
            raise _bad_request("filter must contain exactly one operator or and/or element")
        return filter_from_xml(children[0])
    if tag in {"and", "or"}:
        kids = [filter_from_xml(c) for c in element if isinstance(c.tag, str)]
        if len(kids) < 2:
            raise _bad_request(f"<{tag}> needs at least two conditions")
        return Logic(tag, kids)
    if tag not in ALL_OPS:
        raise _bad_request(f"unknown filter operator <{element.tag}>")
    fields_ = [c for c in element if isinstance(c.tag, str) and c.tag.lower() == "field"]
    vals = [_text(c) for c in element if isinstance(c.tag, str) and c.tag.lower() == "value"]
    if len(fields_) != 1:
        raise _bad_request(f"<{tag}> needs exactly one <field>")
    name = _text(fields_[0])
    if tag in NULL_OPS:
        if vals:
            raise _bad_request(f"<{tag}> takes no <value>")
    elif tag == "between":
        if len(vals) != 2:
            raise _bad_request("<between> needs exactly two <value> elements")
    elif tag in LIST_OPS:
        if not 1 <= len(vals) <= MAX_IN_VALUES:
            raise _bad_request(f"<{tag}> needs 1 to {MAX_IN_VALUES} <value> elements")
    elif len(vals) != 1:
        raise _bad_request(f"<{tag}> needs exactly one <value>")
    return Cond(tag, name, vals)


# ---- readByQuery grammar ----

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>'(?:\\.|''|[^'\\])*'|"(?:\\.|[^"\\])*")
  | (?P<op><=|>=|<>|!=|=|<|>)
  | (?P<lp>\()
  | (?P<rp>\))
  | (?P<comma>,)
  | (?P<num>[-+]?\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_.#]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL"}
_LEGACY_OPS = {
    "=": "equalto",
    "<>": "notequalto",
    "!=": "notequalto",
    "<": "lessthan",
    "<=": "lessthanorequalto",
    ">": "greaterthan",
    ">=": "greaterthanorequalto",
}


def _unquote(token: str) -> str:
    quote = token[0]
    body = token[1:-1]
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
            continue
        if ch == quote and i + 1 < len(body) and body[i + 1] == quote:
            out.append(quote)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise _bad_request(f"Invalid query near '{text[pos : pos + 20]}'")
        pos = match.end()
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "ws":
            continue
        if kind == "ident" and value.upper() in _KEYWORDS:
            tokens.append(("kw", value.upper()))
        elif kind == "str":
            tokens.append(("str", _unquote(value)))
        else:
            tokens.append((kind, value))
    return tokens


class _LegacyParser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0
        self.text = text

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise _bad_request(f"Unexpected end of query: {self.text}")
        self.pos += 1
        return token

    def expect(self, kind: str, value: str | None = None) -> tuple[str, str]:
        token = self.take()
        if token[0] != kind or (value is not None and token[1] != value):
            raise _bad_request(f"Invalid query near '{token[1]}'")
        return token

    def is_kw(self, word: str, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token == ("kw", word)

    def parse(self) -> FilterNode:
        node = self.expr()
        if self.peek() is not None:
            raise _bad_request(f"Invalid query near '{self.peek()[1]}'")  # type: ignore[index]
        return node

    def expr(self) -> FilterNode:
        items = [self.and_expr()]
        while self.is_kw("OR"):
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Logic("or", items)

    def and_expr(self) -> FilterNode:
        items = [self.unary()]
        while self.is_kw("AND"):
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else Logic("and", items)

    def unary(self) -> FilterNode:
        if self.is_kw("NOT"):
            self.take()
            return Not(self.unary())
        token = self.peek()
        if token is not None and token[0] == "lp":
            self.take()
            node = self.expr()
            self.expect("rp")
            return node
        return self.predicate()

    def value(self) -> str:
        kind, text = self.take()
        if kind in {"str", "num", "ident"}:
            return text
        raise _bad_request(f"Invalid query near '{text}'")

    def predicate(self) -> FilterNode:
        kind, name = self.take()
        if kind != "ident":
            raise _bad_request(f"Invalid query near '{name}'")
        negate = False
        if self.is_kw("NOT") and (self.is_kw("LIKE", 1) or self.is_kw("IN", 1)):
            self.take()
            negate = True
        token = self.take()
        if token == ("kw", "LIKE"):
            return Cond("notlike" if negate else "like", name, [self.value()])
        if token == ("kw", "IN"):
            self.expect("lp")
            vals = [self.value()]
            while self.peek() is not None and self.peek()[0] == "comma":  # type: ignore[index]
                self.take()
                vals.append(self.value())
            self.expect("rp")
            return Cond("notin" if negate else "in", name, vals)
        if token == ("kw", "IS"):
            is_not = False
            if self.is_kw("NOT"):
                self.take()
                is_not = True
            self.expect("kw", "NULL")
            return Cond("isnotnull" if is_not else "isnull", name)
        if token[0] == "op":
            return Cond(_LEGACY_OPS[token[1]], name, [self.value()])
        raise _bad_request(f"Invalid query near '{token[1]}'")


def parse_legacy_query(text: str) -> FilterNode | None:
    """readByQuery `<query>` text -> tree (None for an empty query = all rows)."""
    if not text or not text.strip():
        return None
    return _LegacyParser(text).parse()


# ---- field resolution ----


@dataclass(frozen=True)
class Column:
    """A resolved field: output name, its definition, and the SQL expression for it."""

    name: str
    fdef: FieldDef
    sql: str


class Resolver:
    """Resolves field names on one object; remembers names that failed, in order."""

    def __init__(self, obj: ObjectDef, alias: str = "t", *, readable: bool = False) -> None:
        self.obj = obj
        self.alias = alias
        self.readable = readable  # `read` returns fields that `query` refuses
        self.bad: list[str] = []

    def resolve(self, name: str) -> Column | None:
        clean = name.strip()
        direct = self.obj.field(clean)
        if direct is not None:
            if not direct.queryable and not self.readable:
                self._fail(clean)
                return None
            return Column(direct.id, direct, f"{self.alias}.{quote_ident(direct.id)}")
        if "." in clean:
            head, rest = clean.split(".", 1)
            rel = self.obj.relationship(head)
            target = get_object(rel.object_name) if rel else None
            if rel is not None and target is not None:
                tfield = target.field(rest)
                via = self.obj.field(rel.related_by)
                if tfield is not None and tfield.queryable and via is not None:
                    sql = (
                        f"(SELECT r.{quote_ident(tfield.id)} FROM {table(target)} AS r "
                        f"WHERE r.{quote_ident(rel.target_field)} = "
                        f"{self.alias}.{quote_ident(via.id)} LIMIT 1)"
                    )
                    return Column(f"{rel.path}.{tfield.id}", tfield, sql)
        self._fail(clean)
        return None

    def _fail(self, name: str) -> None:
        if name.upper() not in (b.upper() for b in self.bad):
            self.bad.append(name)


# ---- filter compilation ----


def _like_to_glob(pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch == "%":
            out.append("*")
        elif ch == "_":
            out.append("?")
        elif ch in "*?[":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


def _is_text(fdef: FieldDef) -> bool:
    return fdef.datatype in {"TEXT", "ENUM"}


@dataclass
class FilterCompiler:
    resolver: Resolver
    zone: str
    use_aliases: bool
    caseinsensitive: bool
    params: list[Any] = dc_field(default_factory=list)

    def compile(self, node: FilterNode) -> str:
        if isinstance(node, Logic):
            joiner = " AND " if node.op == "and" else " OR "
            return "(" + joiner.join(self.compile(c) for c in node.children) + ")"
        if isinstance(node, Not):
            inner = self.compile(node.child)
            return f"(NOT {inner})"
        return self.condition(node)

    def literal(self, col: Column, text: str) -> Any:
        aliases = self.use_aliases and not audit_spelling.literal_as_stored(col.fdef)
        try:
            value = values.filter_value(col.fdef, text, self.zone, use_aliases=aliases)
        except ValueError as exc:
            raise _bad_request(str(exc)) from exc
        if self.caseinsensitive and isinstance(value, str) and _is_text(col.fdef):
            return value.lower()
        return value

    def expr(self, col: Column) -> str:
        if col.fdef.datatype in NUMERIC_DECIMAL_TYPES:
            return f"CAST({col.sql} AS REAL)"
        if self.caseinsensitive and _is_text(col.fdef):
            return f"ia_lower({col.sql})"
        return col.sql

    def condition(self, cond: Cond) -> str:
        col = self.resolver.resolve(cond.field)
        if col is None:
            return "0"
        op = cond.op
        text = _is_text(col.fdef)  # only text can hold '' (Oracle reads it as NULL)
        if op == "isnull":
            return f"({col.sql} IS NULL OR {col.sql} = '')" if text else f"{col.sql} IS NULL"
        if op == "isnotnull":
            if text:
                return f"({col.sql} IS NOT NULL AND {col.sql} <> '')"
            return f"{col.sql} IS NOT NULL"
        expr = self.expr(col)
        if op in COMPARISONS:
            self.params.append(self.literal(col, cond.values[0]))
            return f"{expr} {COMPARISONS[op]} ?"
        if op == "between":
            self.params.extend(self.literal(col, v) for v in cond.values)
            return f"{expr} BETWEEN ? AND ?"
        if op in LIST_OPS:
            self.params.extend(self.literal(col, v) for v in cond.values)
            marks = ", ".join("?" for _ in cond.values)
            return f"{expr} {'NOT IN' if op == 'notin' else 'IN'} ({marks})"
        # like / notlike: case-sensitive GLOB (SQLite LIKE ignores ASCII case)
        pattern = cond.values[0]
        if self.caseinsensitive:
            pattern = pattern.lower()
        self.params.append(_like_to_glob(pattern))
        text_expr = f"ia_lower({col.sql})" if self.caseinsensitive else col.sql
        return f"{text_expr} {'NOT GLOB' if op == 'notlike' else 'GLOB'} ?"


def _not_null_fields(node: FilterNode | None) -> set[str]:
    """Fields the filter forces to be non-NULL (NULL never satisfies a comparison), which
    lets ORDER BY use the (WHENMODIFIED, RECORDNO) index instead of a NULLS-LAST sort."""
    if node is None:
        return set()
    if isinstance(node, Cond):
        if node.op in NULL_OPS:
            return {node.field.strip().upper()} if node.op == "isnotnull" else set()
        return {node.field.strip().upper()}
    if isinstance(node, Logic):
        sets = [_not_null_fields(child) for child in node.children]
        if node.op == "and":
            return set().union(*sets)
        return set.intersection(*sets) if sets else set()
    return set()


def _forces_null(node: FilterNode, name: str) -> bool:
    if isinstance(node, Cond):
        return node.op == "isnull" and node.field.strip().upper() == name
    if isinstance(node, Logic):
        if node.op == "and":
            return any(_forces_null(c, name) for c in node.children)
        return all(_forces_null(c, name) for c in node.children)
    return False


def _lower_bound(node: FilterNode, name: str, convert: Callable[[str], Any]) -> Any:
    """A value L such that the filter implies `name >= L` (converted to stored form), or
    None. AND takes the tightest child bound, OR the loosest (all branches need one)."""
    if isinstance(node, Cond):
        if node.field.strip().upper() != name:
            return None
        if node.op in {"equalto", "greaterthan", "greaterthanorequalto", "between"}:
            return convert(node.values[0])
        if node.op == "in":
            return min(convert(v) for v in node.values)
        return None
    if isinstance(node, Logic):
        bounds = [_lower_bound(c, name, convert) for c in node.children]
        if node.op == "and":
            found = [b for b in bounds if b is not None]
            return max(found) if found else None
        if any(b is None for b in bounds):
            return None
        return min(bounds)
    return None


def _after_pattern(node: FilterNode, first: str, key: str) -> tuple[str, str] | None:
    """(v, k) when node is `first > v OR (first = v AND key > k)`: "rows after (v, k)"."""
    if not isinstance(node, Logic) or node.op != "or" or len(node.children) != 2:
        return None
    gt, conj = node.children
    if isinstance(conj, Cond):
        gt, conj = conj, gt
    if not (isinstance(gt, Cond) and gt.op == "greaterthan" and gt.field.strip().upper() == first):
        return None
    if not isinstance(conj, Logic) or conj.op != "and" or len(conj.children) != 2:
        return None
    eq = next((c for c in conj.children if isinstance(c, Cond) and c.op == "equalto"), None)
    kgt = next((c for c in conj.children if isinstance(c, Cond) and c.op == "greaterthan"), None)
    if eq is None or kgt is None or eq.field.strip().upper() != first:
        return None
    if kgt.field.strip().upper() != key or eq.values[0] != gt.values[0]:
        return None
    return gt.values[0], kgt.values[0]


def _split_continuation(
    node: FilterNode | None, orderby: list[tuple[str, bool]], key: str
) -> tuple[FilterNode | None, tuple[str, str]] | None:
    """A keyset continuation filter `BASE AND after(v, k)` ordered by (first, key)
    ascending, as (BASE, (v, k)); its count is count(BASE) - rank of (v, k) in BASE."""
    if len(orderby) != 2 or orderby[0][1] or orderby[1][1]:
        return None
    first, second = orderby[0][0].strip().upper(), orderby[1][0].strip().upper()
    if second != key or first == key:
        return None
    if isinstance(node, Logic) and node.op == "and":
        for i, child in enumerate(node.children):
            after = _after_pattern(child, first, key)
            if after is not None:
                rest = node.children[:i] + node.children[i + 1 :]
                base: FilterNode | None = rest[0] if len(rest) == 1 else Logic("and", rest)
                return base, after
        return None
    if node is not None:
        after = _after_pattern(node, first, key)
        if after is not None:
            return None, after
    return None


def _split_by_nulls(node: FilterNode | None, name: str) -> tuple[FilterNode, FilterNode] | None:
    """A top-level OR whose branches either force `name` non-NULL or force it NULL, as
    (non-null part, null part); such listings run as two index-friendly queries."""
    if not isinstance(node, Logic) or node.op != "or":
        return None
    nonnull = [c for c in node.children if name in _not_null_fields(c)]
    null = [c for c in node.children if _forces_null(c, name)]
    if not nonnull or not null or len(nonnull) + len(null) != len(node.children):
        return None
    a = nonnull[0] if len(nonnull) == 1 else Logic("or", nonnull)
    b = null[0] if len(null) == 1 else Logic("or", null)
    return a, b


# ---- select compilation ----


@dataclass(frozen=True)
class SelectItem:
    field: str
    function: str | None = None  # count/sum/avg/min/max


@dataclass(frozen=True)
class OutputColumn:
    name: str
    fdef: FieldDef | None  # None for COUNT.* results (integer)
    aggregate: str | None = None


@dataclass
class CompiledSelect:
    obj: ObjectDef
    columns: list[OutputColumn]
    from_where: str  # "FROM ... WHERE ..." (no ORDER BY)
    select_list: str
    column_sql: list[str]
    order_by: str
    params: list[Any]
    grouped: bool
    group_by: str = ""
    keyset: list[tuple[str, bool]] | None = None  # (column SQL, descending) if seekable
    parts: list[CompiledSelect] | None = None  # run in order and concatenate (NULL blocks)
    base: CompiledSelect | None = None  # for keyset continuations: the filter without after()
    after: tuple[Any, ...] | None = None  # stored-form sort values the continuation starts after
    clean_columns: frozenset[str] = frozenset()  # text fields known to need no XML escaping

    def signature(self) -> tuple[str, str, str]:
        return (self.from_where, self.order_by, self.select_list)

    def xml_keyset_sql(self, element: str, zone: str) -> str:
        """Next page after a known last row: `(sort cols) > (?, ...)` instead of OFFSET."""
        assert self.keyset
        cols = ", ".join(c for c, _ in self.keyset)
        marks = ", ".join("?" for _ in self.keyset)
        op = "<" if self.keyset[0][1] else ">"
        # the seek condition goes first so SQLite's planner uses it as the index range
        table_part, _, where = self.from_where.partition(" WHERE ")
        rest = f" AND {where}" if where else ""
        return (
            f"SELECT {record_xml_sql(self, element, zone)}, {cols} {table_part} "
            f"WHERE ({cols}) {op} ({marks}){rest} ORDER BY {self.order_by} LIMIT ?"
        )

    def xml_offset_sql_with_keys(self, element: str, zone: str) -> str:
        cols = ", ".join(c for c, _ in self.keyset or [])
        return (
            f"SELECT {record_xml_sql(self, element, zone)}, {cols} {self.from_where} "
            f"ORDER BY {self.order_by} LIMIT ? OFFSET ?"
        )

    def count_sql(self) -> str:
        if self.grouped and not self.group_by:
            return "SELECT 1"  # aggregates over the whole selection: one row
        if self.grouped:
            return f"SELECT COUNT(*) FROM (SELECT 1 {self.from_where} {self.group_by})"
        return f"SELECT COUNT(*) {self.from_where}"

    def page_sql(self) -> str:
        return (
            f"SELECT {self.select_list} {self.from_where} {self.group_by} "
            f"ORDER BY {self.order_by} LIMIT ? OFFSET ?"
        )

    def xml_page_sql(self, element: str, zone: str) -> str:
        """Like page_sql, but each row is one string: the finished record element."""
        return (
            f"SELECT {record_xml_sql(self, element, zone)} {self.from_where} {self.group_by} "
            f"ORDER BY {self.order_by} LIMIT ? OFFSET ?"
        )


def compile_select(
    obj: ObjectDef,
    items: list[SelectItem],
    filter_node: FilterNode | None,
    orderby: list[tuple[str, bool]],
    *,
    zone: str,
    entity_id: str | None,
    showprivate: bool,
    caseinsensitive: bool = False,
    use_aliases: bool = False,
    extra_where: tuple[str, list[Any]] | None = None,
    for_read: bool = False,
) -> CompiledSelect:
    """Build the SQL for a listing. `orderby` = [(field, descending)]. Raises QueryError
    with the exact "cannot be queried" error when any field is unknown or refused."""
    common: dict[str, Any] = {
        "zone": zone,
        "entity_id": entity_id,
        "showprivate": showprivate,
        "caseinsensitive": caseinsensitive,
        "use_aliases": use_aliases,
        "extra_where": extra_where,
        "for_read": for_read,
    }
    first = orderby[0][0].strip().upper() if orderby else ""
    split = (
        _split_by_nulls(filter_node, first)
        if first and not any(i.function for i in items)
        else None
    )
    if split is not None:
        # NULLS LAST ascending / FIRST descending: the null part is a block at one end
        nonnull = compile_select(obj, items, split[0], orderby, **common)
        nulls = compile_select(obj, items, split[1], orderby[1:], **common)
        parts = [nulls, nonnull] if orderby[0][1] else [nonnull, nulls]
        return replace(nonnull, parts=parts, keyset=None)
    resolver = Resolver(obj, readable=for_read)
    select_parts: list[str] = []
    columns: list[OutputColumn] = []
    group_cols: list[str] = []
    grouped = any(i.function for i in items)
    for item in items:
        if item.function and item.function not in AGGREGATES:
            raise _bad_request(f"unknown aggregate {item.function}")
        col = resolver.resolve(item.field)
        if col is None:
            continue
        if item.function:
            fn = item.function.upper()
            if item.function == "count":
                select_parts.append(f"COUNT({col.sql})")
                columns.append(OutputColumn(f"COUNT.{col.name}", None, "count"))
            else:
                numeric = col.fdef.datatype in NUMERIC_DECIMAL_TYPES
                inner = f"CAST({col.sql} AS REAL)" if numeric else col.sql
                select_parts.append(f"{fn}({inner})")
                columns.append(OutputColumn(f"{fn}.{col.name}", col.fdef, item.function))
        else:
            select_parts.append(col.sql)
            columns.append(OutputColumn(col.name, col.fdef))
            group_cols.append(col.sql)
    compiler = FilterCompiler(resolver, zone, use_aliases, caseinsensitive)
    where: list[str] = []
    seek: tuple[str, list[Any]] | None = None
    if filter_node is not None:
        where.append(compiler.compile(filter_node))
        if orderby and not orderby[0][1]:
            seek = _seek_condition(
                resolver,
                orderby[0][0],
                filter_node,
                zone,
                use_aliases=use_aliases,
                caseinsensitive=caseinsensitive,
            )
    order_terms: list[str] = []
    non_null = _not_null_fields(filter_node)
    has_key = False
    keyset: list[tuple[str, bool]] | None = []
    for name, descending in orderby:
        col = resolver.resolve(name)
        if col is None:
            continue
        numeric = col.fdef.datatype in NUMERIC_DECIMAL_TYPES
        expr = f"CAST({col.sql} AS REAL)" if numeric else col.sql
        direction = "DESC" if descending else "ASC"
        is_key = col.fdef.id == obj.key_field and "." not in col.name
        nullable = not is_key and col.name.upper() not in non_null
        if nullable:  # Oracle order: NULLS LAST ascending, NULLS FIRST descending
            null_term = f"{col.sql} IS NULL" + (" DESC" if descending else "")
            order_terms.append(null_term)
        order_terms.append(f"{expr} {direction}")
        if keyset is not None and not has_key:
            plain = not nullable and not numeric and "." not in col.name
            keyset = [*keyset, (col.sql, descending)] if plain else None
        has_key = has_key or is_key
    if resolver.bad:
        from intacct_sandbox.functions.common import fields_not_queryable

        raise QueryError(fields_not_queryable(obj.name, resolver.bad))
    key_sql = f"t.{quote_ident(obj.key_field)}"
    if grouped:
        if not order_terms:
            order_terms = [*group_cols] or ["1"]
    elif not has_key:
        order_terms.append(f"{key_sql} ASC")
        if keyset is not None:
            keyset.append((key_sql, False))
    if grouped or not keyset or len({d for _, d in keyset}) != 1:
        keyset = None
    vis_sql, vis_params = visibility_sql(obj, entity_id, showprivate, alias="t")
    params: list[Any] = []
    conds: list[str] = []
    if seek is not None:  # first, so SQLite's planner takes it as the index range start
        conds.append(seek[0])
        params.extend(seek[1])
    if vis_sql:
        conds.append(vis_sql)
        params.extend(vis_params)
    if extra_where:
        conds.append(extra_where[0])
        params.extend(extra_where[1])
    conds.extend(where)
    params.extend(compiler.params)
    from_where = f"FROM {table(obj)} AS t"
    if conds:
        from_where += " WHERE " + " AND ".join(conds)
    continuation = (
        _split_continuation(filter_node, orderby, obj.key_field.upper())
        if keyset is not None and not grouped
        else None
    )
    base_cs: CompiledSelect | None = None
    after_values: tuple[Any, ...] | None = None
    if continuation is not None:
        key_col = resolver.resolve(obj.key_field)
        first_col = resolver.resolve(orderby[0][0])
        if key_col is not None and first_col is not None:
            try:
                after_values = (
                    values.filter_value(
                        first_col.fdef, continuation[1][0], zone, use_aliases=use_aliases
                    ),
                    int(continuation[1][1]),
                )
                base_cs = compile_select(obj, items, continuation[0], orderby, **common)
            except (ValueError, QueryError):
                base_cs, after_values = None, None
    return CompiledSelect(
        obj=obj,
        base=base_cs,
        after=after_values,
        columns=columns,
        from_where=from_where,
        select_list=", ".join(select_parts) or key_sql,
        column_sql=select_parts,
        order_by=", ".join(order_terms),
        params=params,
        grouped=grouped,
        group_by=f"GROUP BY {', '.join(group_cols)}" if grouped and group_cols else "",
        keyset=keyset,
    )


def _seek_condition(
    resolver: Resolver,
    name: str,
    node: FilterNode,
    zone: str,
    *,
    use_aliases: bool,
    caseinsensitive: bool,
) -> tuple[str, list[Any]] | None:
    """`col >= L`, implied by the filter, for the first ascending order column: a
    redundant conjunct that turns keyset filters written with OR into an index range."""
    col = Resolver(resolver.obj).resolve(name)
    if col is None or col.fdef.datatype in NUMERIC_DECIMAL_TYPES or "." in col.name:
        return None
    if caseinsensitive and _is_text(col.fdef):
        return None  # filters compare lower-cased text; a raw range could drop rows
    fdef = col.fdef

    def convert(text: str) -> Any:
        return values.filter_value(fdef, text, zone, use_aliases=use_aliases)

    try:
        lowest = _lower_bound(node, name.strip().upper(), convert)
    except (ValueError, TypeError):
        return None
    if lowest is None:
        return None
    return f"{col.sql} >= ?", [lowest]


def prepare_connection(conn: sqlite3.Connection) -> None:
    """Register the SQL helpers the compiled queries use (Unicode-aware lower()), once per
    connection: registering a function again expires every prepared statement of the
    connection, and re-preparing a page query (timestamp CASE trees) costs milliseconds."""
    try:
        conn.execute(_HELPERS_PROBE).fetchone()
        return
    except sqlite3.OperationalError:
        pass
    conn.create_function("ia_lower", 1, _ia_lower, deterministic=True)
    conn.create_function("ia_ts", 3, _ia_ts, deterministic=True)


_HELPERS_PROBE = "SELECT ia_lower(NULL), ia_ts(NULL, '', '')"


def _ia_ts(value: Any, zone: str, pattern: str) -> str:
    return values.render_timestamp(value, zone, pattern) if value else ""


def _ia_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


# ---- rendering ----


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _escaped_sql(expr: str) -> str:
    return (
        f"replace(replace(replace(replace({expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
        "'''', '&#039;')"
    )


_TRANSITIONS_FROM = datetime(1990, 1, 1, tzinfo=timezone.utc)
_TRANSITIONS_TO = datetime(2060, 1, 1, tzinfo=timezone.utc)


@lru_cache(maxsize=32)
def _zone_transitions(zone: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """UTC instants (stored-text form) where the zone's UTC offset changes between 1990 and
    2060, and the offsets in seconds in force from each one (offsets[0] applies before
    the first).

    Weeks whose ends have the same offset are skipped; the others are scanned every 12
    hours and each change is bisected to the second. (A change and its reversal within
    one week would be missed; no zone in the tz database has one in these years.)"""
    tz = values.zone(zone)

    def offset(at: datetime) -> int:
        return int((at.astimezone(tz).utcoffset() or timedelta(0)).total_seconds())

    instants: list[str] = []
    offsets = [offset(_TRANSITIONS_FROM)]
    week, step = timedelta(days=7), timedelta(hours=12)
    at = _TRANSITIONS_FROM
    while at < _TRANSITIONS_TO:
        week_end = min(at + week, _TRANSITIONS_TO)
        if offset(week_end) == offsets[-1]:
            at = week_end
            continue
        while at < week_end:
            nxt = at + step
            if offset(nxt) != offsets[-1]:
                lo, hi = at, nxt  # binary search for the second of the change
                while hi - lo > timedelta(seconds=1):
                    mid = lo + (hi - lo) / 2
                    if offset(mid) == offsets[-1]:
                        lo = mid
                    else:
                        hi = mid
                instants.append(values.utc_iso(hi.replace(microsecond=0)))
                offsets.append(offset(nxt))
            at = nxt
    return tuple(instants), tuple(offsets)


def _offset_case(
    expr: str, instants: tuple[str, ...], offsets: tuple[int, ...], lo: int, hi: int
) -> str:
    """Binary CASE tree over instants[lo:hi] yielding the strftime offset modifier."""
    if lo >= hi:
        return f"'{offsets[lo]} seconds'"
    mid = (lo + hi) // 2
    left = _offset_case(expr, instants, offsets, lo, mid)
    right = _offset_case(expr, instants, offsets, mid + 1, hi)
    return f"CASE WHEN {expr} < '{instants[mid]}' THEN {left} ELSE {right} END"


@lru_cache(maxsize=256)
def timestamp_sql(expr: str, zone: str, pattern: str = "%m/%d/%Y") -> str:
    """Stored UTC text -> `<date pattern> HH:MM:SS` in `zone` (a resolved field zone, see
    `values.field_zone`), computed by SQLite itself.

    No Python callback per value, so concurrent requests render without holding the GIL;
    values outside 1990-2060 fall back to the Python conversion (`ia_ts`). Memoised: the
    CASE tree is a few kB of SQL text per column (one `'N seconds'` literal for a fixed
    offset)."""
    instants, offsets = _zone_transitions(zone)
    modifier = _offset_case(expr, instants, offsets, 0, len(instants))
    fallback = f"ia_ts({expr}, {_sql_literal(zone)}, {_sql_literal(pattern)})"
    return (
        f"CASE WHEN {expr} IS NULL OR {expr} = '' THEN '' "
        f"WHEN {expr} < '1990' OR {expr} >= '2060' THEN {fallback} "
        f"ELSE strftime({_sql_literal(pattern + ' %H:%M:%S')}, {expr}, {modifier}) END"
    )


def date_sql(expr: str, pattern: str) -> str:
    """Stored `YYYY-MM-DD` -> the user's date format (plain substrings for the US form,
    the cheapest; SQLite's strftime for the others)."""
    if pattern == "%m/%d/%Y":
        rendered = (
            f"substr({expr}, 6, 2) || '/' || substr({expr}, 9, 2) || '/' || substr({expr}, 1, 4)"
        )
    else:
        rendered = f"strftime({_sql_literal(pattern)}, {expr})"
    return f"CASE WHEN {expr} IS NULL OR {expr} = '' THEN '' ELSE {rendered} END"


def _needs_escape_check(fdef: FieldDef) -> bool:
    if fdef.datatype == "ENUM" and fdef.validvalues:
        return any(ch in v for v in fdef.validvalues for ch in "&<>'")
    return fdef.datatype in {"TEXT", "ENUM"}


def column_value_sql(fdef: FieldDef, expr: str, zone: str, *, clean: bool = False) -> str:
    """SQL yielding the escaped wire text of one stored column (NULL renders as empty text
    inside `printf`, so no COALESCE is needed).

    Text pays one GLOB test per value; the replace chain runs only where it is needed
    (measured faster than one probe per row over the concatenated text)."""
    kind = fdef.datatype
    if kind == "TIMESTAMP":
        return timestamp_sql(expr, values.field_zone(fdef, zone), values.date_pattern())
    if kind == "DATE":
        return date_sql(expr, values.date_pattern())
    if not clean and _needs_escape_check(fdef):
        return f"CASE WHEN {expr} GLOB '*[&<>'']*' THEN {_escaped_sql(expr)} ELSE {expr} END"
    return expr


def column_xml_sql(name: str, fdef: FieldDef, expr: str, zone: str, *, clean: bool = False) -> str:
    """SQL producing `<NAME>value</NAME>` (empty element for NULL) for one stored column."""
    template = _printf_literal(f"<{name}>") + "%s" + _printf_literal(f"</{name}>")
    value = column_value_sql(fdef, expr, zone, clean=clean)
    return f"printf({_sql_literal(template)}, {value})"


# SQLite's default SQLITE_MAX_FUNCTION_ARG is 127; stay well below it per printf call.
_PRINTF_MAX_ARGS = 100


def _printf_literal(text: str) -> str:
    return text.replace("%", "%%")


def record_xml_sql(cs: CompiledSelect, element: str, zone: str) -> str:
    """One SQL expression rendering a whole record element.

    A precomputed `printf` template per record (`<A>%s</A><B>%s</B>...`) builds each row in
    one growing buffer; a chain of `||` would copy the growing record once per field."""
    templates: list[str] = []
    args: list[str] = []
    for col, expr in zip(cs.columns, cs.column_sql, strict=True):
        if col.fdef is None or col.aggregate:
            raise ValueError("aggregate listings are rendered in Python")
        clean = col.name in cs.clean_columns and expr == f"t.{quote_ident(col.fdef.id)}"
        templates.append(f"{_printf_literal(f'<{col.name}>')}%s{_printf_literal(f'</{col.name}>')}")
        args.append(column_value_sql(col.fdef, expr, zone, clean=clean))
    head, tail = _printf_literal(f"<{element}>"), _printf_literal(f"</{element}>")
    if not args:
        return _sql_literal(f"<{element}></{element}>")
    calls: list[str] = []
    for start in range(0, len(args), _PRINTF_MAX_ARGS):
        chunk = templates[start : start + _PRINTF_MAX_ARGS]
        if start == 0:
            chunk = [head, *chunk]
        if start + _PRINTF_MAX_ARGS >= len(args):
            chunk = [*chunk, tail]
        joined = ", ".join(args[start : start + _PRINTF_MAX_ARGS])
        calls.append(f"printf({_sql_literal(''.join(chunk))}, {joined})")
    return " || ".join(calls)


def row_renderer(columns: list[OutputColumn], zone: str) -> Callable[[tuple[Any, ...]], list[str]]:
    """Per-row function returning the field elements (every column, empty when NULL)."""
    from intacct_sandbox.xmlout import escape_text

    plans: list[tuple[str, str, str, Callable[[Any], str], bool]] = []
    for col in columns:
        fdef = col.fdef
        if col.aggregate in {"count"} or fdef is None:
            render: Callable[[Any], str] = _render_number
            needs_escape = False
        elif col.aggregate in {"sum", "avg"} or (
            col.aggregate in {"min", "max"} and fdef.datatype in NUMERIC_DECIMAL_TYPES
        ):
            render = _render_number
            needs_escape = False
        else:
            render = values.renderer(fdef, zone)
            needs_escape = _is_text(fdef) or fdef.datatype == "TEXT"
        plans.append(
            (f"<{col.name}>", f"</{col.name}>", f"<{col.name}></{col.name}>", render, needs_escape)
        )

    def render_row(row: tuple[Any, ...]) -> list[str]:
        out = []
        for (open_, close, empty, fn, esc), value in zip(plans, row, strict=False):
            if value is None or value == "":
                out.append(empty)
            elif esc:
                out.append(open_ + escape_text(fn(value)) + close)
            else:
                out.append(open_ + fn(value) + close)
        return out

    return render_row


def _render_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        from decimal import Decimal

        return values.format_decimal(Decimal(repr(round(value, 10))))
    return str(value)


# ---- paging caches (totalcount and keyset positions) ----


class PageCache:
    """Remembers totalcounts and "row after offset N" positions of recent listings so a
    client paging with offsets costs O(page) instead of O(offset) per call.

    Entries are keyed by the database's change token (`db.change_token`), which every
    row write replaces with a fresh random number, so a hit always describes the same
    data - across connections, and after a reset restores the pristine file."""

    def __init__(self, max_entries: int = 512) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._max = max_entries

    @staticmethod
    def marker(conn: sqlite3.Connection) -> int | None:
        return change_token(conn)

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


PAGE_CACHE = PageCache()


def clear_caches() -> None:
    """Forget cached counts/positions (the gateway calls this after a reset)."""
    PAGE_CACHE.clear()


def mark_clean_columns(conn: sqlite3.Connection, cs: CompiledSelect) -> None:
    """Tell the renderer which text columns never held & < > ' (db escape tracking)."""
    marker = PageCache.marker(conn)
    key = ("esc", marker, cs.obj.name)
    dirty = PAGE_CACHE.get(key) if marker is not None else None
    if dirty is None:
        dirty = escape_columns(conn, cs.obj)
        if dirty is None:
            dirty = frozenset(f.id for f in cs.obj.fields)
        if marker is not None:
            PAGE_CACHE.put(key, dirty)
    clean = frozenset(
        f.id for f in cs.obj.fields if f.datatype in {"TEXT", "ENUM"} and f.id not in dirty
    )
    for part in [cs, *(cs.parts or [])]:
        part.clean_columns = clean


def run_page(
    conn: sqlite3.Connection,
    cs: CompiledSelect,
    element: str,
    zone: str,
    *,
    pagesize: int,
    offset: int,
) -> tuple[int, list[str]]:
    """(totalcount, rendered records) of one offset page, using the caches when valid."""
    prepare_connection(conn)
    mark_clean_columns(conn, cs)
    if cs.parts:
        totals: list[int] = []
        records: list[str] = []
        skip = offset
        for part in cs.parts:
            want = pagesize - len(records)
            part_total, part_records = run_page(
                conn, part, element, zone, pagesize=max(want, 0), offset=skip
            )
            totals.append(part_total)
            records.extend(part_records)
            skip = max(0, skip - part_total)
        return sum(totals), records
    marker = PageCache.marker(conn)
    cacheable = marker is not None
    base = (marker, cs.signature(), tuple(cs.params))
    # rows of the un-continued listing come before this page: `rank_key` + rank lets the
    # next continuation page compute its totalcount without counting (count(BASE) - rank)
    origin = cs.base or cs
    rank_key = (marker, origin.signature(), tuple(origin.params))
    start_rank = PAGE_CACHE.get(("rank", *rank_key, cs.after)) if cs.after and cacheable else 0
    total = PAGE_CACHE.get(("count", *base)) if cacheable else None
    if total is None and cs.base is not None and start_rank is not None and cacheable:
        base_total = PAGE_CACHE.get(("count", *rank_key))
        if base_total is not None:
            total = base_total - start_rank
    if total is None:
        total = int(conn.execute(cs.count_sql(), cs.params).fetchone()[0])
        if cs.base is not None and start_rank is None and cacheable:
            base_total = PAGE_CACHE.get(("count", *rank_key))
            start_rank = None if base_total is None else base_total - total
    if cacheable:
        PAGE_CACHE.put(("count", *base), total)
    if offset >= total or pagesize <= 0:
        return total, []
    if cs.keyset is None:
        sql = cs.xml_page_sql(element, zone)
        return total, [r[0] for r in conn.execute(sql, [*cs.params, pagesize, offset])]
    after = PAGE_CACHE.get(("pos", *base, offset)) if cacheable else None
    if after is not None:
        rows = conn.execute(
            cs.xml_keyset_sql(element, zone), [*after, *cs.params, pagesize]
        ).fetchall()
    else:
        rows = conn.execute(
            cs.xml_offset_sql_with_keys(element, zone), [*cs.params, pagesize, offset]
        ).fetchall()
    if rows and cacheable:
        last = tuple(rows[-1][1:])
        PAGE_CACHE.put(("pos", *base, offset + len(rows)), last)
        if start_rank is not None and (cs.base is None or cs.after is not None):
            PAGE_CACHE.put(("rank", *rank_key, last), start_rank + offset + len(rows))
    return total, [r[0] for r in rows]
