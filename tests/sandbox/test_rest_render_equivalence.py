"""REST query pages rendered by SQLite (`rest/render.py`, `run_query_json`) answer the
same JSON as the Python conversion (`run_query` + `json.dumps`) they replace.

For every REST object, all fields (plus `href`, in a shuffled order), several pages with
filters and ordering, under every `rest_decimals` x `rest_query_shape` value, both answers
are parsed and compared with types and number texts kept: `"100.00"` must stay that
string, `12` that integer text, `true` a boolean, and object keys in the same order.
A demo seed gets awkward values first (quotes, backslashes, control characters, `%s`,
non-ASCII, negative and zero amounts, `-0`, empty strings, NULLs). Values the SQL does not
render (a REAL, more decimal places than a currency keeps) must make the page fall back
to the Python conversion, still answering the same.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from intacct_sandbox import db, seed, variants
from intacct_sandbox.db import quote_ident
from intacct_sandbox.rest import query
from intacct_sandbox.rest.convert import is_key_path
from intacct_sandbox.rest.objects import REST_OBJECTS, RestObject
from intacct_sandbox.rest.render import MARKER

CALLER = query.Caller(entity_id=None, denied_objects=frozenset())
AWKWARD_TEXT = 'Ünïcode "quoted" \\back\\slash\\ 100% %s %d \t tab € 日本 \x02 \x00 nul \u2028 end'
VARIANTS = [
    {"rest_decimals": decimals, "rest_query_shape": shape}
    for decimals in ("string", "number")
    for shape in ("nested", "dotted")
]


def _set(conn: sqlite3.Connection, table: str, column: str, value: Any, recordno: int) -> None:
    conn.execute(
        f"UPDATE {quote_ident(table)} SET {quote_ident(column)} = ? WHERE RECORDNO = ?",
        (value, recordno),
    )


def _writable_columns(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Column -> declared type, generated columns left out."""
    rows = conn.execute(f"PRAGMA table_xinfo({quote_ident(table)})").fetchall()
    return {row[1]: row[2] for row in rows if row[6] == 0}


def _awkward_rows(conn: sqlite3.Connection) -> None:
    """Edge values on the first records of every object (in-range for the SQL path)."""
    amounts = ["-12.5", "0", "-0", "-0.00", "0.5", "1234567.89", "-0.01", "10", "7.1"]
    decimals = ["1.0500", "-3", "0.000123", "123456.789012", "-0.0", "2"]
    for rest in REST_OBJECTS.values():
        table = rest.catalog.name
        columns = _writable_columns(conn, table)
        visible = "WHERE MEGAENTITYID IS NULL" if "MEGAENTITYID" in columns else ""
        recordnos = [  # rows the top level sees (entity-owned rows are hidden there)
            row[0]
            for row in conn.execute(
                f"SELECT RECORDNO FROM {quote_ident(table)} {visible} ORDER BY RECORDNO LIMIT 12"
            )
        ]
        for path, fdef in rest.paths.items():
            column = fdef.id
            if column not in columns or path in {"key", "id"} or path.startswith("entity."):
                continue
            kind = fdef.datatype
            for i, recordno in enumerate(recordnos):
                if kind == "CURRENCY":
                    value: Any = amounts[i % len(amounts)]
                elif kind in {"DECIMAL", "PERCENT"}:
                    value = decimals[i % len(decimals)]
                elif kind == "BOOLEAN":
                    value = ["true", "false", "", None, "T", " TRUE ", "1", "0", "yes"][i % 9]
                elif is_key_path(path) or kind in {"DATE", "TIMESTAMP"} or path in rest.codes:
                    continue  # references, dates and coded values keep their seeded values
                elif kind == "INTEGER":
                    value = [-3, 0, "n/a", None, "", "-007", 2**40][i % 7]
                else:
                    value = [AWKWARD_TEXT, "", None, "plain", 'O\'Brien & "Sons"'][i % 5]
                _set(conn, table, column, value, recordno)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rest-render") / "demo.db"
    seed.create_database(str(path), "demo", 2, "UTC")
    conn = db.connect(str(path))
    with conn:
        _awkward_rows(conn)
    conn.close()
    return path


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(str(db_path))
    yield connection
    connection.close()


def _typed(value: Any) -> Any:
    """A parsed answer with every JSON type, number text and key order made explicit."""
    if isinstance(value, dict):
        return ["object", [(key, _typed(item)) for key, item in value.items()]]
    if isinstance(value, list):
        return ["array", [_typed(item) for item in value]]
    if isinstance(value, bool):
        return ["boolean", value]
    if value is None:
        return ["null"]
    if isinstance(value, tuple):  # a number, as tagged by _parse_exact
        return ["number", *value]
    assert isinstance(value, str)
    return ["string", value]


