"""End to end: `meltano run tap-intacct <warehouse loader>` against a sandbox.

Each pipeline is run twice: a full sync that must reconcile with the sandbox per stream
(count and keys), then, after records are touched and deleted through the control API,
an incremental run that must reconcile again with updated rows and deletes flagged.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeAlias

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from reconcile import (  # noqa: E402
    StreamReconciliation,
    catalog_keys,
    find_column,
    format_table,
    reconcile_all,
    reconcile_derived_streams,
    table_columns,
)
from sandbox_process import Sandbox, start_sandbox  # noqa: E402

pytestmark = [pytest.mark.e2e]

VENV_BIN = ROOT / ".venv" / "bin"
PG_PORT = int(os.environ.get("INTACCT_TEST_PG_PORT", "55432"))
# Objects changed between the two runs: (object, how many to touch, how many to delete).
CHANGES = [("VENDOR", 3, 2), ("APBILL", 2, 1), ("CUSTOMER", 2, 1)]

Query = Callable[[str], list[tuple[Any, ...]]]
Connection: TypeAlias = tuple[Query, Callable[[], None]]


def _meltano(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(VENV_BIN / "meltano"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"meltano {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-6000:]}")
    return proc


@pytest.fixture(scope="module")
def meltano_installed() -> None:
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    _meltano(["install", "tap-intacct", "target-duckdb", "target-postgres"], env)


@pytest.fixture(scope="module")
def e2e_sandbox() -> Iterator[Sandbox]:
    box = start_sandbox(seed="demo")
    try:
        yield box
    finally:
        box.stop()


def _env(sandbox: Sandbox, tmp_path: Path, schema: str) -> dict[str, str]:
    port = sandbox.base_url.rsplit(":", 1)[1]
    return {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "INTACCT_SANDBOX_PORT": port,
        "TARGET_DUCKDB_FILEPATH": str(tmp_path / "warehouse.duckdb"),
        "TARGET_DUCKDB_DEFAULT_TARGET_SCHEMA": schema,
        "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
        "TARGET_POSTGRES_PORT": str(PG_PORT),
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def _reconcile_all(sandbox: Sandbox, query: Query, schema: str) -> list[StreamReconciliation]:
    keys = catalog_keys(ROOT / ".meltano/run/tap-intacct/tap.properties.json")
    objects = reconcile_all(sandbox.stats()["records"], sandbox.records, keys, query, schema)
    derived = reconcile_derived_streams(
        sandbox.records, sandbox.control("GET", "attachments"), query, schema
    )
    assert {r.stream for r in derived} == {"gl_account_balances", "attachments", "open_bills"}
    assert all(r.sandbox_rows > 0 for r in derived), format_table(derived)
    return objects + derived


def _apply_changes(sandbox: Sandbox) -> dict[str, tuple[list[int], list[int]]]:
    changed: dict[str, tuple[list[int], list[int]]] = {}
    for obj, touch_n, delete_n in CHANGES:
        recordnos = sorted(int(r["RECORDNO"]) for r in sandbox.records(obj))
        touched = recordnos[:touch_n]
        deleted = recordnos[-delete_n:]
        sandbox.touch(obj, touched)
        sandbox.delete(obj, deleted)
        changed[obj] = (touched, deleted)
    return changed


def _as_utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _assert_changes_landed(
    sandbox: Sandbox,
    query: Query,
    schema: str,
    changed: dict[str, tuple[list[int], list[int]]],
) -> None:
    for obj, (touched, deleted) in changed.items():
        table = obj.lower()
        columns = table_columns(query, schema, table)
        key = find_column(columns, "RECORDNO")
        modified = find_column(columns, "WHENMODIFIED")
        deleted_at = find_column(columns, "_sdc_deleted_at")
        assert key, (table, columns)
        assert modified, (table, columns)
        assert deleted_at, (table, columns)
        truth = {int(r["RECORDNO"]): r for r in sandbox.records(obj)}
        for recordno in touched:
            (row,) = query(
                f'SELECT "{modified}" FROM "{schema}"."{table}" '
                f'WHERE CAST("{key}" AS BIGINT) = {recordno}'
            )
            assert (
                abs((_as_utc(row[0]) - _as_utc(truth[recordno]["WHENMODIFIED"])).total_seconds())
                < 1
            )
        for recordno in deleted:
            assert recordno not in truth
            (row,) = query(
                f'SELECT "{deleted_at}" FROM "{schema}"."{table}" '
                f'WHERE CAST("{key}" AS BIGINT) = {recordno}'
            )
            assert row[0] is not None, f"{obj} {recordno} deleted in the sandbox but not flagged"


def _run_twice(
    sandbox: Sandbox,
    tmp_path: Path,
    loader: str,
    schema: str,
    connect: Callable[
        [], tuple[Query, Callable[[], set[str]], Callable[[str], list[str]], Callable[[], None]]
    ],
) -> None:
    sandbox.reset()
    env = _env(sandbox, tmp_path, schema)
    state_id = f"e2e-{loader}-{uuid.uuid4().hex[:8]}"
    run = ["--environment", "dev", "run", "--state-id-suffix", state_id, "tap-intacct", loader]

    _meltano(run, env)
    query, close = connect()
    first = _reconcile_all(sandbox, query, schema)
    close()
    assert len(first) >= 20, format_table(first)
    assert all(r.ok for r in first), format_table(first)
    assert sum(r.warehouse_rows for r in first) > 1000

    changed = _apply_changes(sandbox)
    _meltano(run, env)
    query, close = connect()
    second = _reconcile_all(sandbox, query, schema)
    try:
        assert all(r.ok for r in second), format_table(second)
        _assert_changes_landed(sandbox, query, schema, changed)
        flagged = {r.stream: r.warehouse_deleted for r in second}
        for obj, (_touched, deleted) in changed.items():
            assert flagged[obj.lower()] >= len(deleted)
    finally:
        close()


def test_meltano_run_into_duckdb_reconciles(
    meltano_installed: None, e2e_sandbox: Sandbox, tmp_path: Path
) -> None:
    import duckdb

    schema = "intacct_e2e"

    def connect() -> Connection:
        con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)

        def query(sql: str) -> list[tuple[Any, ...]]:
            return con.execute(sql).fetchall()

        return query, con.close

    _run_twice(e2e_sandbox, tmp_path, "target-duckdb", schema, connect)


def test_meltano_run_into_postgres_reconciles(
    meltano_installed: None, e2e_sandbox: Sandbox, tmp_path: Path
) -> None:
    import psycopg

    schema = f"intacct_e2e_{uuid.uuid4().hex[:6]}"

    def connect() -> Connection:
        con = psycopg.connect(host="127.0.0.1", port=PG_PORT, user="postgres", dbname="postgres")

        def query(sql: str) -> list[tuple[Any, ...]]:
            with con.cursor() as cur:
                cur.execute(sql)  # type: ignore[arg-type]
                return list(cur.fetchall())

        return query, con.close

    _run_twice(e2e_sandbox, tmp_path, "target-postgres", schema, connect)
