"""Purchasing transactions (create_potransaction / update_potransaction) and the payment
rules the target relies on (overpayment variants, receipts into undeposited funds),
through `execute_function` on a demo-seeded temp database."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET
from intacct_sandbox import variants
from intacct_sandbox.functions import FunctionOutcome
from sandbox_direct import call_context, run_in_savepoint, table_rows

NOW = datetime(2024, 6, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def conn(demo_conn: sqlite3.Connection) -> sqlite3.Connection:
    """A private copy of the demo seed (tests/sandbox/conftest.py)."""
    return demo_conn


def run(conn: sqlite3.Connection, xml: str) -> FunctionOutcome:
    return run_in_savepoint(conn, xml, call_context(conn, NOW))


def rows(conn: sqlite3.Connection, name: str, where: str = "1=1", *params: Any) -> list[dict]:
    return table_rows(conn, name, where, *params)


PO = """<create_potransaction>
<transactiontype>Purchase Order</transactiontype>
<datecreated><year>2024</year><month>5</month><day>2</day></datecreated>
<vendorid>V00001</vendorid><documentno>T-PO-1</documentno><referenceno>REF-9</referenceno>
<message>Office chairs</message>
<potransitems>
<potransitem><itemid>I-0001</itemid><quantity>2</quantity><price>10.25</price>
<locationid>L110</locationid><memo>first</memo></potransitem>
<potransitem><itemid>I-0002</itemid><quantity>1.5</quantity><price>4</price></potransitem>
</potransitems></create_potransaction>"""


def test_create_potransaction_stores_the_document_lines_and_totals(
    conn: sqlite3.Connection,
) -> None:
    outcome = run(conn, PO)
    assert outcome.status == "success", outcome.errors
    assert SafeET.fromstring(outcome.body).text == "Purchase Order-T-PO-1"
    header = rows(conn, "PODOCUMENT", '"DOCID" = ?', "Purchase Order-T-PO-1")
    assert len(header) == 1
    doc = header[0]
    assert (doc["DOCNO"], doc["DOCPARID"], doc["CUSTVENDID"]) == (
        "T-PO-1",
        "Purchase Order",
        "V00001",
    )
    assert (doc["PONUMBER"], doc["MESSAGE"], doc["WHENCREATED"]) == (
        "REF-9",
        "Office chairs",
        "2024-05-02",
    )
    assert Decimal(doc["TOTAL"]) == Decimal("26.50")
    lines = rows(conn, "PODOCUMENTENTRY", '"DOCHDRNO" = ?', doc["RECORDNO"])
    assert [(x["ITEMID"], x["QUANTITY"], x["PRICE"], x["LOCATIONID"]) for x in lines] == [
        ("I-0001", "2", "10.25", "L110"),
        ("I-0002", "1.5", "4", None),
    ]
    assert {x["DOCHDRID"] for x in lines} == {"Purchase Order-T-PO-1"}
    again = run(conn, PO)
    assert again.status == "failure"
    assert "T-PO-1" in again.errors[0].description2


def test_create_potransaction_refuses_elements_out_of_order_and_unknown_definitions(
    conn: sqlite3.Connection,
) -> None:
    swapped = PO.replace(
        "<vendorid>V00001</vendorid><documentno>T-PO-1</documentno>",
        "<documentno>T-PO-1</documentno><vendorid>V00001</vendorid>",
    )
    outcome = run(conn, swapped)
    assert outcome.status == "failure"
    assert outcome.errors[0].errorno == "XL03000003"
    assert "vendorid" in outcome.errors[0].description2
    unknown = run(conn, PO.replace("Purchase Order</transactiontype>", "No Such</transactiontype>"))
    assert unknown.status == "failure"
    assert "No Such" in unknown.errors[0].description2
    assert rows(conn, "PODOCUMENT", '"DOCNO" = ?', "T-PO-1") == []


def test_update_potransaction_changes_numbered_lines_and_appends(conn: sqlite3.Connection) -> None:
    assert run(conn, PO).status == "success"
    update = """<update_potransaction key="Purchase Order-T-PO-1">
    <message>Desks</message><updatepotransitems>
    <updatepotransitem line_num="2"><itemid>I-0003</itemid><quantity>3</quantity>
    <price>1</price></updatepotransitem>
    <potransitem><itemid>I-0004</itemid><quantity>1</quantity><price>7</price></potransitem>
    </updatepotransitems></update_potransaction>"""
    outcome = run(conn, update)
    assert outcome.status == "success", outcome.errors
    doc = rows(conn, "PODOCUMENT", '"DOCID" = ?', "Purchase Order-T-PO-1")[0]
    assert doc["MESSAGE"] == "Desks"
    lines = rows(conn, "PODOCUMENTENTRY", '"DOCHDRNO" = ?', doc["RECORDNO"])
    assert [(x["ITEMID"], x["QUANTITY"]) for x in lines] == [
        ("I-0001", "2"),
        ("I-0003", "3"),
        ("I-0004", "1"),
    ]
    assert Decimal(doc["TOTAL"]) == Decimal("20.50") + Decimal("3") + Decimal("7")
    missing = run(conn, update.replace("T-PO-1", "T-PO-404"))
    assert missing.status == "failure"


def _open_bill(conn: sqlite3.Connection) -> dict[str, Any]:
    return next(b for b in rows(conn, "APBILL") if Decimal(b["TOTALDUE"] or 0) > 100)


def _pay(bill: dict[str, Any], amount: str) -> str:
    return (
        "<create><APPYMT><FINANCIALENTITY>BOA-OPER</FINANCIALENTITY>"
        f"<PAYMENTMETHOD>EFT</PAYMENTMETHOD><VENDORID>{bill['VENDORID']}</VENDORID>"
        "<PAYMENTDATE>05/03/2024</PAYMENTDATE><DOCNUMBER>T-PAY</DOCNUMBER><APPYMTDETAILS>"
        f"<APPYMTDETAIL><RECORDKEY>{bill['RECORDNO']}</RECORDKEY>"
        f"<TRX_PAYMENTAMOUNT>{amount}</TRX_PAYMENTAMOUNT></APPYMTDETAIL>"
        "</APPYMTDETAILS></APPYMT></create>"
    )


@pytest.mark.parametrize("answer", ["refuse", "accept"])
def test_overpayment_is_refused_or_accepted_per_variant(
    conn: sqlite3.Connection, answer: str
) -> None:
    bill = _open_bill(conn)
    due = Decimal(bill["TOTALDUE"])
    with variants.overridden(payment_overpayment=answer):
        outcome = run(conn, _pay(bill, str(due + 1)))
    after = rows(conn, "APBILL", '"RECORDNO" = ?', bill["RECORDNO"])[0]
    if answer == "refuse":
        assert outcome.status == "failure"
        assert outcome.errors[0].description == "Payment exceeds amount due"
        assert Decimal(after["TOTALDUE"]) == due
    else:
        assert outcome.status == "success", outcome.errors
        assert Decimal(after["TOTALDUE"]) == Decimal(-1)
        assert after["STATE"] == "Paid"


def test_receipt_goes_to_a_bank_or_undeposited_funds_and_reduces_the_invoice(
    conn: sqlite3.Connection,
) -> None:
    invoice = next(i for i in rows(conn, "ARINVOICE") if Decimal(i["TOTALDUE"] or 0) > 10)
    due = Decimal(invoice["TOTALDUE"])

    def receipt(deposit: str) -> str:
        return (
            f"<create><ARPYMT>{deposit}<PAYMENTMETHOD>Cash</PAYMENTMETHOD>"
            f"<CUSTOMERID>{invoice['CUSTOMERID']}</CUSTOMERID>"
            "<RECEIPTDATE>05/03/2024</RECEIPTDATE><ARPYMTDETAILS><ARPYMTDETAIL>"
            f"<RECORDKEY>{invoice['RECORDNO']}</RECORDKEY>"
            "<TRX_PAYMENTAMOUNT>10</TRX_PAYMENTAMOUNT></ARPYMTDETAIL></ARPYMTDETAILS>"
            "</ARPYMT></create>"
        )

    nowhere = run(conn, receipt(""))
    assert nowhere.status == "failure"
    assert "FINANCIALENTITY" in nowhere.errors[0].description2
    undeposited = run(conn, receipt("<UNDEPOSITEDACCOUNTNO>1000</UNDEPOSITEDACCOUNTNO>"))
    assert undeposited.status == "success", undeposited.errors
    after = rows(conn, "ARINVOICE", '"RECORDNO" = ?', invoice["RECORDNO"])[0]
    assert Decimal(after["TOTALDUE"]) == due - 10
    assert after["STATE"] in ("Partially Paid", "Paid")


@pytest.mark.parametrize("answer", ["given", "sequence"])
def test_numbering_definition_keeps_or_replaces_a_given_number_per_variant(
    conn: sqlite3.Connection, answer: str
) -> None:
    requisition = PO.replace(
        "Purchase Order</transactiontype>", "Purchase Requisition</transactiontype>"
    )
    with variants.overridden(po_document_number=answer):
        outcome = run(conn, requisition)
    assert outcome.status == "success", outcome.errors
    (doc,) = rows(conn, "PODOCUMENT", '"PONUMBER" = ?', "REF-9")
    if answer == "given":
        assert doc["DOCID"] == "Purchase Requisition-T-PO-1"
    else:
        assert doc["DOCNO"] == f"PO{doc['RECORDNO']}"
        assert SafeET.fromstring(outcome.body).text == f"Purchase Requisition-PO{doc['RECORDNO']}"


@pytest.mark.parametrize("answer", ["kept", "check_number"])
def test_printed_check_docnumber_is_kept_or_replaced_per_variant(
    conn: sqlite3.Connection, answer: str
) -> None:
    bill = _open_bill(conn)
    check = _pay(bill, "1").replace("<PAYMENTMETHOD>EFT", "<PAYMENTMETHOD>Printed Check")
    with variants.overridden(check_docnumber=answer):
        by_check = run(conn, check)
        by_transfer = run(conn, _pay(bill, "1"))
    assert by_check.status == by_transfer.status == "success"
    payments = rows(
        conn, "APPYMT", '"VENDORID" = ? AND "PAYMENTDATE" = ?', bill["VENDORID"], "2024-05-03"
    )
    numbers = {p["PAYMENTMETHOD"]: p["DOCNUMBER"] for p in payments}
    assert numbers["EFT"] == "T-PAY"
    check_row = next(p for p in payments if p["PAYMENTMETHOD"] == "Printed Check")
    expected = "T-PAY" if answer == "kept" else str(10000 + check_row["RECORDNO"])
    assert numbers["Printed Check"] == expected
