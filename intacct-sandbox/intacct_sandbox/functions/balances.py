"""GLACCOUNTBALANCE: account balances per reporting period and book, kept from GLDETAIL.

Intacct documents the raw account balance object on its Account Balances page
(https://developer.intacct.com/api/general-ledger/account-balances/, "Query and List Raw
Account Balances"): `readByQuery` on GLACCOUNTBALANCE with a `PERIOD = '<budgetable
reporting period name>'` query answers one row per account, book, currency and dimension
combination, with OPENBAL, TOTDEBIT, TOTCREDIT, TOTADJDEBIT, TOTADJCREDIT, FORBAL and
ENDBAL. Here the GLACCOUNTBALANCE table is derived from GLDETAIL: rebuilt when a database
is seeded (and when a process starts with another `glaccountbalance_rows` variant than
the file was built with), and refreshed for the accounts a write posts to or unposts
from, inside that write's transaction. The generic read functions then read it like any
other object, so every answer ties out to the posted detail.

- Periods: budgetable (BUDGETING true) reporting periods that contain no smaller
  budgetable period (the months, not quarters or years). A GLDETAIL line belongs to the
  period holding its ENTRY_DATE (BATCH_DATE when empty); a line outside every period has
  no balance.
- Grain: ACCOUNTNO x BOOKID x CURRENCY (BASECURR of the line) x LOCATIONID x
  DEPARTMENTID x PROJECTID x CUSTOMERID x VENDORID x EMPLOYEEID x CLASSID x PERIOD.
- Lines with ADJ true are adjusting (TOTADJDEBIT/TOTADJCREDIT). FORBAL = debits -
  credits (adjusting included), ENDBAL = OPENBAL + FORBAL, OPENBAL = the ENDBAL of the
  period before. Balances carry forward for every account: no year-end close of
  income-statement accounts (a sandbox simplification, see docs/protocol.md §12).
- Rows (variant `glaccountbalance_rows`): `balance` keeps every period from a series'
  first activity on (Intacct's own example query filters out all-zero rows, so rows
  without activity exist there); `activity` only periods with activity.
- WHENMODIFIED: when the row's values last changed (the latest line WHENMODIFIED at a
  rebuild); RECORDNOs are kept while a row exists.
"""

from __future__ import annotations

import calendar
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from intacct_sandbox import db, variants
from intacct_sandbox.catalog import get_object
from intacct_sandbox.functions import recordnos

TABLE = "GLACCOUNTBALANCE"
VARIANT = "glaccountbalance_rows"
DIMENSIONS = (
    "LOCATIONID",
    "DEPARTMENTID",
    "PROJECTID",
    "CUSTOMERID",
    "VENDORID",
    "EMPLOYEEID",
    "CLASSID",
)
SERIES = ("ACCOUNTNO", "BOOKID", "CURRENCY", *DIMENSIONS)
AMOUNTS = ("OPENBAL", "TOTDEBIT", "TOTCREDIT", "TOTADJDEBIT", "TOTADJCREDIT", "FORBAL", "ENDBAL")
BASE_CURRENCY = "USD"
ADJUSTING = frozenset({"true", "t", "1"})
META_KEY = "glaccountbalance_rows"
# Months seeded as reporting periods, named as Intacct names them ("Month Ended June 2025").
PERIOD_YEARS = (2025,)
ZERO = Decimal("0.00")
INDEXES = (
    'CREATE INDEX IF NOT EXISTS "ix_gldetail_account" ON "GLDETAIL" ("ACCOUNTNO")',
    'CREATE INDEX IF NOT EXISTS "ix_glaccountbalance_account" ON "GLACCOUNTBALANCE" ("ACCOUNTNO")',
)

Series = tuple[str | None, ...]


@dataclass(frozen=True)
class Period:
    name: str
    start: str
    end: str


@dataclass
class Movement:
    """One series' lines in one period."""

    debit: Decimal = ZERO
    credit: Decimal = ZERO
    adj_debit: Decimal = ZERO
    adj_credit: Decimal = ZERO
    modified: str | None = None


def periods(conn: sqlite3.Connection) -> list[Period]:
    """Budgetable periods that contain no smaller budgetable period, in date order."""
    rows = [
        Period(str(name), str(start), str(end))
        for name, start, end in conn.execute(
            'SELECT "NAME", "START_DATE", "END_DATE" FROM "REPORTINGPERIOD" '
            'WHERE "BUDGETING" = \'true\' AND "START_DATE" IS NOT NULL '
            'AND "END_DATE" IS NOT NULL'
        )
    ]
    finest = [
        p for p in rows if not any(q != p and q.start >= p.start and q.end <= p.end for q in rows)
    ]
    return sorted(finest, key=lambda p: (p.start, p.name))


def _period_of(day: str, ordered: list[Period]) -> Period | None:
    for period in ordered:
        if period.start <= day <= period.end:
            return period
    return None


def _money(text: Any) -> Decimal:
    return Decimal(str(text or "0")).quantize(ZERO)


