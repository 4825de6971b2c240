"""Attachments on bills, invoices and journal entries against the sandbox: one supporting
document per record in a folder created once, SUPDOCID on the record, nothing stored
twice on a re-run or after a lost answer, sizes and base64 refused before any call."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from intacct_client import ClientConfig, Function, IntacctClient
from target_helpers import run_target, singer_lines, tap_records

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PDF_B64 = base64.b64encode(PDF).decode("ascii")


def attached_input(tag: str, files: list[dict[str, Any]] | None = None) -> dict[str, list]:
    files = (
        files
        if files is not None
        else [{"fileName": "invoice-scan.pdf", "contentType": "application/pdf", "data": PDF_B64}]
    )
    return {
        "Bills": [
            {
                "billNumber": f"{tag}-B1",
                "vendorId": "V00001",
                "issueDate": "2025-04-01",
                "dueDate": "2025-05-01",
                "lineItems": [{"accountNumber": "6200", "amount": Decimal("80.00")}],
                "attachments": files,
            }
        ],
        "Invoices": [
            {
                "invoiceNumber": f"{tag}-I1",
                "customerId": "C00001",
                "issueDate": "2025-04-01",
                "dueDate": "2025-05-01",
                "lineItems": [{"accountNumber": "4100", "amount": Decimal("90.00")}],
                "attachments": [
                    {"fileName": "order.txt", "contentType": "text/plain", "data": "aGk="}
                ],
            }
        ],
        "JournalEntries": [
            {
                "id": f"{tag}-JE1",
                "journal": "GJ",
                "transactionDate": "2025-04-30",
                "lines": [
                    {"accountNumber": "6100", "amount": Decimal(5), "postingType": "debit"},
                    {"accountNumber": "2100", "amount": Decimal(5), "postingType": "credit"},
                ],
                "attachments": [{"fileName": "calc.csv", "data": "YSxiCjEsMgo="}],
            }
        ],
    }


def supdocs(box: Any) -> dict[str, dict[str, Any]]:
    """Every supporting document, with its attachments, read through the gateway."""
    client = IntacctClient(ClientConfig.from_mapping(box.config()))
    try:
        result = client.execute_one(
            Function("get_list", None, attributes={"object": "supdoc", "maxitems": "1000"})
        )
        result.raise_for_status()
        folders = client.execute_one(
            Function("get_list", None, attributes={"object": "supdocfolder"})
        )
        folders.raise_for_status()
    finally:
        client.close()
    out = {str(row["supdocid"]): row for row in result.data}
    out["(folders)"] = {"names": sorted(str(row.get("name")) for row in folders.data)}
    return out


def _attachment_data(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    found = row.get("attachments", {}).get("attachment", [])
    items = found if isinstance(found, list) else [found]
    return [(a["attachmentname"], a["attachmenttype"], a["attachmentdata"]) for a in items]


def test_records_carry_their_supporting_document_and_a_rerun_stores_nothing_twice(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    before = supdocs(box)
    text = singer_lines(attached_input("ATT"))
    first = run_target(box.config(), text, tmp_path / "a")
    assert first.returncode == 0, first.stderr[-3000:]
    assert [r["outcome"] for r in first.results] == ["created"] * 3
    after = supdocs(box)
    new = {k: v for k, v in after.items() if k not in before}
    assert len(new) == 3, sorted(new)
    assert after["(folders)"]["names"].count("target-intacct") == 1
    bill = next(b for b in box.records("APBILL") if b["RECORDID"] == "ATT-B1")
    invoice = next(i for i in box.records("ARINVOICE") if i["RECORDID"] == "ATT-I1")
    entry = next(g for g in box.records("GLBATCH") if g["REFERENCENO"] == "ATT-JE1")
    assert {bill["SUPDOCID"], invoice["SUPDOCID"], entry["SUPDOCID"]} == set(new)
    assert _attachment_data(new[bill["SUPDOCID"]]) == [("invoice-scan", "pdf", PDF_B64)]
    assert base64.b64decode(_attachment_data(new[bill["SUPDOCID"]])[0][2]) == PDF
    assert _attachment_data(new[invoice["SUPDOCID"]]) == [("order", "txt", "aGk=")]

    again = run_target(box.config(), text, tmp_path / "b")
    assert [r["outcome"] for r in again.results] == ["unchanged"] * 3
    calls = again.states[-1]["target_intacct_summary"]["api_calls"]
    assert calls.get("create_supdoc", 0) == 0
    assert calls.get("create_supdocfolder", 0) == 0
    assert supdocs(box) == after


def test_attachment_added_to_an_existing_bill_updates_it(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    plain = attached_input("ADD", files=[])
    created = run_target(box.config(), singer_lines({"Bills": plain["Bills"]}), tmp_path / "a")
    assert [r["outcome"] for r in created.results] == ["created"]
    bill = next(b for b in box.records("APBILL") if b["RECORDID"] == "ADD-B1")
    assert bill["SUPDOCID"] is None
    with_file = attached_input("ADD")
    run = run_target(box.config(), singer_lines({"Bills": with_file["Bills"]}), tmp_path / "b")
    assert [r["outcome"] for r in run.results] == ["updated"]
    bill = next(b for b in box.records("APBILL") if b["RECORDID"] == "ADD-B1")
    assert _attachment_data(supdocs(box)[bill["SUPDOCID"]]) == [("invoice-scan", "pdf", PDF_B64)]


def test_too_large_or_bad_attachments_fail_before_any_call(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    before = supdocs(box)
    big = attached_input("BIG")["Bills"][0]
    bad = attached_input(
        "BAD", files=[{"fileName": "x.pdf", "contentType": "application/pdf", "data": "not*b64"}]
    )["Bills"][0]
    twice = attached_input(
        "TWO",
        files=[
            {"fileName": "scan.pdf", "data": "aGk="},
            {"fileName": "SCAN.png", "data": "aGk="},
        ],
    )["Bills"][0]
    config = box.config(attachment_max_bytes=len(PDF) - 1, fail_on_error=False)
    run = run_target(config, singer_lines({"Bills": [big, bad, twice]}), tmp_path)
    lines = {r["record_id"]: r for r in run.results}
    assert {k: v["outcome"] for k, v in lines.items()} == dict.fromkeys(
        ("BIG-B1", "BAD-B1", "TWO-B1"), "failed"
    )
    assert "attachment_max_bytes" in lines["BIG-B1"]["message"]
    assert "attachments[0].data" in lines["BAD-B1"]["message"]
    assert "base64" in lines["BAD-B1"]["message"]
    assert "share a name" in lines["TWO-B1"]["message"]
    assert PDF_B64 not in lines["BIG-B1"]["message"]
    assert supdocs(box) == before
    assert not [b for b in box.records("APBILL") if b["RECORDID"].endswith("-B1")]


def test_lost_answer_while_storing_the_document_never_duplicates_it(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    before = supdocs(box)
    box.fault("commit_then_drop", count=1, function="create_supdoc")
    text = singer_lines({"Bills": attached_input("CTD")["Bills"]})
    run = run_target(box.config(request_timeout=10), text, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert box.control("GET", "faults") == []
    assert [r["outcome"] for r in run.results] == ["created"]
    new = {k: v for k, v in supdocs(box).items() if k not in before}
    assert len(new) == 1
    bill = next(b for b in box.records("APBILL") if b["RECORDID"] == "CTD-B1")
    assert bill["SUPDOCID"] in new


def test_tap_reads_back_the_supdocid_of_the_bill(clean_sandbox: Any, tmp_path: Path) -> None:
    box = clean_sandbox
    started = datetime.now(timezone.utc) - timedelta(seconds=2)
    written = run_target(
        box.config(), singer_lines({"Bills": attached_input("RTA")["Bills"]}), tmp_path
    )
    key = written.results[0]["key"]
    config = box.config(
        objects=["APBILL"],
        start_date=started.isoformat(),
        include_deletes=False,
        lookback_minutes=0,
    )
    bills = tap_records(config, tmp_path / "tap")["APBILL"]
    bill = next(b for b in bills if str(b["RECORDNO"]) == key)
    assert bill["SUPDOCID"] in supdocs(box)

    # The tap's attachments stream reads the document itself back, file content included.
    docs_config = box.config(objects=["attachments"], attachments_content=True)
    read = tap_records(docs_config, tmp_path / "tap-docs")
    documents = {document["SUPDOCID"]: document for document in read["ATTACHMENTS"]}
    document = documents[bill["SUPDOCID"]]
    files = document["ATTACHMENTS"]
    assert [(f["NAME"], f["TYPE"]) for f in files] == [("invoice-scan", "pdf")]
    assert base64.b64decode(files[0]["CONTENT"]) == PDF
