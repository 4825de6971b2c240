"""The unmodified `sageintacctrestsdk` package (PyPI) against the sandbox's REST half.

Only its base URL is repointed: the package keeps it in module constants, so the test
replaces those constants for its duration. Everything else is the package's own code:
token request, query paging, model, create, update and delete.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from intacctsdk import IntacctRESTSDK
from intacctsdk.exceptions import BadRequestError

SDK_MODULES = (
    "intacctsdk.intacctsdk",
    "intacctsdk.constants",
    "intacctsdk.apis.api_base",
    "intacctsdk.apis.reporting_periods",
)


def _sdk_for(box: Any, monkeypatch: pytest.MonkeyPatch) -> IntacctRESTSDK:
    base = f"{box.base_url}/ia/api/v1"
    for name in SDK_MODULES:
        monkeypatch.setattr(importlib.import_module(name), "BASE_URL", base)
    return IntacctRESTSDK(
        username="sandbox_user@SANDBOX-CO",
        client_id="sandbox-client-id",
        client_secret="sandbox-client-secret",
    )


@pytest.fixture
def sdk(clean_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> IntacctRESTSDK:
    return _sdk_for(clean_sandbox, monkeypatch)


def test_token_flow(sdk: IntacctRESTSDK) -> None:
    assert sdk.access_token
    assert sdk.refresh_token
    assert sdk.access_token_expires_in == 21600


def test_query_of_vendors_pages_through_everything(sdk: IntacctRESTSDK, clean_sandbox: Any) -> None:
    shared = {str(r["VENDORID"]) for r in clean_sandbox.records("VENDOR") if not r["MEGAENTITYID"]}
    seen: list[str] = []
    for page in sdk.vendors.get_all_generator(fields=["key", "id", "name"]):
        seen += [row["id"] for row in page]
    assert sorted(seen) == sorted(shared)
    active = {
        str(r["VENDORID"])
        for r in clean_sandbox.records("VENDOR")
        if not r["MEGAENTITYID"] and r["STATUS"] == "active"
    }
    filtered = [
        row["id"]
        for page in sdk.vendors.get_all_generator(
            fields=["id"], filters=[{"$eq": {"status": "active"}}]
        )
        for row in page
    ]
    assert set(filtered) == active
    assert sdk.vendors.count(filters=[{"$eq": {"status": "active"}}]) == len(active)


def test_query_pages_of_2000_over_journal_lines(
    sandbox_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = sandbox_factory(seed="demo", scale=3)
    sdk = _sdk_for(box, monkeypatch)
    stored = [r for r in box.records("GLENTRY") if not r["MEGAENTITYID"]]
    assert len(stored) > 2000
    from intacctsdk.apis.api_base import ApiBase

    lines = ApiBase(sdk, object_path="/objects/general-ledger/journal-entry-line")
    lines.update_access_token(sdk.access_token)
    pages = list(lines.get_all_generator(fields=["key"], order_by=[{"key": "asc"}]))
    assert [len(p) for p in pages] == [2000] * (len(pages) - 1) + [len(stored) % 2000 or 2000]
    keys = [int(row["key"]) for page in pages for row in page]
    assert keys == sorted(int(r["RECORDNO"]) for r in stored)


def test_model(sdk: IntacctRESTSDK) -> None:
    model = sdk.vendors.get_model()["ia::result"]
    assert model["apiObject"] == "accounts-payable/vendor"
    assert {"key", "id", "name", "status"} <= set(model["fields"])


def test_create_update_delete_a_vendor(sdk: IntacctRESTSDK, clean_sandbox: Any) -> None:
    created = sdk.vendors.post({"id": "VSDK-1", "name": "SDK Vendor"})
    key = created["ia::result"]["key"]
    rows = [r for r in clean_sandbox.records("VENDOR") if str(r["RECORDNO"]) == key]
    assert [r["VENDORID"] for r in rows] == ["VSDK-1"]
    sdk.vendors.update(key, {"name": "SDK Vendor Renamed", "status": "inactive"})
    got = sdk.vendors.get_by_key(key)["ia::result"]
    assert (got["name"], got["status"]) == ("SDK Vendor Renamed", "inactive")
    assert sdk.vendors.delete(key) is None
    assert not [r for r in clean_sandbox.records("VENDOR") if str(r["RECORDNO"]) == key]
    with pytest.raises(BadRequestError) as err:
        sdk.vendors.get_by_key(key)
    assert "404" in str(err.value)