def series_of(row: Mapping[str, Any]) -> Series:
    """The balance series of a GLDETAIL row (stored or about to be)."""
    currency = row.get("BASECURR") or row.get("CURRENCY") or BASE_CURRENCY
    values = [row.get("ACCOUNTNO"), row.get("BOOKID"), currency]
    values += [row.get(name) for name in DIMENSIONS]
    return tuple(None if v in (None, "") else str(v) for v in values)


def _series_filter(series: Series, currency_sql: str) -> tuple[str, list[Any]]:
    """WHERE text matching one series (ACCOUNTNO first, so its index serves it)."""
    parts = ['"ACCOUNTNO" = ?', "COALESCE(\"BOOKID\", '') = ?", f"{currency_sql} = ?"]
    parts += [f"COALESCE(\"{name}\", '') = ?" for name in DIMENSIONS]
    return " AND ".join(parts), [value or "" for value in series]


_DETAIL_CURRENCY = (
    f"COALESCE(NULLIF(\"BASECURR\", ''), NULLIF(\"CURRENCY\", ''), '{BASE_CURRENCY}')"
)


def movements(
    conn: sqlite3.Connection, ordered: list[Period], series: Series | None = None
) -> dict[Series, dict[str, Movement]]:
    """GLDETAIL summed per series and period (one series when given)."""
    dims = ", ".join(f'"{name}"' for name in DIMENSIONS)
    sql = (
        f'SELECT "ACCOUNTNO", "BOOKID", {_DETAIL_CURRENCY}, {dims}, '
        'COALESCE("ENTRY_DATE", "BATCH_DATE"), "DEBITAMOUNT", "CREDITAMOUNT", "ADJ", '
        '"WHENMODIFIED" FROM "GLDETAIL"'
    )
    params: list[Any] = []
    if series is not None:
        where, params = _series_filter(series, _DETAIL_CURRENCY)
        sql += f" WHERE {where}"
    out: dict[Series, dict[str, Movement]] = defaultdict(dict)
    width = len(SERIES)
    for row in conn.execute(sql, params):
        day = row[width]
        period = _period_of(str(day)[:10], ordered) if day else None
        if period is None:
            continue
        series = tuple(None if v in (None, "") else str(v) for v in row[:width])
        move = out[series].setdefault(period.name, Movement())
        debit, credit = _money(row[width + 1]), _money(row[width + 2])
        if str(row[width + 3] or "").strip().lower() in ADJUSTING:
            move.adj_debit += debit
            move.adj_credit += credit
        else:
            move.debit += debit
            move.credit += credit
        modified = row[width + 4]
        if modified and (move.modified is None or str(modified) > move.modified):
            move.modified = str(modified)
    return out


def balance_rows(
    moves: dict[Series, dict[str, Movement]], ordered: list[Period], rows: str
) -> dict[tuple[Series, str], dict[str, Any]]:
    """Rows per (series, period name): running balances from each series' first period."""
    out: dict[tuple[Series, str], dict[str, Any]] = {}
    for series, by_period in moves.items():
        balance = ZERO
        modified: str | None = None
        started = False
        for period in ordered:
            move = by_period.get(period.name)
            if move is None and (not started or rows == "activity"):
                continue
            started = True
            move = move or Movement()
            net = move.debit + move.adj_debit - move.credit - move.adj_credit
            modified = move.modified or modified
            values = {
                "OPENBAL": balance,
                "TOTDEBIT": move.debit,
                "TOTCREDIT": move.credit,
                "TOTADJDEBIT": move.adj_debit,
                "TOTADJCREDIT": move.adj_credit,
                "FORBAL": net,
                "ENDBAL": balance + net,
            }
            balance += net
            out[(series, period.name)] = {
                **dict(zip(SERIES, series, strict=True)),
                "PERIOD": period.name,
                **{name: str(value) for name, value in values.items()},
                "WHENMODIFIED": modified,
            }
    return out


def _stored(
    conn: sqlite3.Connection, series: Series | None = None
) -> dict[tuple[Series, str], tuple[int, tuple[str, ...]]]:
    cols = ", ".join(f'"{name}"' for name in (*SERIES, "PERIOD", *AMOUNTS))
    sql = f'SELECT "RECORDNO", {cols} FROM "{TABLE}"'
    params: list[Any] = []
    if series is not None:
        where, params = _series_filter(series, "COALESCE(\"CURRENCY\", '')")
        sql += f" WHERE {where}"
    out = {}
    width = len(SERIES)
    for row in conn.execute(sql, params):
        key = tuple(None if v in (None, "") else str(v) for v in row[1 : width + 1])
        out[(key, str(row[width + 1]))] = (int(row[0]), tuple(str(v) for v in row[width + 2 :]))
    return out


