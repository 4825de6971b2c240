"""Integration tests: the real target-intacct CLI against a real sandbox process.

Ground truth comes from the sandbox's control API (`records`, `stats`), never from the
target's own report alone. Seed-specific values (accounts, journals) are read from the
sandbox so the tests do not hard-code the demo company.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from target_helpers import TargetRun, run_target, singer_lines
from target_intacct.sinks import lookup_window

SPECIAL_VENDOR = 'O\'Brien & Søn "Ünïcode" <Ltd>'
SPECIAL_CUSTOMER = 'Café Zoë & Co\'s "Best"'


# ---------------------------------------------------------------- seed discovery
def _rows(sandbox: Any, obj: str) -> list[dict[str, Any]]:
    return list(sandbox.records(obj))


@pytest.fixture
def seed(clean_sandbox: Any) -> dict[str, Any]:
    """Two distinct GL accounts, a journal symbol, and a department from the demo seed."""
    accounts = [
        row
        for row in _rows(clean_sandbox, "GLACCOUNT")
        if row.get("ACCOUNTNO") and row.get("TITLE")
    ]
    titles = [row["TITLE"] for row in accounts]
    unique = [row for row in accounts if titles.count(row["TITLE"]) == 1]
    assert len(unique) >= 3, "the demo seed needs GL accounts"
    journals = [row.get("SYMBOL") for row in _rows(clean_sandbox, "GLJOURNAL")]
    journal = "GJ" if "GJ" in journals else next(j for j in journals if j)
    departments = [row for row in _rows(clean_sandbox, "DEPARTMENT") if row.get("DEPARTMENTID")]
    return {
        "sandbox": clean_sandbox,
        "expense": unique[0],
        "liability": unique[1],
        "revenue": unique[2],
        "journal": journal,
        "department": departments[0] if departments else None,
    }


def unified_input(seed: dict[str, Any], tag: str = "T") -> dict[str, list[dict[str, Any]]]:
    """A small, realistic unified load: masters first referenced by documents."""
    expense = seed["expense"]["ACCOUNTNO"]
    liability_name = seed["liability"]["TITLE"]
    revenue = seed["revenue"]["ACCOUNTNO"]
    dept = seed["department"]["DEPARTMENTID"] if seed["department"] else None
    line_dims = {"department": dept} if dept else {}
    return {
        "Vendors": [
            {
                "id": f"{tag}-V1",
                "name": SPECIAL_VENDOR,
                "email": "ap@obrien.example",
                "phone": "+353 21 000 0000",
                "contactFirstName": "Siobhán",
                "contactLastName": "O'Brien",
                "address": {
                    "line1": "1 Grand Parade & Quay",
                    "city": "Cork",
                    "postalCode": "T12 X",
                    "country": "Ireland",
                },
            },
            {"id": f"{tag}-V2", "name": f"{tag} Plain Supplies", "status": "active"},
        ],
        "Customers": [
            {
                "id": f"{tag}-C1",
                "name": SPECIAL_CUSTOMER,
                "email": "billing@zoe.example",
                "creditLimit": Decimal("5000.00"),
                "address": {"city": "Montréal", "country": "Canada"},
            },
        ],
        "Bills": [
            {
                "billNumber": f"{tag}-B1",
                "vendorName": SPECIAL_VENDOR,
                "issueDate": "2024-03-01",
                "dueDate": "2024-03-31",
                "description": 'Paper & toner "A4"',
                "lineItems": [
                    {
                        "accountNumber": expense,
                        "amount": Decimal("120.50"),
                        "description": "Toner",
                        **line_dims,
                    },
                    {"accountNumber": expense, "amount": Decimal("9.99"), "description": "Pens"},
                ],
            },
            {
                "billNumber": f"{tag}-B2",
                "vendorId": f"{tag}-V2",
                "issueDate": "2024-03-02",
                "dueDate": "2024-04-01",
                "lineItems": [{"accountNumber": expense, "amount": Decimal("75")}],
            },
        ],
        "Invoices": [
            {
                "invoiceNumber": f"{tag}-I1",
                "customerId": f"{tag}-C1",
                "issueDate": "2024-03-05",
                "dueDate": "2024-04-04",
                "description": "Consulting \u2013 März",
                "lineItems": [
                    {
                        "accountNumber": revenue,
                        "amount": Decimal("1500.00"),
                        "description": "Consulting",
                    }
                ],
            },
        ],
        "JournalEntries": [
            {
                "id": f"{tag}-JE1",
                "journal": seed["journal"],
                "transactionDate": "2024-03-31",
                "description": "Accrual: O'Brien & Søn",
                "lines": [
                    {
                        "accountNumber": expense,
                        "amount": Decimal("300.25"),
                        "postingType": "debit",
                        "description": "Accrued expense",
                        **line_dims,
                    },
                    {
                        "accountName": liability_name,
                        "amount": Decimal("300.25"),
                        "postingType": "credit",
                        "description": "Accrued liability",
                    },
                ],
            },
        ],
    }


def config(sandbox: Any, **overrides: Any) -> dict[str, Any]:
    return sandbox.config(default_journal="GJ", max_retries=4, **overrides)


def count(sandbox: Any, obj: str) -> int:
    return len(sandbox.records(obj))


def counts(sandbox: Any) -> dict[str, int]:
    return {
        obj: count(sandbox, obj) for obj in ("VENDOR", "CUSTOMER", "APBILL", "ARINVOICE", "GLBATCH")
    }


def assert_ok(run: TargetRun) -> None:
    assert run.returncode == 0, run.stderr[-3000:]


# ---------------------------------------------------------------- tests
def test_every_stream_lands_with_the_right_fields(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    before = counts(box)
    run = run_target(config(box), singer_lines(unified_input(seed)), tmp_path)
    assert_ok(run)
    assert run.outcomes() == ["created"] * 7, run.results
    assert all(r["key"] for r in run.results)
    assert counts(box) == {
        k: v + {"VENDOR": 2, "CUSTOMER": 1, "APBILL": 2, "ARINVOICE": 1, "GLBATCH": 1}[k]
        for k, v in before.items()
    }

    vendor = next(v for v in box.records("VENDOR") if v.get("VENDORID") == "T-V1")
    assert vendor["NAME"] == SPECIAL_VENDOR
    assert vendor.get("DISPLAYCONTACT.PRINTAS") == SPECIAL_VENDOR
    assert vendor.get("DISPLAYCONTACT.EMAIL1") == "ap@obrien.example"
    assert vendor.get("DISPLAYCONTACT.MAILADDRESS.CITY") == "Cork"
    assert vendor.get("DISPLAYCONTACT.MAILADDRESS.ADDRESS1") == "1 Grand Parade & Quay"
    assert vendor.get("DISPLAYCONTACT.MAILADDRESS.ZIP") == "T12 X"
    assert vendor.get("DISPLAYCONTACT.FIRSTNAME") == "Siobhán"
    assert vendor.get("DISPLAYCONTACT.LASTNAME") == "O'Brien"
    customer = next(c for c in box.records("CUSTOMER") if c.get("CUSTOMERID") == "T-C1")
    assert customer["NAME"] == SPECIAL_CUSTOMER
    assert Decimal(str(customer["CREDITLIMIT"])) == Decimal("5000")

    bill = next(b for b in box.records("APBILL") if b.get("RECORDID") == "T-B1")
    assert bill["VENDORID"] == "T-V1"
    assert bill["DESCRIPTION"] == 'Paper & toner "A4"'
    assert str(bill["RECORDNO"]) == run.by_id("T-B1")["key"]
    items = [
        i for i in box.records("APBILLITEM") if str(i.get("RECORDKEY")) == str(bill["RECORDNO"])
    ]
    assert sorted(Decimal(str(i["TRX_AMOUNT"])) for i in items) == [
        Decimal("9.99"),
        Decimal("120.50"),
    ]
    assert {i["ACCOUNTNO"] for i in items} == {seed["expense"]["ACCOUNTNO"]}

    entry = next(g for g in box.records("GLBATCH") if g.get("REFERENCENO") == "T-JE1")
    assert entry["JOURNAL"] == seed["journal"]
    assert entry["BATCH_TITLE"] == "Accrual: O'Brien & Søn"
    lines = [g for g in box.records("GLENTRY") if str(g.get("BATCHNO")) == str(entry["RECORDNO"])]
    by_type = {int(g["TR_TYPE"]): g for g in lines}
    assert by_type[1]["ACCOUNTNO"] == seed["expense"]["ACCOUNTNO"]
    assert by_type[-1]["ACCOUNTNO"] == seed["liability"]["ACCOUNTNO"]
    assert {Decimal(str(g["TRX_AMOUNT"])) for g in lines} == {Decimal("300.25")}
    assert by_type[1]["DESCRIPTION"] == "Accrued expense"

    invoice = next(i for i in box.records("ARINVOICE") if i.get("RECORDID") == "T-I1")
    assert invoice["CUSTOMERID"] == "T-C1"
    assert invoice["DESCRIPTION"] == "Consulting \u2013 März"

    final_state = run.states[-1]
    summary = final_state["target_intacct_summary"]
    assert summary["failed"] == 0
    assert summary["streams"]["Bills"] == {"created": 2}
    assert (
        "bookmarks" not in final_state or "target_intacct_summary" not in final_state["bookmarks"]
    )


def test_rerunning_the_same_input_creates_nothing(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    text = singer_lines(unified_input(seed))
    first = run_target(config(box), text, tmp_path / "one")
    assert_ok(first)
    after_first = counts(box)
    second = run_target(config(box), text, tmp_path / "two")
    assert_ok(second)
    assert counts(box) == after_first
    assert "created" not in second.outcomes(), second.results
    assert second.outcomes("Bills") == ["unchanged", "unchanged"]
    assert second.outcomes("JournalEntries") == ["unchanged"]
    for result in second.results:
        assert result["key"] == first.by_id(result["record_id"])["key"]


def test_bad_records_are_rejected_while_the_rest_lands(
    seed: dict[str, Any], tmp_path: Path
) -> None:
    box = seed["sandbox"]
    data = unified_input(seed, tag="R")
    expense = seed["expense"]["ACCOUNTNO"]
    # Two vendors with the same name make a later vendorName reference ambiguous.
    data["Vendors"] += [
        {"id": "R-TWIN-1", "name": "Twin Supplies"},
        {"id": "R-TWIN-2", "name": "Twin Supplies"},
    ]
    data["Bills"].append(
        {
            "billNumber": "R-B-AMBIG",
            "vendorName": "Twin Supplies",
            "issueDate": "2024-03-03",
            "dueDate": "2024-04-03",
            "lineItems": [{"accountNumber": expense, "amount": Decimal("10")}],
        }
    )
    data["JournalEntries"] += [
        {
            "id": "R-JE-UNBALANCED",
            "transactionDate": "2024-03-31",
            "lines": [
                {"accountNumber": expense, "amount": Decimal("10.00"), "postingType": "debit"},
                {"accountNumber": expense, "amount": Decimal("9.99"), "postingType": "credit"},
            ],
        },
        {
            "id": "R-JE-BADNAME",
            "transactionDate": "2024-03-31",
            "lines": [
                {
                    "accountName": "No Such Account Title",
                    "amount": Decimal("5"),
                    "postingType": "debit",
                },
                {"accountNumber": expense, "amount": Decimal("5"), "postingType": "credit"},
            ],
        },
    ]
    before = counts(box)
    run = run_target(config(box), singer_lines(data), tmp_path)
    assert run.returncode == 1
    failed = {r["record_id"]: r for r in run.results if r["outcome"] == "failed"}
    assert set(failed) == {"R-B-AMBIG", "R-JE-UNBALANCED", "R-JE-BADNAME"}
    assert "ambiguous" in failed["R-B-AMBIG"]["message"]
    assert "R-TWIN-1" in failed["R-B-AMBIG"]["message"]
    assert "R-TWIN-2" in failed["R-B-AMBIG"]["message"]
    assert "vendorName" in failed["R-B-AMBIG"]["message"]
    assert "not balanced" in failed["R-JE-UNBALANCED"]["message"]
    assert "0.01" in failed["R-JE-UNBALANCED"]["message"]
    assert "lines[0].accountName" in failed["R-JE-BADNAME"]["message"]
    assert "No Such Account Title" in failed["R-JE-BADNAME"]["message"]
    assert run.outcomes().count("created") == len(run.results) - 3
    after = counts(box)
    assert after["APBILL"] == before["APBILL"] + 2
    assert after["GLBATCH"] == before["GLBATCH"] + 1
    assert after["VENDOR"] == before["VENDOR"] + 4

    lenient = run_target(config(box, fail_on_error=False), singer_lines(data), tmp_path / "lenient")
    assert lenient.returncode == 0
    assert lenient.outcomes().count("failed") == 3


def test_commit_then_drop_never_duplicates(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    data = unified_input(seed, tag="D")
    before = counts(box)
    box.fault("commit_then_drop", count=1, function="create")
    run = run_target(config(box), singer_lines(data), tmp_path)
    assert_ok(run)
    assert sorted(set(run.outcomes())) == ["created"], run.results
    assert all(r["key"] for r in run.results)
    after = counts(box)
    assert after == {
        k: v + {"VENDOR": 2, "CUSTOMER": 1, "APBILL": 2, "ARINVOICE": 1, "GLBATCH": 1}[k]
        for k, v in before.items()
    }
    # The re-found keys are the real ones.
    bill = next(b for b in box.records("APBILL") if b.get("RECORDID") == "D-B1")
    assert run.by_id("D-B1")["key"] == str(bill["RECORDNO"])


def test_commit_then_drop_on_every_stream(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    data = unified_input(seed, tag="E")
    before = counts(box)
    for function in ("create", "create", "create", "create", "create_invoice"):
        box.fault("commit_then_drop", count=1, function=function)
    run = run_target(config(box), singer_lines(data), tmp_path)
    assert_ok(run)
    assert set(run.outcomes()) == {"created"}, run.results
    after = counts(box)
    assert after["APBILL"] == before["APBILL"] + 2
    assert after["ARINVOICE"] == before["ARINVOICE"] + 1
    assert after["GLBATCH"] == before["GLBATCH"] + 1
    assert after["VENDOR"] == before["VENDOR"] + 2


def test_transaction_batch_rolls_back_the_whole_batch(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    expense = seed["expense"]["ACCOUNTNO"]
    vendor = next(v for v in box.records("VENDOR") if v.get("VENDORID"))["VENDORID"]
    bills = [
        {
            "billNumber": f"X-B{n}",
            "vendorId": vendor,
            "issueDate": "2024-03-01",
            "dueDate": "2024-03-31",
            "lineItems": [{"accountNumber": expense, "amount": Decimal(n)}],
        }
        for n in range(1, 5)
    ]
    bills[2].pop("dueDate")
    bills[2]["paymentTerm"] = "No Such Term"  # Intacct refuses it; our validation cannot know
    before = count(box, "APBILL")
    run = run_target(config(box, transaction="batch"), singer_lines({"Bills": bills}), tmp_path)
    assert run.returncode == 1
    assert count(box, "APBILL") == before
    assert run.outcomes() == ["failed"] * 4
    culprit = run.by_id("X-B3")
    assert culprit["errorno"] not in (None, "XL03000009"), culprit
    for other in ("X-B1", "X-B2", "X-B4"):
        assert "rolled back" in run.by_id(other)["message"]
        assert "X-B3" in run.by_id(other)["message"]

    # Same input without transaction: the three good bills land, the bad one fails.
    alone = run_target(config(box), singer_lines({"Bills": bills}), tmp_path / "alone")
    assert count(box, "APBILL") == before + 3
    assert alone.by_id("X-B3")["outcome"] == "failed"


def test_transaction_batch_sends_nothing_when_a_record_is_rejected(
    seed: dict[str, Any], tmp_path: Path
) -> None:
    box = seed["sandbox"]
    data = unified_input(seed, tag="Y")
    data["Bills"][1]["lineItems"][0]["amount"] = Decimal("-1")
    before = count(box, "APBILL")
    run = run_target(config(box, transaction="batch"), singer_lines(data), tmp_path)
    assert run.returncode == 1
    assert count(box, "APBILL") == before
    assert run.by_id("Y-B2")["errorno"] == "TI-VALIDATION"
    assert run.by_id("Y-B1")["errorno"] == "TI-NOT-SENT"


def test_requests_are_about_records_over_batch_size(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    expense = seed["expense"]["ACCOUNTNO"]
    vendor = next(v for v in box.records("VENDOR") if v.get("VENDORID"))["VENDORID"]
    n_records, batch_size = 120, 25
    bills = [
        {
            "billNumber": f"N-{n:04d}",
            "vendorId": vendor,
            "issueDate": "2024-03-01",
            "dueDate": "2024-03-31",
            "lineItems": [{"accountNumber": expense, "amount": Decimal(n) + Decimal("0.25")}],
        }
        for n in range(n_records)
    ]
    before = box.stats()["requests"]
    run = run_target(config(box, batch_size=batch_size), singer_lines({"Bills": bills}), tmp_path)
    assert_ok(run)
    requests = box.stats()["requests"] - before
    writes = math.ceil(n_records / batch_size)
    lookups = math.ceil(n_records / lookup_window(batch_size))  # one query per window
    # + VENDOR and GLACCOUNT listings once per run, + the client's session setup
    # (getAPISession, readUserFormatting).
    assert requests <= writes + lookups + 2 + 2, requests
    assert requests * 8 < n_records  # one request per record would be 120+
    assert run.outcomes() == ["created"] * n_records
    summary = run.states[-1]["target_intacct_summary"]
    assert summary["requests"] <= requests


def test_dry_run_writes_nothing(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    before = counts(box)
    run = run_target(
        config(box, dry_run=True, fail_on_error=False),
        singer_lines(unified_input(seed)),
        tmp_path,
    )
    assert_ok(run)
    assert counts(box) == before
    # Bills may refer to vendors the dry run would create: they resolve.
    assert set(run.outcomes()) == {"would_create"}, run.results
    assert all(r["key"] is None for r in run.results)


def test_state_passes_through_and_no_secret_leaks(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    state = {"bookmarks": {"vendors": {"replication_key_value": "2024-01-01T00:00:00+00:00"}}}
    cfg = config(box)
    run = run_target(
        cfg, singer_lines(unified_input(seed), state=state), tmp_path, env={"LOGLEVEL": "DEBUG"}
    )
    assert_ok(run)
    assert "DEBUG" in run.stderr  # secrets must stay out even at DEBUG
    final = run.states[-1]
    assert final["bookmarks"] == state["bookmarks"]
    assert final["target_intacct_summary"]["records"] == 7
    everything = run.stdout + run.stderr + json.dumps(run.results)
    for secret in (cfg["sender_password"], cfg["user_password"]):
        assert secret not in everything


def test_native_object_stream_creates_then_updates(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    first = run_target(
        config(box),
        singer_lines({"CLASS": [{"CLASSID": "NAT-1", "NAME": "Native & Co"}]}),
        tmp_path / "a",
    )
    assert_ok(first)
    assert first.outcomes() == ["created"]
    second = run_target(
        config(box),
        singer_lines({"CLASS": [{"CLASSID": "NAT-1", "NAME": "Native & Co (renamed)"}]}),
        tmp_path / "b",
    )
    assert_ok(second)
    assert second.outcomes() == ["updated"]
    rows = [c for c in box.records("CLASS") if c.get("CLASSID") == "NAT-1"]
    assert len(rows) == 1
    assert rows[0]["NAME"] == "Native & Co (renamed)"
    assert second.results[0]["key"] == first.results[0]["key"]


def test_unknown_stream_is_reported_per_record(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    run = run_target(
        config(box), singer_lines({"vendors": [{"name": "x"}, {"name": "y"}]}), tmp_path
    )
    assert run.returncode == 1
    assert run.outcomes() == ["failed", "failed"]
    assert all(r["errorno"] == "TI-UNKNOWN-STREAM" for r in run.results)
    assert "unknown stream 'vendors'" in run.results[0]["message"]


def test_changed_documents_are_updated_in_place(seed: dict[str, Any], tmp_path: Path) -> None:
    box = seed["sandbox"]
    data = unified_input(seed, tag="U")
    first = run_target(config(box), singer_lines(data), tmp_path / "one")
    assert_ok(first)
    before = counts(box)
    data["Invoices"][0]["lineItems"][0]["amount"] = Decimal("1750.00")
    data["Invoices"][0]["description"] = "Consulting (revised)"
    data["Bills"][1]["lineItems"].append(
        {"accountNumber": seed["expense"]["ACCOUNTNO"], "amount": Decimal("5.05")}
    )
    data["JournalEntries"][0]["lines"][0]["amount"] = Decimal("400.00")
    data["JournalEntries"][0]["lines"][1]["amount"] = Decimal("400.00")
    data["Vendors"][1]["name"] = "U Plain Supplies (renamed)"
    second = run_target(config(box), singer_lines(data), tmp_path / "two")
    assert_ok(second)
    assert counts(box) == before
    assert second.by_id("U-I1")["outcome"] == "updated"
    assert second.by_id("U-B2")["outcome"] == "updated"
    assert second.by_id("U-JE1")["outcome"] == "updated"
    assert second.by_id("U-V2")["outcome"] == "updated"
    assert second.by_id("U-B1")["outcome"] == "unchanged"
    for record_id in ("U-I1", "U-B2", "U-JE1", "U-V2"):
        assert second.by_id(record_id)["key"] == first.by_id(record_id)["key"]

    invoice_key = second.by_id("U-I1")["key"]
    invoice = next(i for i in box.records("ARINVOICE") if str(i["RECORDNO"]) == invoice_key)
    assert invoice["DESCRIPTION"] == "Consulting (revised)"
    lines = [i for i in box.records("ARINVOICEITEM") if str(i["RECORDKEY"]) == invoice_key]
    assert [Decimal(str(i["TRX_AMOUNT"])) for i in lines] == [Decimal("1750.00")]
    bill_key = second.by_id("U-B2")["key"]
    bill_lines = [i for i in box.records("APBILLITEM") if str(i["RECORDKEY"]) == bill_key]
    assert sorted(Decimal(str(i["TRX_AMOUNT"])) for i in bill_lines) == [
        Decimal("5.05"),
        Decimal("75"),
    ]
    entry_key = second.by_id("U-JE1")["key"]
    entry_lines = [g for g in box.records("GLENTRY") if str(g["BATCHNO"]) == entry_key]
    assert {Decimal(str(g["TRX_AMOUNT"])) for g in entry_lines} == {Decimal("400.00")}
    assert len(entry_lines) == 2

    third = run_target(config(box), singer_lines(data), tmp_path / "three")
    assert_ok(third)
    assert set(third.outcomes()) == {"unchanged"}, third.results


def test_sample_file_loads_then_reloads_unchanged(clean_sandbox: Any, tmp_path: Path) -> None:
    sample = Path(__file__).parents[2] / "samples" / "unified.singer"
    text = sample.read_text(encoding="utf-8")
    first = run_target(clean_sandbox.config(), text, tmp_path / "one")
    assert_ok(first)
    assert len(first.results) == 24
    assert set(first.outcomes()) == {"created"}
    second = run_target(clean_sandbox.config(), text, tmp_path / "two")
    assert_ok(second)
    assert set(second.outcomes()) == {"unchanged"}
    assert "create" not in second.states[-1]["target_intacct_summary"]["api_calls"]


def test_json_numbers_stay_exact_decimals(clean_sandbox: Any, tmp_path: Path) -> None:
    """0.1 + 0.2 == 0.3 only with Decimal: with floats this entry would be unbalanced."""
    box = clean_sandbox
    text = (
        '{"type":"SCHEMA","stream":"JournalEntries","schema":{"properties":{}}}\n'
        '{"type":"RECORD","stream":"JournalEntries","record":{"id":"DEC-1","journal":"GJ",'
        '"transactionDate":"2025-01-31","lines":['
        '{"accountNumber":"6100","amount":0.1,"postingType":"debit"},'
        '{"accountNumber":"6100","amount":0.2,"postingType":"debit"},'
        '{"accountNumber":"2100","amount":0.3,"postingType":"credit"},'
        '{"accountNumber":"6100","amount":1234567890123.45,"postingType":"debit"},'
        '{"accountNumber":"2100","amount":1234567890123.45,"postingType":"credit"}]}}\n'
    )
    run = run_target(config(box), text, tmp_path)
    assert_ok(run)
    key = run.by_id("DEC-1")["key"]
    amounts = sorted(
        Decimal(str(g["TRX_AMOUNT"])) for g in box.records("GLENTRY") if str(g["BATCHNO"]) == key
    )
    assert amounts == [
        Decimal("0.1"),
        Decimal("0.2"),
        Decimal("0.3"),
        Decimal("1234567890123.45"),
        Decimal("1234567890123.45"),
    ]
