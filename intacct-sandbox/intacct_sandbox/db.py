"""SQLite storage: one table per catalog object plus a few `_sandbox_*` tables.

Conventions (the write half relies on them):
* Table name = canonical object name, quoted (`"VENDOR"`, `"project_budget"`); columns =
  field ids, quoted (`"DISPLAYCONTACT.EMAIL1"`). `RECORDNO` is `INTEGER PRIMARY KEY`.
* Values are stored in the forms documented in `values.py` (timestamps UTC ISO text,
  money as decimal text, dates ISO).
* Multi-entity: `MEGAENTITYID` NULL = top-level (shared) record, else private to that
  entity (docs/protocol.md §8). See `visibility_sql`.
* `_sandbox_meta(key, value)`: company_id, timezone, seed, scale.
* `_sandbox_users`: login id, salted PBKDF2 password hash, USERINFO RECORDNO, can_write,
  denied objects (comma list). `_sandbox_senders`: sender id + password hash.
  Passwords never reach the file in clear text.

Connections come from `connect(path)`: autocommit mode (`isolation_level=None`) so the
gateway's explicit BEGIN/SAVEPOINT/COMMIT are the only transaction control.

Helpers: `insert_record`, `update_record`, `fetch_record`, `find_by_id`,
`check_sender`, `check_user`, `user_row`, `denied_objects`, `entity_row`, `get_meta`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from intacct_sandbox.catalog import ObjectDef, all_objects, get_object
from intacct_sandbox.catalog.model import RECORD_URL, record_url
from intacct_sandbox.values import utc_iso

SCHEMA_VERSION = "2"  # 2: RECORD_URL columns (computed)
_PBKDF2_ROUNDS = 20_000


def quote_ident(name: str) -> str:
    """SQL identifier quoting; names come from the catalog, never from requests."""
    return '"' + name.replace('"', '""') + '"'


def table(obj: ObjectDef) -> str:
    return quote_ident(obj.name)


def column_type(datatype: str) -> str:
    return "INTEGER" if datatype == "INTEGER" else "TEXT"


# Prepared statements kept per connection: one write request uses ~180 distinct texts
# (an INSERT per object and column set), more than the module's default of 128.
STATEMENT_CACHE_SIZE = 512


def connect(path: str, *, check_same_thread: bool = False) -> sqlite3.Connection:
    """An autocommit connection with WAL and the pragmas the query engine expects.

    `synchronous=OFF`: the gateway commits once per write function, and with NORMAL every
    WAL checkpoint (about one per 50 written records) waited for two fsyncs. A commit is
    still in the OS's hands before the response goes out, so a killed sandbox process
    loses nothing; only an OS crash or power cut could, which a local emulator accepts.
    `temp_store=MEMORY`: every write function runs inside the gateway's SAVEPOINT, so
    each page it changes is first copied to a sub-journal; in memory instead of a temp
    file, that copy costs about a third of a write's SQLite time less.
    """
    conn = sqlite3.connect(
        path,
        isolation_level=None,
        check_same_thread=check_same_thread,
        cached_statements=STATEMENT_CACHE_SIZE,
    )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


# ---- schema ----


def computed(obj: ObjectDef, field_id: str) -> bool:
    """True for a column the database computes (RECORD_URL): never inserted or updated."""
    return field_id == RECORD_URL and obj.field(obj.key_field) is not None


def stored_field_ids(obj: ObjectDef) -> list[str]:
    """The field ids an INSERT may name (every field but the computed ones)."""
    return [f.id for f in obj.fields if not computed(obj, f.id)]


def object_ddl(obj: ObjectDef) -> list[str]:
    cols = []
    for f in obj.fields:
        if f.id == obj.key_field:
            cols.append(f"{quote_ident(f.id)} INTEGER PRIMARY KEY")
        elif computed(obj, f.id):
            # computed, never stored: every row (seeded or written) has its link
            prefix = _sql_text(record_url(obj, ""))
            cols.append(
                f"{quote_ident(f.id)} TEXT GENERATED ALWAYS AS "
                f"({prefix} || {quote_ident(obj.key_field)}) VIRTUAL"
            )
        else:
            cols.append(f"{quote_ident(f.id)} {column_type(f.datatype)}")
    return [f"CREATE TABLE IF NOT EXISTS {table(obj)} ({', '.join(cols)})"]


def object_indexes(obj: ObjectDef) -> list[str]:
    """Indexes for incremental reads (WHENMODIFIED, RECORDNO), ID lookups, line parents."""
    out = []
    base = obj.name.lower()
    if obj.has_whenmodified:
        out.append(
            f"CREATE INDEX IF NOT EXISTS {quote_ident('ix_' + base + '_wm')} "
            f'ON {table(obj)} ("WHENMODIFIED", "RECORDNO")'
        )
        # serves ORDER BY WHENMODIFIED with Oracle's NULLS LAST (queryengine's null term)
        out.append(
            f"CREATE INDEX IF NOT EXISTS {quote_ident('ix_' + base + '_wmnull')} "
            f'ON {table(obj)} ("WHENMODIFIED" IS NULL, "WHENMODIFIED", "RECORDNO")'
        )
    if obj.id_field:
        out.append(
            f"CREATE INDEX IF NOT EXISTS {quote_ident('ix_' + base + '_id')} "
            f"ON {table(obj)} ({quote_ident(obj.id_field)})"
        )
    if obj.name == "AUDITHISTORY":
        out.append(
            'CREATE INDEX IF NOT EXISTS "ix_audithistory_time" '
            'ON "AUDITHISTORY" ("ACCESSTIME", "RECORDNO")'
        )
    for parent in all_objects():
        for owned in parent.owned:
            if owned.child_object.upper() == obj.name.upper():
                out.append(
                    f"CREATE INDEX IF NOT EXISTS {quote_ident('ix_' + base + '_parent')} "
                    f"ON {table(obj)} ({quote_ident(owned.parent_key_field)})"
                )
    return out


SANDBOX_TABLES = [
    "CREATE TABLE IF NOT EXISTS _sandbox_meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE IF NOT EXISTS _sandbox_users (
        login_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL, salt TEXT NOT NULL,
        user_recordno INTEGER NOT NULL, can_write INTEGER NOT NULL DEFAULT 1,
        denied_objects TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS _sandbox_senders (
        sender_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL, salt TEXT NOT NULL)""",
]


