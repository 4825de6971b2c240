"""Unified target input for the reliability suite: N records per stream, tagged so each
test can count its own records in the sandbox by natural key."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SEEDED_VENDOR = "V00001"
SEEDED_CUSTOMER = "C00001"


@dataclass(frozen=True)
class StreamKind:
    """A unified stream, the sandbox object it lands in and how to find it again."""

    stream: str
    obj: str
    natural_key: str  # sandbox field holding the record's own id
    function: str  # gateway function the target sends for a new record
    fault_object: str | None  # object name the fault filter matches (None: function only)


STREAM_KINDS: tuple[StreamKind, ...] = (
    StreamKind("Vendors", "VENDOR", "VENDORID", "create", "VENDOR"),
    StreamKind("Customers", "CUSTOMER", "CUSTOMERID", "create", "CUSTOMER"),
    StreamKind("Bills", "APBILL", "RECORDID", "create", "APBILL"),
    StreamKind("Invoices", "ARINVOICE", "RECORDID", "create_invoice", None),
    StreamKind("JournalEntries", "GLBATCH", "REFERENCENO", "create", "GLBATCH"),
    StreamKind("BillPayments", "APPYMT", "DOCNUMBER", "create", "APPYMT"),
    StreamKind("InvoicePayments", "ARPYMT", "DOCNUMBER", "create", "ARPYMT"),
    StreamKind("PurchaseOrders", "PODOCUMENT", "DOCNO", "create_potransaction", None),
)
PREFIXES = {"BillPayments": "BP", "InvoicePayments": "IP", "PurchaseOrders": "PO"}


def record_id(kind: StreamKind, tag: str, n: int) -> str:
    prefix = PREFIXES.get(kind.stream, kind.stream[:2].upper())
    return f"{tag}-{prefix}{n:03d}"


def paid_document(stream: str, tag: str, n: int) -> str:
    """The bill / invoice of the same load that payment `n` of `stream` pays (in part)."""
    documents = {"BillPayments": "Bills", "InvoicePayments": "Invoices"}[stream]
    return record_id(next(k for k in STREAM_KINDS if k.stream == documents), tag, n)


def make_record(kind: StreamKind, tag: str, n: int) -> dict[str, Any]:
    """A valid record number `n` of the stream, id `<tag>-<XX><nnn>`."""
    ident = record_id(kind, tag, n)
    amount = Decimal(n + 1) + Decimal("0.25")
    if kind.stream == "Vendors":
        return {"id": ident, "name": f"Reliable Vendor {ident}"}
    if kind.stream == "Customers":
        return {"id": ident, "name": f"Reliable Customer {ident}"}
    if kind.stream == "Bills":
        bill: dict[str, Any] = {
            "billNumber": ident,
            "vendorId": SEEDED_VENDOR,
            "issueDate": "2025-03-01",
            "dueDate": "2025-03-31",
            "lineItems": [{"accountNumber": "6200", "amount": amount}],
        }
        if n % 3 == 0:  # every third bill keeps a scan (a supporting document)
            data = base64.b64encode(f"%PDF-1.4 scan of {ident}".encode()).decode("ascii")
            bill["attachments"] = [{"fileName": f"{ident}.pdf", "data": data}]
        return bill
    if kind.stream == "Invoices":
        return {
            "invoiceNumber": ident,
            "customerId": SEEDED_CUSTOMER,
            "issueDate": "2025-03-02",
            "dueDate": "2025-04-01",
            "lineItems": [{"accountNumber": "4100", "amount": amount}],
        }
    if kind.stream == "BillPayments":
        return {
            "id": ident,
            "vendorId": SEEDED_VENDOR,
            "paymentDate": "2025-04-01",
            "paymentMethod": "EFT",
            "bankAccountId": "BOA-OPER",
            "lines": [{"billNumber": paid_document(kind.stream, tag, n), "amount": Decimal(1)}],
        }
    if kind.stream == "InvoicePayments":
        return {
            "id": ident,
            "customerId": SEEDED_CUSTOMER,
            "paymentDate": "2025-04-02",
            "paymentMethod": "Check",
            "bankAccountId": "BOA-OPER",
            "lines": [{"invoiceNumber": paid_document(kind.stream, tag, n), "amount": Decimal(1)}],
        }
    if kind.stream == "PurchaseOrders":
        return {
            "id": ident,
            "vendorId": SEEDED_VENDOR,
            "transactionDate": "2025-04-03",
            "lines": [{"itemId": "I-0001", "quantity": n, "unitPrice": amount}],
        }
    return {
        "id": ident,
        "journal": "GJ",
        "transactionDate": "2025-03-31",
        "description": f"Reliability {ident}",
        "lines": [
            {"accountNumber": "6100", "amount": amount, "postingType": "debit"},
            {"accountNumber": "2100", "amount": amount, "postingType": "credit"},
        ],
    }


def unified_load(tag: str, per_stream: int) -> dict[str, list[dict[str, Any]]]:
    return {
        kind.stream: [make_record(kind, tag, n) for n in range(1, per_stream + 1)]
        for kind in STREAM_KINDS
    }


def ids_of(kind: StreamKind, records: list[dict[str, Any]]) -> list[str]:
    field = {"Bills": "billNumber", "Invoices": "invoiceNumber"}.get(kind.stream, "id")
    return [str(r[field]) for r in records]
