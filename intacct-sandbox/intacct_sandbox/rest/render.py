"""REST query records rendered as JSON text inside SQLite.

A page of up to 4000 records converted value by value in Python (`convert.json_converter`,
`Nester`, then `json.dumps`) costs far more than the query itself. Here each record's
JSON text comes straight out of SQLite: one `printf` template per record holds the keys
and nesting (`{"key":%s,"glAccount":{"id":%s}}`), and each `%s` is a JSON fragment
computed from the stored value in SQL.

The SQL reproduces `convert.to_json` only for the stored forms it can render exactly
(integers, text, canonical decimals such as `-12.5`). Any other value (a REAL, a decimal
with more places than a currency keeps, a number in an unusual spelling) yields the
marker character U+0001 instead of its fragment; `json_quote` escapes that character in
every string, so it appears in a rendered page only as such a marker, and the caller then
renders that page the Python way.
"""

from __future__ import annotations

import json
from typing import Any

from intacct_sandbox.catalog import FieldDef
from intacct_sandbox.rest.convert import Nester, is_key_path

MARKER = "\x01"
_MARK = "char(1)"
# SQLite's default SQLITE_MAX_FUNCTION_ARG is 127; stay well below it per printf call.
_PRINTF_MAX_ARGS = 100
# Longest canonical decimal rendered in SQL; longer texts go to Python (28-digit context).
_MAX_DECIMAL_TEXT = 20
# float repr keeps the decimal digits of a value with at most this many significant digits.
_FLOAT_DIGITS = 15


class _Leaf:
    """One value's place in a record shape (a field path)."""

    def __init__(self, path: str) -> None:
        self.path = path


Shape = dict[str, Any]  # name -> _Leaf | Shape


def record_shape(fields: list[str], dotted: bool) -> Shape:
    """The record's keys and nesting, found by running `Nester`'s rules over the paths
    (the shape depends on the paths only, never on the values)."""
    leaves = {path: _Leaf(path) for path in fields}
    return dict(leaves) if dotted else Nester(fields)(leaves)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _template(shape: Shape, leaves: list[str]) -> str:
    """The printf template of one (sub)object; appends the leaf paths in `%s` order."""
    members: list[str] = []
    for name, node in shape.items():
        key = json.dumps(name, ensure_ascii=False).replace("%", "%%")
        if isinstance(node, _Leaf):
            leaves.append(node.path)
            members.append(f"{key}:%s")
        else:
            members.append(f"{key}:{_template(node, leaves)}")
    return "{" + ",".join(members) + "}"


def record_json_sql(
    shape: Shape,
    fragments: dict[str, str],
) -> str:
    """One SQL expression giving a record's JSON text; `fragments` maps each leaf path to
    the SQL of its JSON fragment."""
    leaves: list[str] = []
    template = _template(shape, leaves)
    if not leaves:
        return _sql_literal(template)
    pieces = template.split("%s")
    # pieces[i] precedes leaf i; the last piece closes the record
    calls: list[str] = []
    for start in range(0, len(leaves), _PRINTF_MAX_ARGS):
        chunk = leaves[start : start + _PRINTF_MAX_ARGS]
        text = "".join(f"{pieces[start + i]}%s" for i in range(len(chunk)))
        if start + _PRINTF_MAX_ARGS >= len(leaves):
            text += pieces[-1]
        args = ", ".join(fragments[path] for path in chunk)
        calls.append(f"printf({_sql_literal(text)}, {args})")
    return " || ".join(calls)


def href_sql(rest_name: str, key_expr: str) -> str:
    """`/objects/<name>/<key>` as a JSON string (a NULL key reads `None`, as in Python)."""
    prefix = _sql_literal(f"/objects/{rest_name}/")
    return (
        f"CASE WHEN typeof({key_expr}) IN ('integer', 'text') "
        f"THEN json_quote({prefix} || {key_expr}) "
        f"WHEN {key_expr} IS NULL THEN json_quote({prefix} || 'None') ELSE {_MARK} END"
    )


def value_sql(
    fdef: FieldDef, path: str, expr: str, codes: dict[str, str] | None, *, numbers: bool
) -> str:
    """The JSON fragment of one stored value, as `convert.to_json` writes it, or the
    marker where SQL cannot be sure to write it the same way (a REAL or a BLOB always)."""
    e = expr
    coded = " ".join(
        f"WHEN CAST({e} AS TEXT) = {_sql_literal(stored)} "
        f"THEN {_sql_literal(json.dumps(rest_value, ensure_ascii=False))}"
        for rest_value, stored in (codes or {}).items()
    )
    text, integer = _kind_sql(fdef.datatype, path, e, numbers=numbers)
    if coded:
        integer = f"CASE {coded} ELSE {integer} END"
    return (
        f"CASE typeof({e}) "
        f"WHEN 'text' THEN CASE WHEN {e} = '' THEN 'null' {coded} {text} END "
        f"WHEN 'integer' THEN {integer} "
        f"WHEN 'null' THEN 'null' ELSE {_MARK} END"
    )


