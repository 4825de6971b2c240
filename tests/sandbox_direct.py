"""Call sandbox function handlers directly (no HTTP), as the gateway would.

Shared by the direct tests of the write and legacy functions: one CallContext built
from the user's row, one function per SAVEPOINT rolled back on failure.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from defusedxml import ElementTree as SafeET
from intacct_sandbox import db
from intacct_sandbox.functions import CallContext, FunctionOutcome, execute_function
from intacct_sandbox.results import ResultStore


def call_context(
    conn: sqlite3.Connection,
    now: datetime,
    user: str = "sandbox_user",
    entity: str | None = None,
) -> CallContext:
    """The context the gateway builds for a signed-in user of the default company."""
    row = db.user_row(conn, user)
    assert row is not None
    return CallContext(
        conn=conn,
        company_id="SANDBOX-CO",
        user_id=user,
        user_recordno=row.user_recordno,
        entity_id=entity,
        session_id="s",
        now=now,
        timezone="America/Los_Angeles",
        permissions=row.denied_objects,
        request_host="http://127.0.0.1",
        result_store=ResultStore(),
    )


def run_in_savepoint(conn: sqlite3.Connection, xml: str, ctx: CallContext) -> FunctionOutcome:
    """One function inside a savepoint, rolled back on failure (what the gateway does)."""
    element = SafeET.fromstring(xml)
    conn.execute("SAVEPOINT fn")
    outcome = execute_function(ctx, element.tag, element)
    if outcome.status != "success":
        conn.execute("ROLLBACK TO fn")
    conn.execute("RELEASE fn")
    return outcome


def table_rows(
    conn: sqlite3.Connection, name: str, where: str = "1=1", *params: Any
) -> list[dict[str, Any]]:
    """Rows of one object's table, in RECORDNO order."""
    cur = conn.execute(f'SELECT * FROM "{name}" WHERE {where} ORDER BY "RECORDNO"', params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