def refresh(
    conn: sqlite3.Connection, series: Iterable[Series] | None = None, now: datetime | None = None
) -> None:
    """Bring GLACCOUNTBALANCE in step with GLDETAIL (for `series`, or all of them).

    A posting touches a few series (account, book, currency, dimensions), so only their
    lines are summed again (the ACCOUNTNO index narrows the scan). Unchanged rows are
    left alone; changed rows keep their RECORDNO and get WHENMODIFIED `now` (or the
    latest line WHENMODIFIED when `now` is None, as at a rebuild)."""
    obj = get_object(TABLE)
    if obj is None:
        return
    for ddl in INDEXES:
        conn.execute(ddl)
    ordered = periods(conn)
    rows_variant = variants.active(VARIANT)
    fresh: dict[tuple[Series, str], dict[str, Any]] = {}
    stored: dict[tuple[Series, str], tuple[int, tuple[str, ...]]] = {}
    if series is None:
        fresh = balance_rows(movements(conn, ordered), ordered, rows_variant)
        stored = _stored(conn)
    else:
        for one in sorted(set(series), key=lambda s: tuple(v or "" for v in s)):
            fresh.update(balance_rows(movements(conn, ordered, one), ordered, rows_variant))
            stored.update(_stored(conn, one))
    stamp = None if now is None else db.utc_text(now)
    titles = dict(conn.execute('SELECT "ACCOUNTNO", "TITLE" FROM "GLACCOUNT"'))
    gone = [recordno for key, (recordno, _) in stored.items() if key not in fresh]
    conn.executemany(f'DELETE FROM "{TABLE}" WHERE "RECORDNO" = ?', [(k,) for k in gone])
    inserts: list[dict[str, Any]] = []
    for key, row in fresh.items():
        amounts = tuple(row[name] for name in AMOUNTS)
        held = stored.get(key)
        if held is not None and held[1] == amounts:
            continue
        row["WHENMODIFIED"] = stamp or row["WHENMODIFIED"]
        if held is not None:
            sets = ", ".join(f'"{name}" = ?' for name in (*AMOUNTS, "WHENMODIFIED"))
            conn.execute(
                f'UPDATE "{TABLE}" SET {sets} WHERE "RECORDNO" = ?',
                (*amounts, row["WHENMODIFIED"], held[0]),
            )
            continue
        row["ACCOUNTTITLE"] = titles.get(row["ACCOUNTNO"])
        row["WHENCREATED"] = row["WHENMODIFIED"]
        inserts.append(row)
    if inserts:
        first = recordnos.reserve(conn, obj, len(inserts))
        for offset, row in enumerate(inserts):
            row[obj.key_field] = first + offset
        db.insert_records(conn, obj, inserts)


def install(conn: sqlite3.Connection) -> None:
    """Rebuild the whole table when it was built under another variant (or never)."""
    wanted = variants.active(VARIANT)
    if db.get_meta(conn, META_KEY) == wanted:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f'DELETE FROM "{TABLE}"')
        refresh(conn)
        db.set_meta(conn, META_KEY, wanted)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def rebuild_in_transaction(conn: sqlite3.Connection) -> None:
    """At seeding (the caller's transaction is open): build the table from GLDETAIL."""
    conn.execute(f'DELETE FROM "{TABLE}"')
    refresh(conn)
    db.set_meta(conn, META_KEY, variants.active(VARIANT))


def month_name(year: int, month: int) -> str:
    return f"Month Ended {calendar.month_name[month]} {year}"


def seed_reporting_periods(conn: sqlite3.Connection) -> None:
    """Calendar months of PERIOD_YEARS as budgetable reporting periods.

    Rows already named like a month get that month's dates; missing months are added.
    """
    existing = {
        str(name): int(recordno)
        for recordno, name in conn.execute('SELECT "RECORDNO", "NAME" FROM "REPORTINGPERIOD"')
    }
    last = max(existing.values(), default=0)
    for year in PERIOD_YEARS:
        for month in range(1, 13):
            name = month_name(year, month)
            start = date(year, month, 1).isoformat()
            end = date(year, month, calendar.monthrange(year, month)[1]).isoformat()
            if name in existing:
                conn.execute(
                    'UPDATE "REPORTINGPERIOD" SET "START_DATE" = ?, "END_DATE" = ?, '
                    '"BUDGETING" = \'true\', "STATUS" = \'active\' WHERE "RECORDNO" = ?',
                    (start, end, existing[name]),
                )
                continue
            last += 1
            stamp = f"{year - 1}-12-01T00:00:00Z"
            conn.execute(
                'INSERT INTO "REPORTINGPERIOD" ("RECORDNO", "NAME", "HEADER1", "HEADER2", '
                '"START_DATE", "END_DATE", "BUDGETING", "STATUS", "WHENCREATED", '
                '"WHENMODIFIED", "CREATEDBY", "MODIFIEDBY") '
                "VALUES (?, ?, 'Month Ended', ?, ?, ?, 'true', 'active', ?, ?, 1, 1)",
                (last, name, f"{calendar.month_name[month]} {year}", start, end, stamp, stamp),
            )