def _kind_sql(kind: str, path: str, e: str, *, numbers: bool) -> tuple[str, str]:
    """(CASE branches for a non-empty text, expression for an integer)."""
    if is_key_path(path) or kind not in {"INTEGER", "CURRENCY", "DECIMAL", "PERCENT", "BOOLEAN"}:
        return f"ELSE json_quote({e})", f"'\"' || {e} || '\"'"
    if kind == "INTEGER":
        return _integer_text_sql(e), e
    if kind == "BOOLEAN":
        return (
            f"WHEN {e} = 'true' THEN 'true' WHEN {e} = 'false' THEN 'false' "
            f"WHEN NOT {e} GLOB '*[^ -~]*' THEN "
            f"CASE WHEN lower(trim({e})) IN ('true', 't', '1') THEN 'true' ELSE 'false' END "
            f"ELSE {_MARK}",
            f"CASE WHEN {e} = 1 THEN 'true' ELSE 'false' END",
        )
    return _decimal_text_sql(kind, e, numbers=numbers), _decimal_integer_sql(kind, e, numbers)


def _integer_text_sql(e: str) -> str:
    """`int(value)`, or the text itself where it is no integer; Python's `int` also takes
    spaces, signs, underscores and non-ASCII digits, so such texts go to Python."""
    digits = f"NOT {e} GLOB '*[^0-9]*'"
    negative = f"{e} GLOB '-[0-9]*' AND NOT substr({e}, 2) GLOB '*[^0-9]*'"
    return (
        f"WHEN ({digits} OR {negative}) AND length({e}) <= 18 "
        f"THEN CAST(CAST({e} AS INTEGER) AS TEXT) "
        f"WHEN NOT {e} GLOB '*[^ -~]*' AND NOT {e} GLOB '*[0-9]*' THEN json_quote({e}) "
        f"ELSE {_MARK}"
    )


def _decimal_integer_sql(kind: str, e: str, numbers: bool) -> str:
    if numbers:
        return e
    if kind == "CURRENCY":
        return f"'\"' || {e} || '.00\"'"
    return f"'\"' || {e} || '\"'"


def _decimal_text_sql(kind: str, e: str, *, numbers: bool) -> str:
    """Decimals from their canonical text (`-?digits(.digits)?`, no leading zero), taken
    apart as text so no binary float is involved; other spellings go to Python."""
    canonical = (
        f"NOT {e} GLOB '*[^0-9.-]*' AND NOT {e} GLOB '?*-*' AND NOT {e} GLOB '*.*.*' "
        f"AND {e} GLOB '*[0-9]' AND NOT {e} GLOB '0[0-9]*' AND NOT {e} GLOB '-0[0-9]*' "
        f"AND NOT {e} GLOB '.*' AND NOT {e} GLOB '-.*' AND length({e}) <= {_MAX_DECIMAL_TEXT}"
    )
    head = f"WHEN NOT ({canonical}) THEN {_MARK} "
    trimmed = f"rtrim({e}, '0')"  # only on texts with a '.', so it stops there at the latest
    if numbers:
        # int(amount) when integral (so -0 is 0), else float(amount) as repr writes it:
        # the same digits while at most 15 are significant and the value is not tiny
        return (
            head + f"WHEN NOT {e} GLOB '*.*' THEN CASE WHEN {e} = '-0' THEN '0' ELSE {e} END "
            f"WHEN {trimmed} GLOB '*.' THEN CASE WHEN {trimmed} GLOB '-0.' THEN '0' "
            f"ELSE rtrim({trimmed}, '.') END "
            f"WHEN length({trimmed}) > {_FLOAT_DIGITS + 1} "
            f"OR {e} GLOB '0.0000*' OR {e} GLOB '-0.0000*' THEN {_MARK} "
            f"ELSE {trimmed}"
        )
    if kind == "CURRENCY":
        # quantize(0.01): texts with more places would need rounding, so go to Python
        return (
            head + f"WHEN {e} GLOB '*.[0-9][0-9]' THEN '\"' || {e} || '\"' "
            f"WHEN {e} GLOB '*.[0-9]' THEN '\"' || {e} || '0\"' "
            f"WHEN NOT {e} GLOB '*.*' THEN '\"' || {e} || '.00\"' "
            f"ELSE {_MARK}"
        )
    # values.format_decimal: trailing zeros dropped, an integral value without a point
    return (
        head + f"WHEN NOT {e} GLOB '*.*' OR NOT {e} GLOB '*0' THEN '\"' || {e} || '\"' "
        f"WHEN {trimmed} GLOB '*.' THEN '\"' || rtrim({trimmed}, '.') || '\"' "
        f"ELSE '\"' || {trimmed} || '\"'"
    )