def _parse_exact(text: str) -> Any:
    return _typed(
        json.loads(
            text,
            parse_int=lambda s: ("int", s),
            parse_float=lambda s: ("float", s),
        )
    )


def _assert_same(conn: sqlite3.Connection, body: dict[str, Any]) -> str:
    """Both renderings of one query; returns the new answer's text."""
    old = json.dumps(query.run_query(conn, body, CALLER), ensure_ascii=False)
    new = query.run_query_json(conn, body, CALLER).decode()
    assert json.loads(new, parse_float=Decimal) == json.loads(old, parse_float=Decimal), body
    assert _parse_exact(new) == _parse_exact(old), body
    return new


def _sql_records(conn: sqlite3.Connection, body: dict[str, Any]) -> list[str]:
    """The records as SQLite renders them, before any fallback."""
    page = query._plan(body, CALLER)
    shape = query.record_shape(page.fields, variants.active("rest_query_shape") == "dotted")
    numbers = query.decimals_as_numbers()
    _, rows = query._fetch(
        conn, page, lambda part: query._json_page_sql(page, part, shape, numbers)
    )
    return [row[0] for row in rows]


def _bodies(rest: RestObject) -> list[dict[str, Any]]:
    paths = [*rest.paths, "href"]
    shuffled = list(paths)
    random.Random(rest.name).shuffle(shuffled)
    order_field = next(p for p in ("id", "key") if p in rest.paths)
    some_text = next(
        (p for p, f in rest.paths.items() if f.datatype == "TEXT" and "." not in p), "id"
    )
    return [
        {"object": rest.name, "fields": paths, "size": 4000},
        {
            "object": rest.name,
            "fields": shuffled,
            "orderBy": [{order_field: "desc"}],
            "start": 3,
            "size": 17,
        },
        {
            "object": rest.name,
            "fields": [*shuffled[:5], "href", shuffled[0]],
            "filters": [{"$gt": {"key": "1"}}],
            "orderBy": [{some_text: "asc"}],
            "start": 2,
            "size": 50,
        },
        {"object": rest.name, "filters": [{"$eq": {"key": "999999999"}}]},
        {"object": rest.name},
    ]


@pytest.mark.parametrize("chosen", VARIANTS, ids=lambda v: "-".join(v.values()))
@pytest.mark.parametrize("name", sorted(REST_OBJECTS))
def test_sql_rendering_answers_like_python(
    conn: sqlite3.Connection, name: str, chosen: dict[str, str]
) -> None:
    rest = REST_OBJECTS[name]
    with variants.overridden(**chosen):
        bodies = _bodies(rest)
        first = json.loads(_assert_same(conn, bodies[0]))
        assert first["ia::result"], f"the demo seed has {name} records"
        for body in bodies[1:]:
            _assert_same(conn, body)
        # the pages above were rendered by SQLite, not by the Python fallback
        for index, body in enumerate(bodies[:3]):
            records = _sql_records(conn, body)
            assert records or index > 0
            assert not any(MARKER in record for record in records), body


def test_awkward_values_come_through_exactly(conn: sqlite3.Connection) -> None:
    """Wire values pinned independently of the Python reference."""
    cents = {"-12.5": "-12.50", "0": "0.00", "-0": "-0.00", "-0.00": "-0.00", "0.5": "0.50"}
    cents |= {"1234567.89": "1234567.89", "-0.01": "-0.01", "10": "10.00", "7.1": "7.10"}
    numbers = {"-12.5": "-12.5", "0": "0", "-0": "0", "-0.00": "0", "0.5": "0.5"}
    numbers |= {"1234567.89": "1234567.89", "-0.01": "-0.01", "10": "10", "7.1": "7.1"}
    flags = {"true": True, "false": False, "T": True, " TRUE ": True, "1": True, "0": False}
    flags["yes"] = False
    stored = {
        str(row[0]): row[1:]
        for row in conn.execute("SELECT RECORDNO, NAME, CREDITLIMIT, ONHOLD FROM VENDOR")
    }
    body = {
        "object": "accounts-payable/vendor",
        "fields": ["key", "name", "creditLimit", "isOnHold", "href"],
        "size": 4000,
    }
    with variants.overridden(rest_decimals="string", rest_query_shape="nested"):
        records = json.loads(query.run_query_json(conn, body, CALLER))["ia::result"]
    seen: set[str] = set()
    for record in records:
        name, limit, on_hold = stored[record["key"]]
        assert record["href"] == f"/objects/accounts-payable/vendor/{record['key']}"
        assert record["name"] == (name or None)
        assert record["isOnHold"] == (flags.get(on_hold) if on_hold else None)
        if limit in cents:
            assert record["creditLimit"] == cents[limit], limit
            seen.add(limit)
    assert seen == set(cents)
    assert AWKWARD_TEXT in [record["name"] for record in records]
    with variants.overridden(rest_decimals="number", rest_query_shape="dotted"):
        text = query.run_query_json(conn, body, CALLER).decode()
    parsed = json.loads(text, parse_float=lambda s: ("float", s), parse_int=lambda s: ("int", s))
    for record in parsed["ia::result"]:
        limit = stored[record["key"]][1]
        if limit in numbers:
            kind = "float" if "." in numbers[limit] else "int"
            assert record["creditLimit"] == (kind, numbers[limit]), limit


