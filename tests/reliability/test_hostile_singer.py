"""Hostile Singer input mixed into good batches, against a live sandbox.

Malformed messages, schema violations, a 1 MB name, wrong types, impossible dates and an
unknown stream sit between good records of the same batches. Every input record gets
exactly one results line; each bad one names its record, field and (cut) value; the
good ones land exactly once; the run ends with a summary, not a traceback.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import simplejson
from reliability_kit import fast_target_config, natural_keys, run_target_captured
from target_inputs import STREAM_KINDS, ids_of, make_record

TAG = "HSG"
HUGE = "N" * (1024 * 1024)


def _line(stream: str, record: Any) -> str:
    return simplejson.dumps(
        {"type": "RECORD", "stream": stream, "record": record}, use_decimal=True
    )


def _schema(stream: str) -> str:
    return json.dumps(
        {"type": "SCHEMA", "stream": stream, "schema": {"properties": {}}, "key_properties": []}
    )


def _kind(stream: str) -> Any:
    return next(k for k in STREAM_KINDS if k.stream == stream)


def test_hostile_records_fail_alone_with_precise_messages_and_the_good_ones_land(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    good: dict[str, list[str]] = {k.stream: [] for k in STREAM_KINDS}
    # record id -> (stream, texts its failure message must contain)
    bad: dict[str, tuple[str, list[str]]] = {}
    lines: list[str] = []

    def add_good(stream: str, n: int) -> None:
        record = make_record(_kind(stream), TAG, n)
        good[stream].extend(ids_of(_kind(stream), [record]))
        lines.append(_line(stream, record))

    def add_bad(stream: str, n: int, change: dict[str, Any], expect: list[str]) -> None:
        record = make_record(_kind(stream), TAG, n)
        record.update(change)
        ident = ids_of(_kind(stream), [record])[0]
        bad[ident] = (stream, [str(ident), *expect])
        lines.append(_line(stream, record))

    for kind in STREAM_KINDS:
        lines.append(_schema(kind.stream))
    # Vendors: missing name, wrong type, unknown field between good ones.
    add_good("Vendors", 1)
    add_bad("Vendors", 2, {"name": None}, ["name"])
    add_good("Vendors", 3)
    add_bad("Vendors", 4, {"name": 12345}, ["name", "12345"])
    add_bad("Vendors", 5, {"favouriteColour": "teal"}, ["favouriteColour"])
    add_good("Vendors", 6)
    # Customers: text for a number, text for an object.
    add_good("Customers", 1)
    add_bad("Customers", 2, {"creditLimit": "lots"}, ["creditLimit", "lots"])
    add_bad("Customers", 3, {"address": "Main Street 1"}, ["address"])
    add_good("Customers", 4)
    # Bills: impossible date, amount as text, missing line items.
    add_good("Bills", 1)
    add_bad("Bills", 2, {"issueDate": "2025-02-30"}, ["issueDate", "2025-02-30"])
    add_bad(
        "Bills",
        3,
        {"lineItems": [{"accountNumber": "6200", "amount": "12.5x"}]},
        ["lineItems[0].amount", "12.5x"],
    )
    add_bad("Bills", 4, {"lineItems": []}, ["lineItems"])
    add_good("Bills", 5)
    # Invoices: date in the wrong format, amount of the wrong type.
    add_good("Invoices", 1)
    add_bad("Invoices", 2, {"dueDate": "31/12/2025"}, ["dueDate", "31/12/2025"])
    add_bad(
        "Invoices",
        3,
        {"lineItems": [{"accountNumber": "4100", "amount": [1, 2]}]},
        ["lineItems[0].amount"],
    )
    add_good("Invoices", 4)
    # Journal entries: posting type outside the enum, a date that is not a date.
    add_good("JournalEntries", 1)
    je = make_record(_kind("JournalEntries"), TAG, 2)
    je["lines"][0]["postingType"] = "sideways"
    add_bad("JournalEntries", 2, {"lines": je["lines"]}, ["postingType", "sideways"])
    add_bad("JournalEntries", 3, {"transactionDate": "yesterday"}, ["transactionDate"])
    add_good("JournalEntries", 4)
    # Malformed messages and an unknown stream, interleaved.
    malformed = [
        '{"type": "RECORD", "stream": "Vendors", "record": ',  # cut JSON
        '{"type": "RECORD", "stream": "Vendors", "record": "not an object"}',
        '{"type": "RECORD", "record": {"id": "x"}}',  # no stream
        "\x00\x01binary garbage\xff",
    ]
    lines[8:8] = malformed
    unknown = [_line("Ledgers", {"id": f"{TAG}-LEDGER-{n}", "name": "nope"}) for n in (1, 2)]
    lines[20:20] = [_schema("Ledgers"), *unknown]

    config = fast_target_config(box, batch_size=3, fail_on_error=False)
    run = run_target_captured(config, "\n".join(lines) + "\n", tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    results = run.results
    # One line per input record (good, bad, malformed, unknown), none twice.
    record_lines = [r for r in results if r["stream"] != "(input)"]
    input_lines = [r for r in results if r["stream"] == "(input)"]
    expected_records = sum(len(v) for v in good.values()) + len(bad) + len(unknown)
    assert len(input_lines) + len(record_lines) == expected_records + len(malformed), results
    ids = Counter(r["record_id"] for r in record_lines if r["record_id"])
    assert all(n == 1 for n in ids.values()), ids
    # Malformed messages: named by input line, and every one of them reported.
    by_position = {r["position"]: r for r in input_lines}
    bad_message_records = [r for r in record_lines if r.get("errorno") == "TI-BAD-MESSAGE"]
    assert len(input_lines) + len(bad_message_records) == len(malformed), (
        input_lines,
        bad_message_records,
    )
    for r in input_lines:
        assert r["outcome"] == "failed"
        assert f"input line {r['position']}" in r["message"], r
    assert by_position, "malformed lines were not reported by line number"
    # Unknown stream: each record fails with a message that says what is writable.
    ledgers = [r for r in record_lines if r["stream"] == "Ledgers"]
    assert len(ledgers) == len(unknown)
    for r in ledgers:
        assert r["outcome"] == "failed"
        assert r["errorno"] == "TI-UNKNOWN-STREAM"
        assert "unknown stream 'Ledgers'" in r["message"]
        assert "JournalEntries" in r["message"]
    # Bad records: failed, naming record, field and value; the huge value is cut.
    by_id = {r["record_id"]: r for r in record_lines if r["record_id"]}
    for ident, (stream, expect) in bad.items():
        line = by_id[ident]
        assert line["stream"] == stream
        assert line["outcome"] == "failed", line
        for text in expect:
            assert text in line["message"], (text, line["message"][:500])
        assert len(line["message"]) < 2000, f"{ident}: message not cut"
    # Good records: created, exactly once in the sandbox.
    for kind in STREAM_KINDS:
        for ident in good[kind.stream]:
            assert by_id[ident]["outcome"] == "created", by_id[ident]
        landed = natural_keys(box, kind.obj, kind.natural_key, f"{TAG}-")
        assert landed == Counter(dict.fromkeys(good[kind.stream], 1)), kind.stream
    summary = run.states[-1]["target_intacct_summary"]
    assert summary["records"] == len(results)
    assert summary["failed"] == len(results) - sum(len(v) for v in good.values())


def test_huge_strings_fail_with_a_message_naming_the_field(
    clean_sandbox: Any, tmp_path: Path
) -> None:
    box = clean_sandbox
    vendor = make_record(_kind("Vendors"), "HUGE", 1)
    vendor["name"] = HUGE
    customer = make_record(_kind("Customers"), "HUGE", 1)
    customer["email"] = "x@" + "e" * 300_000 + ".example"
    text = (
        "\n".join(
            [
                _schema("Vendors"),
                _line("Vendors", vendor),
                _schema("Customers"),
                _line("Customers", customer),
            ]
        )
        + "\n"
    )
    config = fast_target_config(box, batch_size=3, fail_on_error=False)
    run = run_target_captured(config, text, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(run.results) == 2
    for line, field_name in zip(run.results, ("name", "email"), strict=True):
        assert line["outcome"] == "failed", {k: str(v)[:200] for k, v in line.items()}
        assert field_name in line["message"].lower()
        assert len(line["message"]) < 2000
    assert natural_keys(box, "VENDOR", "VENDORID", "HUGE-") == Counter()
    assert natural_keys(box, "CUSTOMER", "CUSTOMERID", "HUGE-") == Counter()