def create_schema(conn: sqlite3.Connection, *, indexes: bool = True) -> None:
    for ddl in SANDBOX_TABLES:
        conn.execute(ddl)
    for obj in all_objects():
        for ddl in object_ddl(obj):
            conn.execute(ddl)
    if indexes:
        create_indexes(conn)


def create_indexes(conn: sqlite3.Connection) -> None:
    for obj in all_objects():
        for ddl in object_indexes(obj):
            conn.execute(ddl)


# ---- change tracking (lets the query engine cache counts and page positions) ----


def create_change_tracking(conn: sqlite3.Connection) -> None:
    """A one-row table whose token becomes a fresh random number on every row write.

    Equal tokens therefore mean the same data, even across connections and across a
    reset that restores an earlier file (its token was never produced by a later write).
    """
    conn.execute("CREATE TABLE IF NOT EXISTS _sandbox_changes (token INTEGER NOT NULL)")
    if conn.execute("SELECT COUNT(*) FROM _sandbox_changes").fetchone()[0] == 0:
        conn.execute("INSERT INTO _sandbox_changes (token) VALUES (random())")
    for obj in all_objects():
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = quote_ident(f"trg_{obj.name.lower()}_{event.lower()}")
            conn.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table(obj)} "
                "BEGIN UPDATE _sandbox_changes SET token = random(); END"
            )


_NEEDS_ESCAPE_GLOB = "'*[&<>'']*'"


def _text_fields(obj: ObjectDef) -> list[str]:
    """Stored text columns (a computed RECORD_URL never holds markup)."""
    return [f.id for f in obj.fields if f.datatype in {"TEXT", "ENUM"} and not computed(obj, f.id)]


