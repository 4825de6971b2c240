"""REST query pages of 4000 rows over a scaled sandbox: meta, order and completeness."""

from __future__ import annotations

from typing import Any

import pytest
import requests

CLIENT = {"client_id": "sandbox-client-id", "client_secret": "sandbox-client-secret"}


@pytest.fixture(scope="module")
def scaled() -> Any:
    from sandbox_process import start_sandbox

    box = start_sandbox(seed="demo", scale=3)
    yield box
    box.stop()


def _query(box: Any, body: dict[str, Any]) -> dict[str, Any]:
    root = f"{box.base_url}/ia/api/v1"
    token = requests.post(
        f"{root}/oauth2/token",
        data={**CLIENT, "grant_type": "client_credentials", "username": "sandbox_user@SANDBOX-CO"},
        timeout=30,
    ).json()["access_token"]
    reply = requests.post(
        f"{root}/services/core/query",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    assert reply.status_code == 200, reply.text
    payload: dict[str, Any] = reply.json()
    return payload


def test_journal_lines_in_pages_of_4000(scaled: Any) -> None:
    stored = sorted(int(r["RECORDNO"]) for r in scaled.records("GLENTRY"))
    assert len(stored) > 4000
    body = {
        "object": "general-ledger/journal-entry-line",
        "fields": ["key", "txnAmount", "audit.modifiedDateTime"],
        "orderBy": [{"key": "asc"}],
        "filterParameters": {"includePrivate": True},
        "size": 4000,
    }
    first = _query(scaled, {**body, "start": 1})
    assert first["ia::meta"] == {
        "totalCount": len(stored),
        "start": 1,
        "pageSize": 4000,
        "next": 4001,
        "previous": None,
    }
    second = _query(scaled, {**body, "start": 4001})
    assert second["ia::meta"]["next"] is None
    assert second["ia::meta"]["previous"] == 1
    keys = [int(r["key"]) for r in first["ia::result"] + second["ia::result"]]
    assert len(first["ia::result"]) == 4000
    assert keys == stored
    amounts = {str(r["RECORDNO"]): r["TRX_AMOUNT"] for r in scaled.records("GLENTRY")}
    for row in first["ia::result"][:50]:
        assert float(row["txnAmount"]) == pytest.approx(float(amounts[row["key"]]))


def test_incremental_window_on_modified_timestamp(scaled: Any) -> None:
    """The filter a sync uses: modified at or after a mark, ordered by (modified, key)."""
    mark = "2025-03-01T00:00:00Z"
    records = scaled.records("APBILL")
    expected = sorted(
        (r["WHENMODIFIED"], int(r["RECORDNO"]))
        for r in records
        if (r["WHENMODIFIED"] or "") >= mark
    )
    assert expected
    rows = _query(
        scaled,
        {
            "object": "accounts-payable/bill",
            "fields": ["key", "audit.modifiedDateTime"],
            "filters": [{"$gte": {"audit.modifiedDateTime": mark}}],
            "filterParameters": {"includePrivate": True},
            "orderBy": [{"audit.modifiedDateTime": "asc"}, {"key": "asc"}],
            "size": 4000,
        },
    )["ia::result"]
    assert [(r["audit"]["modifiedDateTime"], int(r["key"])) for r in rows] == expected
