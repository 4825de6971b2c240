"""Changes made through the gateway's write path between two tap runs.

Creates, updates and deletes of headers, a journal entry given a new set of lines, and
deleted bills, invoices and journal entries (which take their lines with them): what a
reconciliation test needs a tap to notice on its next incremental run, in either API.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from intacct_client import ClientConfig, IntacctClient


@contextmanager
def gateway_client(config: dict[str, Any]) -> Iterator[IntacctClient]:
    client = IntacctClient(ClientConfig.from_mapping(config))
    try:
        yield client
    finally:
        client.close()


def _ok(result: Any, what: str) -> list[dict[str, Any]]:
    assert result.status == "success", (what, result)
    return list(result.data)


def _delete_first(client: IntacctClient, obj: str, keys: list[int]) -> int:
    """Delete the first of `keys` the gateway lets go (others may be referenced)."""
    for key in keys:
        if client.delete(obj, [key]).status == "success":
            return key
    raise AssertionError(f"no {obj} among {keys[:10]} could be deleted")


def _journal_lines(amount: str) -> dict[str, Any]:
    return {
        "GLENTRY": [
            {"ACCOUNTNO": "6100", "TR_TYPE": "1", "TRX_AMOUNT": amount},
            {"ACCOUNTNO": "2100", "TR_TYPE": "-1", "TRX_AMOUNT": amount},
        ]
    }


def _created_key(result: Any, what: str) -> int:
    return int(_ok(result, what)[0]["RECORDNO"])


def prepare_unreferenced(client: IntacctClient) -> dict[str, int]:
    """Before the full sync: a vendor and a customer nothing refers to (the seeded ones
    all have documents, so the gateway refuses to delete them)."""
    return {
        "VENDOR": _created_key(
            client.create([("VENDOR", {"VENDORID": "VMX0", "NAME": "Short-lived V"})]), "v"
        ),
        "CUSTOMER": _created_key(
            client.create([("CUSTOMER", {"CUSTOMERID": "CMX0", "NAME": "Short-lived C"})]), "c"
        ),
    }


def change_everything(box: Any, client: IntacctClient, unused: dict[str, int]) -> dict[str, Any]:
    """Creates, updates and deletes through the gateway; what was done, by object."""
    done: dict[str, Any] = {}
    vendors = sorted(r["RECORDNO"] for r in box.records("VENDOR"))
    customers = sorted(r["RECORDNO"] for r in box.records("CUSTOMER"))
    _ok(client.create([("VENDOR", {"VENDORID": "VMX1", "NAME": "Matrix Vendor"})]), "vendor")
    _ok(
        client.create([("CUSTOMER", {"CUSTOMERID": "CMX1", "NAME": "Matrix Customer"})]),
        "customer",
    )
    _ok(client.update([("VENDOR", {"RECORDNO": vendors[1], "NAME": "Renamed V"})]), "vendor")
    _ok(client.update([("CUSTOMER", {"RECORDNO": customers[1], "NAME": "Renamed C"})]), "cust")
    done["VENDOR"] = _delete_first(client, "VENDOR", [unused["VENDOR"]])
    done["CUSTOMER"] = _delete_first(client, "CUSTOMER", [unused["CUSTOMER"]])
    bill = {
        "VENDORID": "V00001",
        "WHENCREATED": "03/03/2025",
        "WHENDUE": "04/02/2025",
        "RECORDID": "GW-BILL-1",
        "APBILLITEMS": {
            "APBILLITEM": [
                {"ACCOUNTNO": "6100", "TRX_AMOUNT": "12.34"},
                {"ACCOUNTNO": "6200", "TRX_AMOUNT": "0.66"},
            ]
        },
    }
    _ok(client.create([("APBILL", bill)]), "bill")
    bills = sorted(r["RECORDNO"] for r in box.records("APBILL"))
    done["APBILL"] = _delete_first(client, "APBILL", bills[:-1][::-1])
    invoices = sorted(r["RECORDNO"] for r in box.records("ARINVOICE"))
    done["ARINVOICE"] = _delete_first(client, "ARINVOICE", invoices[::-1])
    batches = sorted(r["RECORDNO"] for r in box.records("GLBATCH"))
    replaced = batches[len(batches) // 2]
    _ok(
        client.update([("GLBATCH", {"RECORDNO": replaced, "ENTRIES": _journal_lines("7.25")})]),
        "journal entry lines",
    )
    done["GLBATCH lines replaced"] = replaced
    done["GLBATCH"] = _delete_first(client, "GLBATCH", [k for k in batches if k != replaced])
    return done
