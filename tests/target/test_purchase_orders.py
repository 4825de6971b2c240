"""PurchaseOrders against the sandbox: create_potransaction with the definition taken from
the record, the setting or the company's Order definition; re-runs, line updates through
update_potransaction, and the tap reading the documents back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from target_helpers import run_target, singer_lines, tap_records


def purchase_orders(tag: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{tag}-1",
            "vendorName": 'Müller "Quote" GmbH',
            "transactionDate": "2025-05-02",
            "dueDate": "2025-06-01",
            "referenceNumber": "REQ-77",
            "description": "Chairs & desks <Q2>",
            "lines": [
                {
                    "itemId": "Standard License",
                    "quantity": Decimal("2"),
                    "unitPrice": Decimal("10.25"),
                    "description": "first",
                    "locationId": "San Francisco",
                    "departmentId": "D100",
                },
                {"itemId": "I-0002", "quantity": "1.5", "unitPrice": "4"},
            ],
        },
        {
            "id": f"{tag}-2",
            "vendorId": "V00001",
            "transactionDate": "2025-05-03",
            "transactionType": "Purchase Requisition",
            "lines": [{"itemId": "I-0003", "quantity": 3, "unitPrice": Decimal("0")}],
        },
    ]


def _documents(box: Any, tag: str) -> dict[str, dict[str, Any]]:
    """Documents whose number, or (numbering definitions) reference, carries the tag."""
    return {
        r["DOCID"]: r
        for r in box.records("PODOCUMENT")
        if str(r["DOCNO"]).startswith(f"{tag}-") or str(r["PONUMBER"]).startswith(f"{tag}-")
    }


def _by_reference(box: Any, reference: str) -> dict[str, Any]:
    (found,) = [r for r in box.records("PODOCUMENT") if r["PONUMBER"] == reference]
    return found


def _lines(box: Any, recordno: int) -> list[tuple[Any, ...]]:
    return [
        (r["ITEMID"], Decimal(r["QUANTITY"]), Decimal(r["PRICE"]), r["LOCATIONID"], r["MEMO"])
        for r in box.records("PODOCUMENTENTRY")
        if r["DOCHDRNO"] == recordno
    ]


def test_purchase_orders_are_raised_found_again_and_updated(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    orders = purchase_orders("PO")
    first = run_target(box.config(), singer_lines({"PurchaseOrders": orders}), tmp_path / "a")
    assert first.returncode == 0, first.stderr[-3000:]
    # "Purchase Requisition" numbers its documents: the id goes to the reference number
    requisition = _by_reference(box, "PO-2")
    assert requisition["DOCPARID"] == "Purchase Requisition"
    assert requisition["DOCNO"] != "PO-2"
    assert {r["record_id"]: (r["outcome"], r["key"]) for r in first.results} == {
        "PO-1": ("created", "Purchase Order-PO-1"),
        "PO-2": ("created", requisition["DOCID"]),
    }
    docs = _documents(box, "PO")
    order = docs["Purchase Order-PO-1"]
    assert (order["CUSTVENDID"], order["WHENCREATED"], order["WHENDUE"]) == (
        "V00002",
        "2025-05-02",
        "2025-06-01",
    )
    assert (order["PONUMBER"], order["MESSAGE"]) == ("REQ-77", "Chairs & desks <Q2>")
    assert Decimal(order["TOTAL"]) == Decimal("26.50")
    assert _lines(box, order["RECORDNO"]) == [
        ("I-0001", Decimal(2), Decimal("10.25"), "L110", "first"),
        ("I-0002", Decimal("1.5"), Decimal(4), None, None),
    ]

    again = run_target(box.config(), singer_lines({"PurchaseOrders": orders}), tmp_path / "b")
    assert [r["outcome"] for r in again.results] == ["unchanged", "unchanged"]
    assert (
        again.states[-1]["target_intacct_summary"]["api_calls"].get("create_potransaction", 0) == 0
    )

    orders[0]["lines"][1]["quantity"] = Decimal(5)
    orders[0]["lines"].append({"itemId": "I-0004", "quantity": 1, "unitPrice": "7.00"})
    changed = run_target(box.config(), singer_lines({"PurchaseOrders": orders}), tmp_path / "c")
    assert [r["outcome"] for r in changed.results] == ["updated", "unchanged"]
    assert changed.by_id("PO-1")["key"] == "Purchase Order-PO-1"
    docs = _documents(box, "PO")
    assert len(docs) == 2
    order = docs["Purchase Order-PO-1"]
    assert [line[:3] for line in _lines(box, order["RECORDNO"])] == [
        ("I-0001", Decimal(2), Decimal("10.25")),
        ("I-0002", Decimal(5), Decimal(4)),
        ("I-0004", Decimal(1), Decimal(7)),
    ]

    fewer = [dict(orders[0], lines=orders[0]["lines"][:1])]
    refused = run_target(
        box.config(fail_on_error=False), singer_lines({"PurchaseOrders": fewer}), tmp_path / "d"
    )
    assert refused.results[0]["outcome"] == "failed"
    assert "cannot remove lines" in refused.results[0]["message"]


def test_transaction_type_from_the_setting_and_an_ambiguous_default(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    order = purchase_orders("PS")[1]
    order.pop("transactionType")
    config = box.config(purchase_order_transaction_type="Purchase Requisition")
    run = run_target(config, singer_lines({"PurchaseOrders": [order]}), tmp_path / "a")
    requisition = _by_reference(box, "PS-2")
    assert requisition["DOCPARID"] == "Purchase Requisition"
    assert run.results[0]["key"] == requisition["DOCID"]

    # A second definition of class Order makes the default ambiguous: the record fails
    # and names both; one that names its type still lands.
    data = {
        "PODOCUMENTPARAMS": [{"DOCID": "Blanket Order", "DOCCLASS": "Order"}],
        "PurchaseOrders": [
            {**order, "id": "PS-3"},
            {**order, "id": "PS-4", "transactionType": "Purchase Order"},
        ],
    }
    run = run_target(box.config(fail_on_error=False), singer_lines(data), tmp_path / "b")
    lines = {r["record_id"]: r for r in run.results if r["stream"] == "PurchaseOrders"}
    assert lines["PS-3"]["errorno"] == "TI-REFERENCE"
    assert "'Blanket Order', 'Purchase Order'" in lines["PS-3"]["message"]
    assert lines["PS-4"]["outcome"] == "created"
    assert set(_documents(box, "PS")) == {requisition["DOCID"], "Purchase Order-PS-4"}


def test_bad_purchase_order_lines_fail_before_any_call(clean_sandbox: Any, tmp_path: Path) -> None:
    box = clean_sandbox
    good = purchase_orders("PB")[0]
    bad_quantity = dict(good, id="PB-2", lines=[dict(good["lines"][1], quantity="0")])
    bad_item = dict(good, id="PB-3", lines=[dict(good["lines"][1], itemId="No Such Item")])
    data = {"PurchaseOrders": [bad_quantity, bad_item]}
    run = run_target(box.config(fail_on_error=False), singer_lines(data), tmp_path)
    lines = {r["record_id"]: r for r in run.results}
    assert "lines[0].quantity" in lines["PB-2"]["message"]
    assert lines["PB-3"]["errorno"] == "TI-REFERENCE"
    assert "No Such Item" in lines["PB-3"]["message"]
    assert _documents(box, "PB") == {}
    assert run.states[-1]["target_intacct_summary"]["api_calls"].get("create_potransaction") is None


def test_tap_reads_back_the_purchase_orders(clean_sandbox: Any, tmp_path: Path) -> None:
    box = clean_sandbox
    started = datetime.now(timezone.utc) - timedelta(seconds=2)
    written = run_target(
        box.config(), singer_lines({"PurchaseOrders": purchase_orders("RT")}), tmp_path
    )
    assert written.returncode == 0, written.stderr[-3000:]
    config = box.config(
        objects=["PODOCUMENT", "PODOCUMENTENTRY"],
        start_date=started.isoformat(),
        include_deletes=False,
        lookback_minutes=0,
    )
    read = tap_records(config, tmp_path / "tap")
    docs = {d["DOCID"]: d for d in read["PODOCUMENT"]}
    order = docs["Purchase Order-RT-1"]
    assert (order["DOCNO"], order["DOCPARID"], order["CUSTVENDID"]) == (
        "RT-1",
        "Purchase Order",
        "V00002",
    )
    assert order["MESSAGE"] == "Chairs & desks <Q2>"
    assert str(order["WHENCREATED"]).startswith("2025-05-02")
    entries = [e for e in read["PODOCUMENTENTRY"] if str(e["DOCHDRNO"]) == str(order["RECORDNO"])]
    assert sorted((e["ITEMID"], Decimal(str(e["QUANTITY"]))) for e in entries) == [
        ("I-0001", Decimal(2)),
        ("I-0002", Decimal("1.5")),
    ]
    requisition = next(d for d in read["PODOCUMENT"] if d["PONUMBER"] == "RT-2")
    assert requisition["DOCPARID"] == "Purchase Requisition"


@pytest.mark.parametrize("answer", ["given", "sequence"])
def test_numbering_definition_keeps_the_id_in_the_reference_under_either_answer(
    sandbox_factory: Any, tmp_path: Path, answer: str
) -> None:
    """Whether Intacct keeps or replaces a given document number for a definition that
    numbers its documents, the target finds the document again: nothing twice."""
    box = sandbox_factory(variants={"po_document_number": answer})
    order = purchase_orders("NUM")[1]  # Purchase Requisition: ENABLE_NUMBERING true
    text = singer_lines({"PurchaseOrders": [order]})
    first = run_target(box.config(), text, tmp_path / "a")
    assert [r["outcome"] for r in first.results] == ["created"]
    again = run_target(box.config(), text, tmp_path / "b")
    assert [r["outcome"] for r in again.results] == ["unchanged"]
    changed = dict(order, lines=[dict(order["lines"][0], quantity=4)])
    third = run_target(box.config(), singer_lines({"PurchaseOrders": [changed]}), tmp_path / "c")
    assert [r["outcome"] for r in third.results] == ["updated"]
    document = _by_reference(box, "NUM-2")
    assert third.results[0]["key"] == first.results[0]["key"] == document["DOCID"]
    lines = _lines(box, document["RECORDNO"])
    assert [(line[0], line[1]) for line in lines] == [("I-0003", Decimal(4))]