def create_escape_tracking(conn: sqlite3.Connection) -> None:
    """Remember which text columns ever held a character XML must escape (& < > ').

    The query hot path skips the per-value escape test on the other columns. The set
    only grows (triggers on insert/update), so it can never under-report. Each trigger
    tests every text column in its WHEN clause and runs its body only for a row that
    holds such a character: writes pay one expression instead of one statement per
    column, and the schema every new connection parses stays small."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _sandbox_escape_cols "
        "(object TEXT NOT NULL, field TEXT NOT NULL, PRIMARY KEY (object, field))"
    )
    for obj in all_objects():
        fields = _text_fields(obj)
        if not fields:
            continue
        probes = ", ".join(
            f"MAX(COALESCE({quote_ident(name)} GLOB {_NEEDS_ESCAPE_GLOB}, 0))" for name in fields
        )
        hits = conn.execute(f"SELECT {probes} FROM {table(obj)}").fetchone()  # one pass
        conn.executemany(
            "INSERT OR IGNORE INTO _sandbox_escape_cols VALUES (?, ?)",
            [(obj.name, name) for name, hit in zip(fields, hits, strict=True) if hit],
        )
        when = " OR ".join(f"NEW.{quote_ident(name)} GLOB {_NEEDS_ESCAPE_GLOB}" for name in fields)
        statements = "".join(_escape_insert(obj, chunk) for chunk in _chunks(fields))
        for event in ("INSERT", "UPDATE"):
            trigger = quote_ident(f"esc_{obj.name.lower()}_{event.lower()}")
            conn.execute(
                f"CREATE TRIGGER IF NOT EXISTS {trigger} AFTER {event} ON {table(obj)} "
                f"WHEN {when} BEGIN {statements}END"
            )


# json_object takes at most 127 arguments (SQLite's default function argument limit)
_FIELDS_PER_JSON_OBJECT = 60


def _chunks(fields: list[str]) -> list[list[str]]:
    step = _FIELDS_PER_JSON_OBJECT
    return [fields[i : i + step] for i in range(0, len(fields), step)]


def _escape_insert(obj: ObjectDef, fields: list[str]) -> str:
    """One trigger statement recording each of `fields` whose new value needs escaping."""
    pairs = ", ".join(f"{_sql_text(name)}, NEW.{quote_ident(name)}" for name in fields)
    return (
        f"INSERT OR IGNORE INTO _sandbox_escape_cols SELECT {_sql_text(obj.name)}, key "
        f"FROM json_each(json_object({pairs})) WHERE value GLOB {_NEEDS_ESCAPE_GLOB}; "
    )


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def escape_columns(conn: sqlite3.Connection, obj: ObjectDef) -> frozenset[str] | None:
    """Text columns of `obj` that may need XML escaping (None: unknown, escape-test all)."""
    try:
        rows = conn.execute(
            "SELECT field FROM _sandbox_escape_cols WHERE object = ?", (obj.name,)
        ).fetchall()
    except sqlite3.OperationalError:
        return None
    return frozenset(r[0] for r in rows)


def change_token(conn: sqlite3.Connection) -> int | None:
    """The current data token (None if the file predates change tracking)."""
    try:
        row = conn.execute("SELECT token FROM _sandbox_changes").fetchone()
    except sqlite3.OperationalError:
        return None
    return int(row[0]) if row else None


# ---- meta, users, senders ----


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO _sandbox_meta (key, value) VALUES (?, ?)", (key, value))


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM _sandbox_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def hash_password(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac(
        "sha256", password.encode(), bytes.fromhex(salt), _PBKDF2_ROUNDS
    ).hex()


def add_sender(conn: sqlite3.Connection, sender_id: str, password: str) -> None:
    salt = secrets.token_hex(16)
    conn.execute(
        "INSERT OR REPLACE INTO _sandbox_senders VALUES (?, ?, ?)",
        (sender_id, hash_password(password, salt), salt),
    )


def add_user(
    conn: sqlite3.Connection,
    login_id: str,
    password: str,
    user_recordno: int,
    *,
    can_write: bool = True,
    denied: Iterable[str] = (),
) -> None:
    salt = secrets.token_hex(16)
    conn.execute(
        "INSERT OR REPLACE INTO _sandbox_users VALUES (?, ?, ?, ?, ?, ?)",
        (
            login_id,
            hash_password(password, salt),
            salt,
            user_recordno,
            int(can_write),
            ",".join(sorted(denied)),
        ),
    )


@dataclass(frozen=True)
class UserRow:
    login_id: str
    user_recordno: int
    can_write: bool
    denied_objects: frozenset[str]


def check_sender(conn: sqlite3.Connection, sender_id: str, password: str) -> bool:
    row = conn.execute(
        "SELECT password_hash, salt FROM _sandbox_senders WHERE sender_id = ?", (sender_id,)
    ).fetchone()
    return bool(row) and hmac.compare_digest(row[0], hash_password(password, row[1]))


def user_row(conn: sqlite3.Connection, login_id: str) -> UserRow | None:
    row = conn.execute(
        "SELECT login_id, user_recordno, can_write, denied_objects FROM _sandbox_users "
        "WHERE login_id = ?",
        (login_id,),
    ).fetchone()
    if not row:
        return None
    denied = frozenset(x for x in row[3].split(",") if x)
    return UserRow(row[0], int(row[1]), bool(row[2]), denied)


def check_user(
    conn: sqlite3.Connection, company_id: str, login_id: str, password: str
) -> UserRow | None:
    """The user if company, login and password match (login ids are case-sensitive)."""
    if company_id != get_meta(conn, "company_id"):
        return None
    row = conn.execute(
        "SELECT password_hash, salt FROM _sandbox_users WHERE login_id = ?", (login_id,)
    ).fetchone()
    if not row or not hmac.compare_digest(row[0], hash_password(password, row[1])):
        return None
    return user_row(conn, login_id)


def denied_objects(conn: sqlite3.Connection, login_id: str) -> frozenset[str]:
    """Objects this user may not read (CallContext.permissions)."""
    row = user_row(conn, login_id)
    return row.denied_objects if row else frozenset()


def user_can_write(conn: sqlite3.Connection, login_id: str) -> bool:
    row = user_row(conn, login_id)
    return bool(row and row.can_write)


def entity_row(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any] | None:
    """The LOCATIONENTITY record with this LOCATIONID (for entity sessions), or None."""
    return find_by_id(conn, _object("LOCATIONENTITY"), entity_id)


# ---- visibility (docs/protocol.md §8) ----


def visibility_sql(
    obj: ObjectDef, entity_id: str | None, showprivate: bool, alias: str = ""
) -> tuple[str, list[Any]]:
    """WHERE fragment hiding private-entity records the session may not see.

    Top level: only shared records unless showprivate; entity session: its own records
    plus shared ones. Objects without MEGAENTITYID are always visible."""
    if not obj.multi_entity:
        return "", []
    col = f'{alias}."MEGAENTITYID"' if alias else '"MEGAENTITYID"'
    if entity_id is None:
        return ("", []) if showprivate else (f"{col} IS NULL", [])
    return f"({col} IS NULL OR {col} = ?)", [entity_id]


# ---- record helpers ----


def _object(name: str) -> ObjectDef:
    obj = get_object(name)
    if obj is None:
        raise KeyError(name)
    return obj


def _column_ids(obj: ObjectDef) -> dict[str, str]:
    """Field name as given -> stored column id, grown as (valid) names are seen.

    Keyed by the definition's identity (it is kept alive here), so writes skip the
    catalog's upper-casing lookup for every value of every row."""
    entry = _COLUMN_IDS.get(id(obj))
    if entry is None or entry[0] is not obj:
        entry = _COLUMN_IDS[id(obj)] = (obj, {f: f for f in stored_field_ids(obj)})
    return entry[1]


