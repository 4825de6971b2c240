"""The unmodified `sageintacctsdk` package (PyPI) against the sandbox.

The SDK hard-codes https://api.intacct.com (protocol.md §1.1). The only thing changed here is the
endpoint attribute each API object keeps (`_ApiBase__api_url`); everything it sends and
parses is the package's own code.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sageintacctsdk import SageIntacctSDK
from sageintacctsdk.apis import ApiBase
from sageintacctsdk.exceptions import InvalidTokenError

ENDPOINT_ATTRIBUTE = "_ApiBase__api_url"
API_OBJECTS = ("api_base", "vendors", "customers", "accounts", "locations", "gl_detail")


def _login(box: Any, **overrides: str) -> tuple[str, str]:
    """The SDK's own getAPISession flow, pointed at the sandbox; (session id, endpoint)."""
    creds = {**box.config(), **overrides}
    base = ApiBase()
    setattr(base, ENDPOINT_ATTRIBUTE, box.api_url)
    base.set_sender_id(creds["sender_id"])
    base.set_sender_password(creds["sender_password"])
    base.set_show_private(True)
    session_id = base.get_session_id(creds["user_id"], creds["company_id"], creds["user_password"])
    return session_id, getattr(base, ENDPOINT_ATTRIBUTE)


def _sdk(box: Any) -> SageIntacctSDK:
    session_id, endpoint = _login(box)
    creds = box.config()
    sdk = SageIntacctSDK(
        sender_id=creds["sender_id"],
        sender_password=creds["sender_password"],
        user_id=creds["user_id"],
        company_id=creds["company_id"],
        user_password=creds["user_password"],
        show_private=True,
        session_id=session_id,
    )
    for name in API_OBJECTS:
        setattr(getattr(sdk, name), ENDPOINT_ATTRIBUTE, endpoint)
    return sdk


def test_session_endpoint_is_the_sandbox(clean_sandbox: Any) -> None:
    session_id, endpoint = _login(clean_sandbox)
    assert session_id.endswith("..")
    assert endpoint == clean_sandbox.api_url


def test_bad_password_raises_the_sdk_error(clean_sandbox: Any) -> None:
    with pytest.raises(InvalidTokenError):
        _login(clean_sandbox, user_password="wrong")


def test_create_vendor_and_read_it_back(clean_sandbox: Any) -> None:
    sdk = _sdk(clean_sandbox)
    vendor_id = f"SDK{uuid.uuid4().hex[:8].upper()}"
    created = sdk.vendors.post({"VENDORID": vendor_id, "NAME": "SDK Vendor & Sons"})
    assert created["status"] == "success"
    assert created["data"]["vendor"]["VENDORID"] == vendor_id
    stored = [r for r in clean_sandbox.records("VENDOR") if r["VENDORID"] == vendor_id]
    assert len(stored) == 1
    assert stored[0]["NAME"] == "SDK Vendor & Sons"

    # The SDK's default VENDOR select list names fields the sandbox catalog does not model
    # (answered with the "cannot be queried" error), so the fields are given explicitly.
    found = sdk.vendors.get(
        field="VENDORID", value=vendor_id, fields=["RECORDNO", "VENDORID", "NAME", "STATUS"]
    )
    assert found["@totalcount"] == "1"
    record = found["VENDOR"]
    record = record[0] if isinstance(record, list) else record
    assert record["VENDORID"] == vendor_id
    assert record["NAME"] == "SDK Vendor & Sons"
    assert int(record["RECORDNO"]) == int(stored[0]["RECORDNO"])


def test_paged_query(clean_sandbox: Any) -> None:
    session_id, endpoint = _login(clean_sandbox)
    creds = clean_sandbox.config()
    vendors = ApiBase(dimension="VENDOR", pagesize=7)  # the SDK's own paging parameter
    vendors.set_sender_id(creds["sender_id"])
    vendors.set_sender_password(creds["sender_password"])
    vendors.set_session_id(session_id)
    vendors.set_show_private(True)
    setattr(vendors, ENDPOINT_ATTRIBUTE, endpoint)

    rows = vendors.get_all(fields=["RECORDNO", "VENDORID", "NAME"])
    expected = clean_sandbox.records("VENDOR")
    assert len(expected) > 7
    assert sorted(int(r["RECORDNO"]) for r in rows) == sorted(int(r["RECORDNO"]) for r in expected)
    by_query = vendors.get_by_query(fields=["RECORDNO", "VENDORID"])
    assert len(by_query) == len(expected)
    assert vendors.count(None) == len(expected)


def test_lookup(clean_sandbox: Any) -> None:
    sdk = _sdk(clean_sandbox)
    data = sdk.vendors.get_lookup()
    fields = data["Type"]["Fields"]["Field"]
    ids = {field["ID"] for field in fields}
    assert {"RECORDNO", "VENDORID", "NAME", "WHENMODIFIED"} <= ids
    assert all("DATATYPE" in field for field in fields)