# (object, column, stored value, rest_decimals values under which SQL must hand over)
FALLBACKS = [
    ("accounts-payable/vendor", "CREDITLIMIT", "12.345", {"string"}),  # rounding to cents
    ("accounts-payable/vendor", "CREDITLIMIT", "1e3", {"string", "number"}),
    ("accounts-payable/vendor", "CREDITLIMIT", "007.5", {"string", "number"}),
    ("general-ledger/journal-entry-line", "EXCHANGE_RATE", "0.0000012", {"number"}),
    ("general-ledger/journal-entry-line", "EXCHANGE_RATE", "1234567890.12345678", {"number"}),
    ("general-ledger/journal-entry-line", "LINE_NO", 2.5, {"string", "number"}),  # a REAL
    ("general-ledger/journal-entry-line", "LINE_NO", "1_000", {"string", "number"}),
    ("accounts-payable/vendor", "ONHOLD", "\u00a0true", {"string", "number"}),
    ("accounts-payable/vendor", "PARENTKEY", 12.5, {"string", "number"}),  # a REAL key
]


@pytest.mark.parametrize("chosen", VARIANTS, ids=lambda v: "-".join(v.values()))
@pytest.mark.parametrize("case", FALLBACKS, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]!r}")
def test_values_sql_cannot_render_fall_back_to_python(
    db_path: Path, tmp_path: Path, case: tuple[str, str, Any, set[str]], chosen: dict[str, str]
) -> None:
    name, column, value, hand_over = case
    copy = tmp_path / "copy.db"
    source = db.connect(str(db_path))
    target = sqlite3.connect(str(copy))
    source.backup(target)
    source.close()
    target.close()
    conn = db.connect(str(copy))
    try:
        rest = REST_OBJECTS[name]
        recordno = conn.execute(
            f"SELECT MIN(RECORDNO) FROM {quote_ident(rest.catalog.name)} WHERE MEGAENTITYID IS NULL"
        ).fetchone()[0]
        with conn:
            _set(conn, rest.catalog.name, column, value, recordno)
        body = {
            "object": name,
            "fields": [*rest.paths, "href"],
            "orderBy": [{"key": "asc"}],
            "size": 5,
        }
        with variants.overridden(**chosen):
            records = _sql_records(conn, body)
            _assert_same(conn, body)
        assert (MARKER in records[0]) == (chosen["rest_decimals"] in hand_over)
        assert not any(MARKER in record for record in records[1:])
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("chosen", VARIANTS, ids=lambda v: "-".join(v.values()))
def test_every_page_of_a_larger_seed_renders_in_sql_alike(
    tmp_path_factory: pytest.TempPathFactory, chosen: dict[str, str]
) -> None:
    """Every record of every REST object at scale 6, page by page: no stored value of the
    seed needs the Python fallback, and the answers are equal."""
    path = tmp_path_factory.getbasetemp() / "rest-render-scale6.db"
    if not path.exists():
        seed.create_database(str(path), "demo", 6, "UTC")
    conn = db.connect(str(path))
    try:
        with variants.overridden(**chosen):
            for name, rest in sorted(REST_OBJECTS.items()):
                start, seen = 1, 0
                while True:
                    body = {
                        "object": name,
                        "fields": [*rest.paths, "href"],
                        "orderBy": [{"key": "asc"}],
                        "start": start,
                        "size": 4000,
                    }
                    records = _sql_records(conn, body)
                    assert not any(MARKER in record for record in records), name
                    answer = json.loads(_assert_same(conn, body))
                    seen += len(answer["ia::result"])
                    if answer["ia::meta"]["next"] is None:
                        break
                    start = answer["ia::meta"]["next"]
                assert seen == answer["ia::meta"]["totalCount"] > 0, name
    finally:
        conn.close()