_COLUMN_IDS: dict[int, tuple[ObjectDef, dict[str, str]]] = {}


def _known_columns(obj: ObjectDef, values: Mapping[str, Any]) -> tuple[list[str], list[Any]]:
    """The catalog columns among `values` (case-insensitive names) and their values."""
    ids = _column_ids(obj)
    cols: list[str] = []
    params: list[Any] = []
    for name, value in values.items():
        column = ids.get(name)
        if column is None:
            found = obj.field(name)
            if found is None or computed(obj, found.id):
                continue  # not a stored field: skipped, and not remembered (names vary)
            column = ids[name] = found.id
        cols.append(column)
        params.append(value)
    return cols, params


_INSERT_SQL: dict[tuple[str, tuple[str, ...]], str] = {}


def _insert_sql(obj: ObjectDef, cols: tuple[str, ...]) -> str:
    """The INSERT statement for these columns (table and column names come from the
    catalog, so the text depends only on the object's name and the column tuple)."""
    key = (obj.name, cols)
    sql = _INSERT_SQL.get(key)
    if sql is None:
        if cols:
            sql = (
                f"INSERT INTO {table(obj)} ({', '.join(quote_ident(c) for c in cols)}) "
                f"VALUES ({', '.join('?' for _ in cols)})"
            )
        else:
            sql = f"INSERT INTO {table(obj)} DEFAULT VALUES"
        _INSERT_SQL[key] = sql
    return sql


