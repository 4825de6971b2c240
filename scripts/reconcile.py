"""Reconcile a warehouse with the sandbox: rows per stream, and their keys.

Used by `make demo` (prints the table) and by the end-to-end tests (assert on it).
A stream reconciles when the warehouse holds exactly the sandbox's live keys, and
every key the warehouse has flagged deleted (`_sdc_deleted_at`) is gone from the sandbox.
"""

from __future__ import annotations

import json
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

Query = Callable[[str], list[tuple[Any, ...]]]


@dataclass
class StreamReconciliation:
    """The comparison for one stream."""

    stream: str
    sandbox_rows: int
    warehouse_rows: int
    warehouse_deleted: int
    missing_keys: list[Any] = field(default_factory=list)
    extra_keys: list[Any] = field(default_factory=list)
    deleted_but_live: list[Any] = field(default_factory=list)
    wrong_values: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing_keys or self.extra_keys or self.deleted_but_live or self.wrong_values
        )


def sandbox_records(base_url: str, object_name: str) -> list[dict[str, Any]]:
    """Every record of an object, straight from the sandbox's control API."""
    url = f"{base_url}/_sandbox/records/{object_name.upper()}"
    with urllib.request.urlopen(url, timeout=120) as resp:  # noqa: S310 - loopback
        return json.loads(resp.read())


def sandbox_counts(base_url: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{base_url}/_sandbox/stats", timeout=60) as resp:  # noqa: S310
        return dict(json.loads(resp.read())["records"])


def _normalise_key(value: Any) -> str:
    return "" if value is None else str(value)


def reconcile_stream(
    stream: str,
    key: str,
    sandbox_rows: Iterable[dict[str, Any]],
    warehouse_rows: Sequence[tuple[Any, Any]],
) -> StreamReconciliation:
    """Compare one stream; `warehouse_rows` are (key, deleted_at) pairs."""
    live = {_normalise_key(r.get(key)) for r in sandbox_rows}
    wh_live = {_normalise_key(k) for k, deleted in warehouse_rows if deleted is None}
    wh_deleted = {_normalise_key(k) for k, deleted in warehouse_rows if deleted is not None}
    return StreamReconciliation(
        stream=stream,
        sandbox_rows=len(live),
        warehouse_rows=len(wh_live),
        warehouse_deleted=len(wh_deleted),
        missing_keys=sorted(live - wh_live)[:20],
        extra_keys=sorted(wh_live - live)[:20],
        deleted_but_live=sorted(wh_deleted & live)[:20],
    )


def find_column(columns: Iterable[str], wanted: str) -> str | None:
    """The warehouse's spelling of a column (loaders lower-case and rename dots)."""
    folded = wanted.lower().replace(".", "_")
    for column in columns:
        if column.lower().replace(".", "_") == folded:
            return column
    return None


def warehouse_keys(
    query: Query, schema: str, table: str, key: str, columns: Sequence[str]
) -> list[tuple[Any, Any]]:
    """(key, _sdc_deleted_at) rows of one warehouse table."""
    key_column = find_column(columns, key)
    if key_column is None:
        raise LookupError(f"{schema}.{table} has no column for key {key}: {list(columns)}")
    deleted_column = find_column(columns, "_sdc_deleted_at")
    deleted = f'"{deleted_column}"' if deleted_column else "NULL"
    return query(f'SELECT "{key_column}", {deleted} FROM "{schema}"."{table}"')


def catalog_keys(catalog_path: Path) -> dict[str, str]:
    """Stream -> first key property, from a Singer catalog (the one meltano ran with)."""
    catalog = json.loads(catalog_path.read_text())
    return {
        entry["tap_stream_id"]: entry["key_properties"][0]
        for entry in catalog["streams"]
        if entry.get("key_properties")
    }


def schema_tables(query: Query, schema: str) -> set[str]:
    """Tables of one warehouse schema (DuckDB and PostgreSQL alike)."""
    sql = f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}'"
    return {table for (table,) in query(sql)}


def table_columns(query: Query, schema: str, table: str) -> list[str]:
    """Columns of one warehouse table, in the loader's spelling."""
    sql = (
        "SELECT column_name FROM information_schema.columns "
        f"WHERE table_schema = '{schema}' AND table_name = '{table}'"
    )
    return [column for (column,) in query(sql)]


def reconcile_all(
    counts: dict[str, int],
    records_of: Callable[[str], list[dict[str, Any]]],
    keys: dict[str, str],
    query: Query,
    schema: str,
) -> list[StreamReconciliation]:
    """Every sandbox object that is a stream of the catalog, against its warehouse table."""
    tables = schema_tables(query, schema)
    results = []
    for obj in sorted(counts):
        stream = obj.lower()
        if stream not in keys:
            continue  # not a stream of this catalog (e.g. unreadable)
        records = records_of(obj)
        if stream not in tables:
            missing = ["<no table>"] if records else []
            results.append(StreamReconciliation(stream, len(records), 0, 0, missing_keys=missing))
            continue
        columns = table_columns(query, schema, stream)
        rows = warehouse_keys(query, schema, stream, keys[stream], columns)
        results.append(reconcile_stream(stream, keys[stream], records, rows))
    return results


