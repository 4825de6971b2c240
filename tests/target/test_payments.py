"""BillPayments and InvoicePayments against the sandbox: documents and their payments
from one input, amounts due and states in Intacct, overpayments refused before any
write, re-runs that create nothing, and the tap reading the payments back."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from target_helpers import run_target, singer_lines, tap_records

VENDOR = "V00001"
CUSTOMER = "C00001"


def payment_input(tag: str) -> dict[str, list[dict[str, Any]]]:
    """Two bills and an invoice, one bill paid in full and one in part, the invoice paid,
    and one overpayment; the payments come first in the input on purpose."""
    return {
        "BillPayments": [
            {
                "id": f"{tag}-P1",
                "vendorId": VENDOR,
                "paymentDate": "2025-04-10",
                "paymentMethod": "EFT",
                "bankAccountId": "BOA-OPER",
                "description": "Full payment",
                "lines": [{"billNumber": f"{tag}-B1", "amount": Decimal("300.00")}],
            },
            {
                "id": f"{tag}-P2",
                "vendorId": VENDOR,
                "paymentDate": "2025-04-11",
                "paymentMethod": "Check",
                "bankAccountId": "BOA-OPER",
                "lines": [{"billNumber": f"{tag}-B2", "amount": Decimal("50.25")}],
            },
            {
                "id": f"{tag}-P3",
                "vendorId": VENDOR,
                "paymentDate": "2025-04-12",
                "paymentMethod": "Cash",
                "bankAccountId": "BOA-OPER",
                "lines": [{"billNumber": f"{tag}-B2", "amount": Decimal("1000.00")}],
            },
        ],
        "Bills": [
            {
                "billNumber": f"{tag}-B1",
                "vendorId": VENDOR,
                "issueDate": "2025-04-01",
                "dueDate": "2025-05-01",
                "lineItems": [{"accountNumber": "6200", "amount": Decimal("300.00")}],
            },
            {
                "billNumber": f"{tag}-B2",
                "vendorId": VENDOR,
                "issueDate": "2025-04-02",
                "dueDate": "2025-05-02",
                "lineItems": [{"accountNumber": "6200", "amount": Decimal("200.00")}],
            },
        ],
        "InvoicePayments": [
            {
                "id": f"{tag}-R1",
                "customerId": CUSTOMER,
                "paymentDate": "2025-04-15",
                "paymentMethod": "ACH",
                "bankAccountId": "BOA-OPER",
                "lines": [{"invoiceNumber": f"{tag}-I1", "amount": Decimal("120.50")}],
            },
            {
                "id": f"{tag}-R2",
                "customerId": CUSTOMER,
                "paymentDate": "2025-04-16",
                "paymentMethod": "Cash",
                "undepositedFundsAccountNumber": "1000",
                "lines": [{"invoiceNumber": f"{tag}-I1", "amount": Decimal("0.01")}],
            },
        ],
        "Invoices": [
            {
                "invoiceNumber": f"{tag}-I1",
                "customerId": CUSTOMER,
                "issueDate": "2025-04-03",
                "dueDate": "2025-05-03",
                "lineItems": [{"accountNumber": "4100", "amount": Decimal("120.50")}],
            }
        ],
    }


def _by_number(box: Any, obj: str, prefix: str) -> dict[str, dict[str, Any]]:
    return {r["RECORDID"]: r for r in box.records(obj) if str(r["RECORDID"]).startswith(prefix)}


def _payments(box: Any, obj: str, prefix: str) -> list[dict[str, Any]]:
    return [r for r in box.records(obj) if str(r.get("DOCNUMBER") or "").startswith(prefix)]


def _check_first_run(box: Any, run: Any, tag: str) -> None:
    outcomes = {r["record_id"]: (r["outcome"], r.get("errorno")) for r in run.results}
    assert outcomes == {
        f"{tag}-B1": ("created", None),
        f"{tag}-B2": ("created", None),
        f"{tag}-I1": ("created", None),
        f"{tag}-P1": ("created", None),
        f"{tag}-P2": ("created", None),
        f"{tag}-P3": ("failed", "TI-OVERPAYMENT"),
        f"{tag}-R1": ("created", None),
        f"{tag}-R2": ("failed", "TI-OVERPAYMENT"),
    }, run.results
    message = run.by_id(f"{tag}-P3")["message"]
    for text in (f"{tag}-B2", "149.75 due", "1000.00", "lines[0].amount"):
        assert text in message, message
    receipt_message = run.by_id(f"{tag}-R2")["message"]
    for text in (f"invoice '{tag}-I1'", "0.00 due", "0.01"):
        assert text in receipt_message, receipt_message
    bills = _by_number(box, "APBILL", f"{tag}-")
    assert (Decimal(bills[f"{tag}-B1"]["TOTALDUE"]), bills[f"{tag}-B1"]["STATE"]) == (
        Decimal(0),
        "Paid",
    )
    assert (Decimal(bills[f"{tag}-B2"]["TOTALDUE"]), bills[f"{tag}-B2"]["STATE"]) == (
        Decimal("149.75"),
        "Partially Paid",
    )
    invoice = _by_number(box, "ARINVOICE", f"{tag}-")[f"{tag}-I1"]
    assert (Decimal(invoice["TOTALDUE"]), invoice["STATE"]) == (Decimal(0), "Paid")
    payments = {p["DOCNUMBER"]: p for p in _payments(box, "APPYMT", f"{tag}-")}
    assert sorted(payments) == [f"{tag}-P1", f"{tag}-P2"]
    assert payments[f"{tag}-P2"]["PAYMENTMETHOD"] == "Printed Check"
    assert run.by_id(f"{tag}-P1")["key"] == str(payments[f"{tag}-P1"]["RECORDNO"])
    details = [
        d
        for d in box.records("APPYMTDETAIL")
        if d["PAYMENTKEY"] == payments[f"{tag}-P2"]["RECORDNO"]
    ]
    assert [(str(d["RECORDKEY"]), Decimal(d["TRX_PAYMENTAMOUNT"])) for d in details] == [
        (str(bills[f"{tag}-B2"]["RECORDNO"]), Decimal("50.25"))
    ]
    receipts = _payments(box, "ARPYMT", f"{tag}-")
    assert [(r["DOCNUMBER"], r["CUSTOMERID"], r["FINANCIALENTITY"]) for r in receipts] == [
        (f"{tag}-R1", CUSTOMER, "BOA-OPER")
    ]


def test_bills_invoice_and_their_payments_from_one_input_then_a_rerun_creates_nothing(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    tag = "PAY"
    text = singer_lines(payment_input(tag))
    config = box.config(batch_size=10, fail_on_error=False)
    first = run_target(config, text, tmp_path / "first")
    assert first.returncode == 0, first.stderr[-3000:]
    _check_first_run(box, first, tag)
    assert len(first.results) == 8  # one outcome per record

    again = run_target(config, text, tmp_path / "again")
    assert again.returncode == 0, again.stderr[-3000:]
    outcomes = Counter((r["outcome"], r.get("errorno")) for r in again.results)
    assert outcomes == Counter({("unchanged", None): 6, ("failed", "TI-OVERPAYMENT"): 2})
    assert len(_payments(box, "APPYMT", f"{tag}-")) == 2
    assert len(_payments(box, "ARPYMT", f"{tag}-")) == 1
    bill = _by_number(box, "APBILL", f"{tag}-")[f"{tag}-B2"]
    assert Decimal(bill["TOTALDUE"]) == Decimal("149.75")
    summary = again.states[-1]["target_intacct_summary"]
    assert summary["api_calls"].get("create", 0) == 0, summary


@pytest.mark.parametrize("answer", ["refuse", "accept"])
def test_overpayment_fails_alone_under_either_gateway_answer(
    sandbox_factory: Any, tmp_path: Path, answer: str
) -> None:
    """Whether Intacct refuses an overpayment or books a credit, the target never sends it."""
    box = sandbox_factory(variants={"payment_overpayment": answer})
    tag = f"OV{answer[0].upper()}"
    first = run_target(box.config(fail_on_error=False), singer_lines(payment_input(tag)), tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    _check_first_run(box, first, tag)


def test_payment_of_an_unknown_bill_or_another_vendors_bill_fails_alone(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    other = next(
        b for b in box.records("APBILL") if b["VENDORID"] != VENDOR and Decimal(b["TOTALDUE"]) > 1
    )
    base = {
        "vendorId": VENDOR,
        "paymentDate": "2025-04-10",
        "paymentMethod": "EFT",
        "bankAccountId": "BOA-OPER",
    }
    data = {
        "BillPayments": [
            {**base, "id": "UNK-1", "lines": [{"billNumber": "NO-SUCH", "amount": "1.00"}]},
            {**base, "id": "UNK-2", "lines": [{"billNumber": other["RECORDID"], "amount": "1"}]},
            {**base, "id": "UNK-3", "lines": [{"billNumber": "X", "amount": "0"}]},
        ]
    }
    run = run_target(box.config(fail_on_error=False), singer_lines(data), tmp_path)
    lines = {r["record_id"]: r for r in run.results}
    assert {k: v["errorno"] for k, v in lines.items()} == {
        "UNK-1": "TI-REFERENCE",
        "UNK-2": "TI-REFERENCE",
        "UNK-3": "TI-VALIDATION",
    }
    assert "NO-SUCH" in lines["UNK-1"]["message"]
    assert other["VENDORID"] in lines["UNK-2"]["message"]
    assert "lines[0].amount" in lines["UNK-3"]["message"]
    assert _payments(box, "APPYMT", "UNK-") == []
    assert Decimal(
        next(b for b in box.records("APBILL") if b["RECORDNO"] == other["RECORDNO"])["TOTALDUE"]
    ) == Decimal(other["TOTALDUE"])


def test_receipt_into_undeposited_funds(clean_sandbox: Any, tmp_path: Path) -> None:
    box = clean_sandbox
    data = payment_input("UND")
    data["InvoicePayments"] = data["InvoicePayments"][:1]
    receipt = data["InvoicePayments"][0]
    receipt.pop("bankAccountId")
    receipt["undepositedFundsAccountNumber"] = "1000"
    no_account = {**receipt, "id": "UND-R2"}
    no_account.pop("undepositedFundsAccountNumber")
    data["InvoicePayments"].append(no_account)
    run = run_target(
        box.config(fail_on_error=False),
        singer_lines({"Invoices": data["Invoices"], "InvoicePayments": data["InvoicePayments"]}),
        tmp_path,
    )
    outcomes = {r["record_id"]: r["outcome"] for r in run.results}
    assert outcomes == {"UND-I1": "created", "UND-R1": "created", "UND-R2": "failed"}
    assert "deposit account" in run.by_id("UND-R2")["message"]
    receipts = _payments(box, "ARPYMT", "UND-")
    assert [(r["DOCNUMBER"], r["UNDEPOSITEDACCOUNTNO"]) for r in receipts] == [("UND-R1", "1000")]


def test_tap_reads_back_the_payments_the_target_wrote(clean_sandbox: Any, tmp_path: Path) -> None:
    box = clean_sandbox
    started = datetime.now(timezone.utc) - timedelta(seconds=2)
    tag = "RTP"
    written = run_target(
        box.config(fail_on_error=False), singer_lines(payment_input(tag)), tmp_path / "target"
    )
    keys = {r["record_id"]: r["key"] for r in written.results if r["outcome"] == "created"}
    config = box.config(
        objects=["APPYMT", "APPYMTDETAIL", "ARPYMT", "ARPYMTDETAIL", "APBILL"],
        start_date=started.isoformat(),
        include_deletes=False,
        lookback_minutes=0,
    )
    read = tap_records(config, tmp_path / "tap")
    payment = next(p for p in read["APPYMT"] if str(p["RECORDNO"]) == keys[f"{tag}-P1"])
    assert (payment["DOCNUMBER"], payment["VENDORID"], payment["FINANCIALENTITY"]) == (
        f"{tag}-P1",
        VENDOR,
        "BOA-OPER",
    )
    assert payment["DESCRIPTION"] == "Full payment"
    assert str(payment["PAYMENTDATE"]).startswith("2025-04-10")
    detail = [d for d in read["APPYMTDETAIL"] if str(d["PAYMENTKEY"]) == keys[f"{tag}-P1"]]
    assert [(str(d["RECORDKEY"]), Decimal(str(d["TRX_PAYMENTAMOUNT"]))) for d in detail] == [
        (keys[f"{tag}-B1"], Decimal("300.00"))
    ]
    receipt = next(p for p in read["ARPYMT"] if str(p["RECORDNO"]) == keys[f"{tag}-R1"])
    assert (receipt["DOCNUMBER"], receipt["CUSTOMERID"]) == (f"{tag}-R1", CUSTOMER)
    bill = next(b for b in read["APBILL"] if str(b["RECORDNO"]) == keys[f"{tag}-B2"])
    assert (Decimal(str(bill["TOTALDUE"])), bill["STATE"]) == (Decimal("149.75"), "Partially Paid")


def test_sample_input_pays_bills_and_invoice_raises_a_po_and_attaches_a_pdf(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    """The issue's whole scenario from one input: samples/unified.singer."""
    box = clean_sandbox
    sample = Path(__file__).parents[2] / "samples" / "unified.singer"
    run = run_target(box.config(), sample.read_text(encoding="utf-8"), tmp_path / "a")
    assert run.returncode == 0, run.stderr[-3000:]
    assert Counter(r["stream"] for r in run.results if r["outcome"] == "created") == Counter(
        {
            "Vendors": 4,
            "Customers": 3,
            "Bills": 5,
            "Invoices": 4,
            "JournalEntries": 4,
            "BillPayments": 2,
            "InvoicePayments": 1,
            "PurchaseOrders": 1,
        }
    )
    bills = _by_number(box, "APBILL", "DEMO-B-")
    assert (bills["DEMO-B-1002"]["STATE"], Decimal(bills["DEMO-B-1002"]["TOTALDUE"])) == (
        "Paid",
        Decimal(0),
    )
    assert (bills["DEMO-B-1001"]["STATE"], Decimal(bills["DEMO-B-1001"]["TOTALDUE"])) == (
        "Partially Paid",
        Decimal("836.40"),
    )
    invoice = _by_number(box, "ARINVOICE", "DEMO-INV-")["DEMO-INV-2002"]
    assert (invoice["STATE"], Decimal(invoice["TOTALDUE"])) == ("Paid", Decimal(0))
    order = next(d for d in box.records("PODOCUMENT") if d["DOCNO"] == "DEMO-PO-6001")
    assert (order["DOCID"], order["CUSTVENDID"]) == ("Purchase Order-DEMO-PO-6001", "DEMO-V003")
    assert Decimal(order["TOTAL"]) == Decimal("349.95")
    assert str(bills["DEMO-B-1002"]["SUPDOCID"]).startswith("ti")
    assert all(b["SUPDOCID"] is None for n, b in bills.items() if n != "DEMO-B-1002")

    again = run_target(box.config(), sample.read_text(encoding="utf-8"), tmp_path / "b")
    assert {r["outcome"] for r in again.results} == {"unchanged"}
    calls = again.states[-1]["target_intacct_summary"]["api_calls"]
    for function in ("create", "update", "create_invoice", "create_potransaction", "create_supdoc"):
        assert function not in calls, calls