def insert_record(conn: sqlite3.Connection, obj: ObjectDef, values: Mapping[str, Any]) -> int:
    """Insert stored-form values (field ids as keys); returns the RECORDNO."""
    cols, params = _known_columns(obj, values)
    cur = conn.execute(_insert_sql(obj, tuple(cols)), params)
    return int(cur.lastrowid or 0)


def insert_records(
    conn: sqlite3.Connection, obj: ObjectDef, rows: Iterable[Mapping[str, Any]]
) -> None:
    """`insert_record` for many rows, in order, as one executemany.

    Rows that name different columns (a GLDETAIL header row next to its line rows) are
    widened to the union of their columns with NULLs: the tables have no DEFAULT clauses,
    so an explicit NULL stores exactly what leaving the column out stores."""
    prepared = [_known_columns(obj, values) for values in rows]
    if not prepared:
        return
    union: dict[str, int] = {}
    for cols, _ in prepared:
        if len(set(cols)) != len(cols):  # a column named twice: keep row-by-row semantics
            for one_cols, params in prepared:
                conn.execute(_insert_sql(obj, tuple(one_cols)), params)
            return
        for column in cols:
            union.setdefault(column, len(union))
    columns = tuple(union)
    if all(tuple(cols) == columns for cols, _ in prepared):
        conn.executemany(_insert_sql(obj, columns), [params for _, params in prepared])
        return
    width = len(union)
    batch = []
    for cols, params in prepared:
        wide: list[Any] = [None] * width
        for column, value in zip(cols, params, strict=True):
            wide[union[column]] = value
        batch.append(wide)
    conn.executemany(_insert_sql(obj, columns), batch)


def update_record(
    conn: sqlite3.Connection, obj: ObjectDef, recordno: int, values: Mapping[str, Any]
) -> bool:
    cols, params = _known_columns(obj, values)
    known = dict(zip(cols, params, strict=True))
    known.pop(obj.key_field, None)
    if not known:
        return fetch_record(conn, obj, recordno) is not None
    assignments = ", ".join(f"{quote_ident(c)} = ?" for c in known)
    cur = conn.execute(
        f"UPDATE {table(obj)} SET {assignments} WHERE {quote_ident(obj.key_field)} = ?",
        [*known.values(), recordno],
    )
    return cur.rowcount > 0


_LAST_STAMP: list[tuple[datetime, str]] = []  # [(instant, text)]: the latest one only


def utc_text(now: datetime) -> str:
    """`values.utc_iso`, remembered for the latest instant: one function stamps many rows
    (headers, lines, GLDETAIL, audit rows) with the same `ctx.now` object."""
    last = _LAST_STAMP[0] if _LAST_STAMP else None
    if last is not None and last[0] is now:
        return last[1]
    text = utc_iso(now)
    _LAST_STAMP[:] = [(now, text)]
    return text


def _row_dict(cur: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    return {d[0]: v for d, v in zip(cur.description, row, strict=True)}


def fetch_record(conn: sqlite3.Connection, obj: ObjectDef, recordno: int) -> dict[str, Any] | None:
    cur = conn.execute(
        f"SELECT * FROM {table(obj)} WHERE {quote_ident(obj.key_field)} = ?", (recordno,)
    )
    row = cur.fetchone()
    return _row_dict(cur, row) if row else None


def find_by_id(conn: sqlite3.Connection, obj: ObjectDef, id_value: str) -> dict[str, Any] | None:
    """The record whose ID field (VENDORID, ACCOUNTNO, ...) equals `id_value`."""
    if not obj.id_field:
        return None
    cur = conn.execute(
        f"SELECT * FROM {table(obj)} WHERE {quote_ident(obj.id_field)} = ? "
        f"ORDER BY {quote_ident(obj.key_field)} LIMIT 1",
        (id_value,),
    )
    row = cur.fetchone()
    return _row_dict(cur, row) if row else None