# The derived streams of the tap that are not one sandbox object each.
OPEN_BILLS = "open_bills"  # the named query stream of meltano.yml's dev environment
BALANCES = "gl_account_balances"
ATTACHMENTS = "attachments"
CENT = Decimal("0.005")


def sandbox_attachments(base_url: str) -> list[dict[str, Any]]:
    """Every supporting document with its attachments (the control API's own route)."""
    with urllib.request.urlopen(f"{base_url}/_sandbox/attachments", timeout=60) as resp:  # noqa: S310
        return list(json.loads(resp.read()))


def _balance_truth(records_of: Callable[[str], list[dict[str, Any]]]) -> dict[str, Decimal]:
    """ENDBAL per account, book, currency and period start, over every dimension value."""
    starts = {p["NAME"]: str(p["START_DATE"]) for p in records_of("REPORTINGPERIOD")}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in records_of("GLACCOUNTBALANCE"):
        key = "|".join(
            (str(row["ACCOUNTNO"]), str(row["BOOKID"]), str(row["CURRENCY"]), starts[row["PERIOD"]])
        )
        totals[key] += Decimal(str(row["ENDBAL"]))
    return dict(totals)


def reconcile_balances(
    records_of: Callable[[str], list[dict[str, Any]]], query: Query, schema: str
) -> StreamReconciliation:
    """gl_account_balances: one row per (account, book, currency, period), ENDBAL right."""
    truth = _balance_truth(records_of)
    columns = table_columns(query, schema, BALANCES)
    names = [find_column(columns, c) for c in ("ACCOUNTNO", "BOOKID", "CURRENCY", "PERIODSTART")]
    endbal = find_column(columns, "ENDBAL")
    if None in names or endbal is None:
        raise LookupError(f"{schema}.{BALANCES} lacks key or ENDBAL columns: {columns}")
    selected = ", ".join(f'"{name}"' for name in names)
    rows = query(f'SELECT {selected}, "{endbal}" FROM "{schema}"."{BALANCES}"')
    found: dict[str, Decimal] = {}
    for *key_parts, value in rows:
        key_parts[3] = str(key_parts[3])[:10]  # a DATE, or an ISO text, in the warehouse
        found["|".join(str(part) for part in key_parts)] = Decimal(str(value))
    wrong = [
        (key, str(truth[key]), str(found[key]))
        for key in sorted(truth.keys() & found.keys())
        if abs(truth[key] - found[key]) > CENT
    ]
    return StreamReconciliation(
        stream=BALANCES,
        sandbox_rows=len(truth),
        warehouse_rows=len(found),
        warehouse_deleted=0,
        missing_keys=sorted(truth.keys() - found.keys())[:20],
        extra_keys=sorted(found.keys() - truth.keys())[:20],
        wrong_values=wrong[:20],
    )


def reconcile_derived_streams(
    records_of: Callable[[str], list[dict[str, Any]]],
    attachments: list[dict[str, Any]],
    query: Query,
    schema: str,
) -> list[StreamReconciliation]:
    """Balances, attachments and the open_bills named query, against the sandbox."""
    open_bills = [
        bill
        for bill in records_of("APBILL")
        if bill.get("STATE") == "Posted" and Decimal(str(bill.get("TOTALDUE") or 0)) > 0
    ]
    results = [reconcile_balances(records_of, query, schema)]
    for stream, key, truth in (
        (ATTACHMENTS, "SUPDOCID", attachments),
        (OPEN_BILLS, "RECORDNO", open_bills),
    ):
        columns = table_columns(query, schema, stream)
        rows = warehouse_keys(query, schema, stream, key, columns)
        results.append(reconcile_stream(stream, key, truth, rows))
    return results


def format_table(results: Sequence[StreamReconciliation]) -> str:
    """A fixed-width table: stream, sandbox rows, warehouse rows, deleted, status."""
    lines = [f"{'stream':<28}{'sandbox':>10}{'warehouse':>11}{'deleted':>9}  status"]
    lines.append("-" * len(lines[0]))
    for r in results:
        status = (
            "ok"
            if r.ok
            else (
                f"MISMATCH missing={r.missing_keys[:3]} extra={r.extra_keys[:3]}"
                f" deleted_but_live={r.deleted_but_live[:3]} wrong_values={r.wrong_values[:3]}"
            )
        )
        lines.append(
            f"{r.stream:<28}{r.sandbox_rows:>10}{r.warehouse_rows:>11}"
            f"{r.warehouse_deleted:>9}  {status}"
        )
    return "\n".join(lines)