def test_amount_of_a_rolled_back_payment_is_due_again_for_later_batches(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    """transaction=batch: batch 1 rolls back (Intacct refuses a bank account), so the
    150.00 + 10.00 it would have paid are due again and the payment of batch 2 fits."""
    box = clean_sandbox
    data = payment_input("RBK")
    bill = data["Bills"][1]  # 200.00
    base = {k: v for k, v in data["BillPayments"][0].items() if k not in ("id", "lines")}
    line = {"billNumber": bill["billNumber"], "amount": Decimal("150.00")}
    data = {
        "Bills": [bill],
        "BillPayments": [
            {**base, "id": "RBK-P1", "lines": [line]},
            {
                **base,
                "id": "RBK-P2",
                "bankAccountId": "NO-SUCH-BANK",
                "lines": [{**line, "amount": Decimal("10.00")}],
            },
            {**base, "id": "RBK-P3", "lines": [line]},
        ],
    }
    config = box.config(batch_size=2, transaction="batch", fail_on_error=False)
    run = run_target(config, singer_lines(data), tmp_path)
    outcomes = {r["record_id"]: r["outcome"] for r in run.results}
    assert outcomes == {
        "RBK-B2": "created",
        "RBK-P1": "failed",
        "RBK-P2": "failed",
        "RBK-P3": "created",
    }, run.results
    assert "rolled back" in run.by_id("RBK-P1")["message"]
    assert [p["DOCNUMBER"] for p in _payments(box, "APPYMT", "RBK-")] == ["RBK-P3"]
    paid = _by_number(box, "APBILL", "RBK-")["RBK-B2"]
    assert Decimal(paid["TOTALDUE"]) == Decimal("50.00")


def test_payment_lines_may_name_documents_by_record_number(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    bill = next(b for b in box.records("APBILL") if Decimal(b["TOTALDUE"] or 0) > 5)
    invoice = next(i for i in box.records("ARINVOICE") if Decimal(i["TOTALDUE"] or 0) > 5)
    data = {
        "BillPayments": [
            {
                "id": "BYNO-P1",
                "vendorId": bill["VENDORID"],
                "paymentDate": "2025-04-10",
                "paymentMethod": "Record Transfer",
                "bankAccountId": "BOA-PAYROLL",
                "lines": [{"billId": str(bill["RECORDNO"]), "amount": "5.00"}],
            }
        ],
        "InvoicePayments": [
            {
                "id": "BYNO-R1",
                "customerId": invoice["CUSTOMERID"],
                "paymentDate": "2025-04-10",
                "paymentMethod": "Credit Card",
                "bankAccountId": "BOA-OPER",
                "lines": [{"invoiceId": str(invoice["RECORDNO"]), "amount": "5.00"}],
            }
        ],
    }
    run = run_target(box.config(), singer_lines(data), tmp_path)
    assert [r["outcome"] for r in run.results] == ["created", "created"], run.results
    after = next(b for b in box.records("APBILL") if b["RECORDNO"] == bill["RECORDNO"])
    assert Decimal(after["TOTALDUE"]) == Decimal(bill["TOTALDUE"]) - 5
    assert after["STATE"] in ("Partially Paid", "Paid")
    paid = next(i for i in box.records("ARINVOICE") if i["RECORDNO"] == invoice["RECORDNO"])
    assert Decimal(paid["TOTALDUE"]) == Decimal(invoice["TOTALDUE"]) - 5
    (payment,) = _payments(box, "APPYMT", "BYNO-")
    assert (payment["VENDORID"], payment["FINANCIALENTITY"], payment["PAYMENTMETHOD"]) == (
        bill["VENDORID"],
        "BOA-PAYROLL",
        "Record Transfer",
    )


def test_dry_run_checks_payments_against_the_documents_it_would_create(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    run = run_target(
        box.config(dry_run=True, fail_on_error=False),
        singer_lines(payment_input("DRY")),
        tmp_path,
    )
    outcomes = {r["record_id"]: (r["outcome"], r.get("errorno")) for r in run.results}
    assert outcomes == {
        "DRY-B1": ("would_create", None),
        "DRY-B2": ("would_create", None),
        "DRY-I1": ("would_create", None),
        "DRY-P1": ("would_create", None),
        "DRY-P2": ("would_create", None),
        "DRY-P3": ("failed", "TI-OVERPAYMENT"),
        "DRY-R1": ("would_create", None),
        "DRY-R2": ("failed", "TI-OVERPAYMENT"),
    }
    assert "149.75 due" in run.by_id("DRY-P3")["message"]
    assert _by_number(box, "APBILL", "DRY-") == {}
    assert _payments(box, "APPYMT", "DRY-") == []


@pytest.mark.parametrize("answer", ["kept", "check_number"])
def test_check_payment_is_found_again_whether_or_not_its_docnumber_survives(
    sandbox_factory: Any, tmp_path: Path, answer: str
) -> None:
    """A Printed Check payment also keeps its id at the start of its memo, so a re-run finds
    it even when Intacct replaced DOCNUMBER with the check number."""
    box = sandbox_factory(variants={"check_docnumber": answer})
    data = payment_input("CKQ")
    data["BillPayments"][1]["description"] = "Second instalment"
    text = singer_lines({"Bills": data["Bills"], "BillPayments": data["BillPayments"][:2]})
    first = run_target(box.config(), text, tmp_path / "a")
    assert [r["outcome"] for r in first.results] == ["created"] * 4, first.results
    check = next(
        p for p in box.records("APPYMT") if p["DESCRIPTION"] == "[CKQ-P2] Second instalment"
    )
    assert check["PAYMENTMETHOD"] == "Printed Check"
    expected = "CKQ-P2" if answer == "kept" else str(10000 + check["RECORDNO"])
    assert check["DOCNUMBER"] == expected
    again = run_target(box.config(), text, tmp_path / "b")
    assert [r["outcome"] for r in again.results] == ["unchanged"] * 4, again.results
    assert again.by_id("CKQ-P2")["key"] == str(check["RECORDNO"])
    changed = singer_lines(
        {"BillPayments": [dict(data["BillPayments"][1], paymentDate="2025-04-30")]}
    )
    third = run_target(box.config(fail_on_error=False), changed, tmp_path / "c")
    assert third.results[0]["errorno"] == "TI-PAYMENT-EXISTS"
    payments = [
        p for p in box.records("APPYMT") if "CKQ-" in str(p["DESCRIPTION"]) + str(p["DOCNUMBER"])
    ]
    assert len(payments) == 2


@pytest.mark.parametrize("date_format", ["dd/mm/yyyy", "mm/dd/yyyy"])
def test_payment_and_purchase_order_dates_under_the_users_date_format(
    sandbox_factory: Any, tmp_path: Path, date_format: str
) -> None:
    """Dates land on the right day and read back equal (a re-run changes nothing)."""
    box = sandbox_factory(variants={"date_format": date_format})
    data = payment_input("DFP")
    order = {
        "id": "DFP-PO1",
        "vendorId": VENDOR,
        "transactionDate": "2025-03-04",
        "dueDate": "2025-04-05",
        "lines": [{"itemId": "I-0001", "quantity": 1, "unitPrice": "9.99"}],
    }
    text = singer_lines(
        {
            "Bills": data["Bills"],
            "BillPayments": data["BillPayments"][:2],
            "Invoices": data["Invoices"],
            "InvoicePayments": data["InvoicePayments"][:1],
            "PurchaseOrders": [order],
        }
    )
    first = run_target(box.config(), text, tmp_path / "a")
    assert set(first.outcomes()) == {"created"}, first.results
    (payment,) = [p for p in _payments(box, "APPYMT", "DFP-") if p["DOCNUMBER"] == "DFP-P1"]
    assert payment["PAYMENTDATE"] == "2025-04-10"
    (receipt,) = _payments(box, "ARPYMT", "DFP-")
    assert receipt["RECEIPTDATE"] == "2025-04-15"
    document = next(d for d in box.records("PODOCUMENT") if d["DOCNO"] == "DFP-PO1")
    assert (document["WHENCREATED"], document["WHENDUE"]) == ("2025-03-04", "2025-04-05")
    again = run_target(box.config(), text, tmp_path / "b")
    assert set(again.outcomes()) == {"unchanged"}, again.results
