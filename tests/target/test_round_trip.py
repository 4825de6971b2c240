"""Round trip: target-intacct writes unified records, tap-intacct reads them back.

Both run as real CLIs against one sandbox; the tap only reads rows modified after the
target started (start_date), and every value written must come back unchanged.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from target_helpers import run_target, singer_lines, tap_records

OBJECTS = [
    "VENDOR",
    "CUSTOMER",
    "APBILL",
    "APBILLITEM",
    "ARINVOICE",
    "ARINVOICEITEM",
    "GLBATCH",
    "GLENTRY",
]


def test_target_writes_and_tap_reads_back_the_same_values(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    started = datetime.now(timezone.utc) - timedelta(seconds=2)
    data = {
        "Vendors": [
            {
                "id": "RT-V1",
                "name": 'Round "Trip" & Søn',
                "email": "rt@vendor.example",
                "address": {"city": "Århus", "country": "Denmark"},
            }
        ],
        "Customers": [{"id": "RT-C1", "name": "Zoë's Round Trip", "creditLimit": Decimal("750.5")}],
        "Bills": [
            {
                "billNumber": "RT-B1",
                "vendorName": 'Round "Trip" & Søn',
                "issueDate": "2025-02-03",
                "dueDate": "2025-03-05",
                "description": "Ärger & Co <fees>",
                "lineItems": [
                    {"accountNumber": "6200", "amount": Decimal("19.99"), "description": "A"},
                    {
                        "accountName": "Office Supplies",
                        "amount": Decimal("0.01"),
                        "description": "B",
                        "department": "Finance",
                    },
                ],
            }
        ],
        "Invoices": [
            {
                "invoiceNumber": "RT-I1",
                "customerId": "RT-C1",
                "issueDate": "2025-02-10",
                "paymentTerm": "Net 30",
                "poNumber": "PO-Ω-7",
                "description": "Zoë's <order> & more",
                "lineItems": [
                    {
                        "accountNumber": "4000",
                        "amount": Decimal("42.42"),
                        "description": "Kit",
                        "item": "Crème Brûlée Kit",
                    },
                ],
            }
        ],
        "JournalEntries": [
            {
                "id": "RT-JE1",
                "journal": "GJ",
                "transactionDate": "2025-02-28",
                "description": "Round trip entry",
                "lines": [
                    {
                        "accountNumber": "6100",
                        "amount": Decimal("1234.56"),
                        "postingType": "debit",
                        "description": "Rent \u2013 Feb",
                    },
                    {
                        "accountNumber": "2100",
                        "amount": Decimal("1234.56"),
                        "postingType": "credit",
                    },
                ],
            }
        ],
    }
    written = run_target(box.config(), singer_lines(data), tmp_path / "target")
    assert written.returncode == 0, written.stderr[-3000:]
    keys = {r["record_id"]: r["key"] for r in written.results}
    assert all(keys.values())

    tap_config = box.config(
        objects=OBJECTS,
        start_date=started.isoformat(),
        include_deletes=False,
        lookback_minutes=0,
    )
    read = tap_records(tap_config, tmp_path)

    vendor = next(v for v in read["VENDOR"] if str(v["RECORDNO"]) == keys["RT-V1"])
    assert vendor["VENDORID"] == "RT-V1"
    assert vendor["NAME"] == 'Round "Trip" & Søn'
    assert vendor["DISPLAYCONTACT.EMAIL1"] == "rt@vendor.example"
    assert vendor["DISPLAYCONTACT.MAILADDRESS.CITY"] == "Århus"

    customer = next(c for c in read["CUSTOMER"] if str(c["RECORDNO"]) == keys["RT-C1"])
    assert customer["NAME"] == "Zoë's Round Trip"
    assert Decimal(str(customer["CREDITLIMIT"])) == Decimal("750.50")

    bill = next(b for b in read["APBILL"] if str(b["RECORDNO"]) == keys["RT-B1"])
    assert bill["RECORDID"] == "RT-B1"
    assert bill["VENDORID"] == "RT-V1"
    assert bill["DESCRIPTION"] == "Ärger & Co <fees>"
    assert str(bill["WHENDUE"]).startswith("2025-03-05")
    items = [i for i in read["APBILLITEM"] if str(i["RECORDKEY"]) == keys["RT-B1"]]
    assert sorted((Decimal(str(i["TRX_AMOUNT"])), i["ENTRYDESCRIPTION"]) for i in items) == [
        (Decimal("0.01"), "B"),
        (Decimal("19.99"), "A"),
    ]
    assert {i.get("DEPARTMENTID") for i in items} == {None, "D100"}

    invoice = next(i for i in read["ARINVOICE"] if str(i["RECORDNO"]) == keys["RT-I1"])
    assert invoice["RECORDID"] == "RT-I1"
    assert invoice["CUSTOMERID"] == "RT-C1"
    assert invoice["DOCNUMBER"] == "PO-Ω-7"
    assert invoice["DESCRIPTION"] == "Zoë's <order> & more"
    assert str(invoice["WHENCREATED"]).startswith("2025-02-10")
    invoice_lines = [i for i in read["ARINVOICEITEM"] if str(i["RECORDKEY"]) == keys["RT-I1"]]
    assert [(Decimal(str(i["TRX_AMOUNT"])), i["ITEMID"]) for i in invoice_lines] == [
        (Decimal("42.42"), "I-0005")
    ]

    entry = next(g for g in read["GLBATCH"] if str(g["RECORDNO"]) == keys["RT-JE1"])
    assert entry["REFERENCENO"] == "RT-JE1"
    assert entry["JOURNAL"] == "GJ"
    assert str(entry["BATCH_DATE"]).startswith("2025-02-28")
    lines = [g for g in read["GLENTRY"] if str(g["BATCHNO"]) == keys["RT-JE1"]]
    assert sorted(
        (int(g["TR_TYPE"]), g["ACCOUNTNO"], Decimal(str(g["TRX_AMOUNT"]))) for g in lines
    ) == [(-1, "2100", Decimal("1234.56")), (1, "6100", Decimal("1234.56"))]
    assert any(g["DESCRIPTION"] == "Rent \u2013 Feb" for g in lines)
