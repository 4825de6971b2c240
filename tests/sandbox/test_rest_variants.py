"""REST answers are UTC and ISO under every variant of the XML half's formatting, and
REST writes follow the sandbox clock."""

from __future__ import annotations

from typing import Any

import pytest
import requests

CLIENT = {"client_id": "sandbox-client-id", "client_secret": "sandbox-client-secret"}


def _session(box: Any) -> tuple[str, dict[str, str]]:
    root = f"{box.base_url}/ia/api/v1"
    form = {**CLIENT, "grant_type": "client_credentials", "username": "sandbox_user@SANDBOX-CO"}
    token = requests.post(f"{root}/oauth2/token", data=form, timeout=30).json()["access_token"]
    return root, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "chosen",
    [
        {"timestamp_zone": "gmt", "date_format": "dd.mm.yyyy"},
        {"user_timezone": "iana", "date_format": "dd/mm/yyyy", "auwhencreated_zone": "user"},
        {"timestamp_zone": "user", "date_format": "yyyy-mm-dd"},
    ],
)
def test_timestamps_and_dates_are_utc_iso_under_variants(
    sandbox_factory: Any, chosen: dict[str, str]
) -> None:
    box = sandbox_factory(seed="demo", variants=chosen)
    assert {k: box.variants()[k] for k in chosen} == chosen
    root, headers = _session(box)
    stored = {str(r["RECORDNO"]): r for r in box.records("APBILL")}
    reply = requests.post(
        f"{root}/services/core/query",
        json={
            "object": "accounts-payable/bill",
            "fields": ["key", "audit.createdDateTime", "audit.modifiedDateTime", "dueDate"],
            "filterParameters": {"includePrivate": True},
            "size": 4000,
        },
        headers=headers,
        timeout=60,
    )
    rows = reply.json()["ia::result"]
    assert len(rows) == len(stored)
    for row in rows:
        source = stored[row["key"]]
        assert row["audit"]["createdDateTime"] == source["AUWHENCREATED"]
        assert row["audit"]["modifiedDateTime"] == source["WHENMODIFIED"]
        assert row["dueDate"] == source["WHENDUE"]
    created = requests.post(
        f"{root}/objects/accounts-payable/bill",
        json={
            "billNumber": "RV-1",
            "vendor": {"id": "V00001"},
            "createdDate": "2025-03-01",
            "dueDate": "2025-03-31",
            "lines": [{"glAccount": {"id": "5100"}, "txnAmount": "1.00"}],
        },
        headers=headers,
        timeout=60,
    )
    assert created.status_code == 201, created.text
    key = created.json()["ia::result"]["key"]
    bill = next(r for r in box.records("APBILL") if str(r["RECORDNO"]) == key)
    assert (bill["WHENCREATED"], bill["WHENDUE"]) == ("2025-03-01", "2025-03-31")


def test_writes_follow_the_frozen_clock(clean_sandbox: Any) -> None:
    clean_sandbox.freeze_clock("2031-06-30T08:15:00Z")
    root, headers = _session(clean_sandbox)
    created = requests.post(
        f"{root}/objects/accounts-receivable/customer",
        json={"id": "CREST-1", "name": "Clock Customer"},
        headers=headers,
        timeout=60,
    )
    assert created.status_code == 201, created.text
    key = created.json()["ia::result"]["key"]
    got = requests.get(
        f"{root}/objects/accounts-receivable/customer/{key}", headers=headers, timeout=60
    ).json()["ia::result"]
    assert got["audit"]["createdDateTime"] == "2031-06-30T08:15:00Z"
    assert got["audit"]["modifiedDateTime"] == "2031-06-30T08:15:00Z"
    since = requests.post(
        f"{root}/services/core/query",
        json={
            "object": "accounts-receivable/customer",
            "fields": ["id"],
            "filters": [{"$gte": {"audit.modifiedDateTime": "2031-06-30T08:15:00Z"}}],
        },
        headers=headers,
        timeout=60,
    ).json()["ia::result"]
    assert [r["id"] for r in since] == ["CREST-1"]


def test_rest_variants_decimals_oversize_and_error_body(sandbox_factory: Any) -> None:
    box = sandbox_factory(
        seed="demo",
        variants={"rest_decimals": "number", "rest_oversize": "clamp", "rest_error_body": "error"},
    )
    root, headers = _session(box)
    stored = {str(r["RECORDNO"]): r for r in box.records("VENDOR")}
    reply = requests.post(
        f"{root}/services/core/query",
        json={"object": "accounts-payable/vendor", "fields": ["key", "creditLimit"], "size": 5000},
        headers=headers,
        timeout=60,
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["ia::meta"]["pageSize"] == 4000
    limits = [r for r in body["ia::result"] if r["creditLimit"] is not None]
    assert limits
    for row in limits:
        assert isinstance(row["creditLimit"], (int, float))
        assert row["creditLimit"] == float(stored[row["key"]]["CREDITLIMIT"])
    model = requests.get(
        f"{root}/services/core/model",
        params={"name": "accounts-payable/vendor"},
        headers=headers,
        timeout=60,
    ).json()["ia::result"]
    assert model["fields"]["creditLimit"]["type"] == "number"
    forged = requests.post(
        f"{root}/services/core/query",
        json={"object": "accounts-payable/vendor"},
        headers={"Authorization": "Bearer forged"},
        timeout=60,
    )
    assert forged.status_code == 401
    assert forged.json()["error"]["errorId"] == "REST-2102"
    assert "ia::result" not in forged.json()


def test_rest_query_shape_dotted_answers_flat_keys_and_object_reads_stay_nested(
    sandbox_factory: Any,
) -> None:
    box = sandbox_factory(seed="demo", variants={"rest_query_shape": "dotted"})
    root, headers = _session(box)
    stored = {str(r["RECORDNO"]): r for r in box.records("APBILL")}
    fields = ["key", "vendor.id", "audit.modifiedDateTime", "totalTxnAmount"]
    reply = requests.post(
        f"{root}/services/core/query",
        json={
            "object": "accounts-payable/bill",
            "fields": fields,
            "filterParameters": {"includePrivate": True},
            "size": 4000,
        },
        headers=headers,
        timeout=60,
    )
    assert reply.status_code == 200, reply.text
    rows = reply.json()["ia::result"]
    assert len(rows) == len(stored)
    for row in rows:
        assert list(row) == fields
        assert row["vendor.id"] == stored[row["key"]]["VENDORID"]
        assert row["audit.modifiedDateTime"] == stored[row["key"]]["WHENMODIFIED"]
    one = requests.get(
        f"{root}/objects/accounts-payable/bill/{rows[0]['key']}", headers=headers, timeout=60
    ).json()["ia::result"]
    assert one["vendor"]["id"] == rows[0]["vendor.id"]
    assert "vendor.id" not in one
    assert one["lines"]
    assert all("bill.key" not in line for line in one["lines"])
    assert all(line["bill"]["key"] == rows[0]["key"] for line in one["lines"])
