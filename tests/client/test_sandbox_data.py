"""Integration: paging, batched writes, transactions, uniqueid, timestamps (real sandbox)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from intacct_client import Function, IntacctClient, IntacctPermissionError, filters, values

MakeClient = Callable[..., IntacctClient]


def _class(class_id: str, name: str | None = None) -> tuple[str, dict[str, str]]:
    return ("CLASS", {"CLASSID": class_id, "NAME": name or f"Class {class_id}"})


def _class_ids(box: Any) -> list[str]:
    return [str(r["CLASSID"]) for r in box.records("CLASS")]


def test_query_paging_covers_every_record(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    client = make_client(sandbox)
    expected = {int(r["RECORDNO"]) for r in sandbox.records("VENDOR")}
    seen: list[int] = []
    offset = 0
    while True:
        page = client.query(
            "VENDOR",
            ["RECORDNO", "VENDORID", "NAME"],
            order_by=[("RECORDNO", "asc")],
            page_size=7,
            offset=offset,
        )
        assert page.total_count == len(expected)
        assert page.num_remaining == page.total_count - page.offset - page.count
        seen.extend(int(r["RECORDNO"]) for r in page.records)
        offset += page.count
        if page.num_remaining == 0:
            break
    assert seen == sorted(expected)
    assert client.call_counts["query"] == -(-len(expected) // 7)


def test_query_filter_and_order(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    client = make_client(sandbox)
    all_rows = sandbox.records("GLACCOUNT")
    numbers = sorted(str(r["ACCOUNTNO"]) for r in all_rows)
    low, high = numbers[1], numbers[-2]
    page = client.query(
        "GLACCOUNT",
        ["ACCOUNTNO", "TITLE"],
        filter=filters.and_(filters.ge("ACCOUNTNO", low), filters.le("ACCOUNTNO", high)),
        order_by=[("ACCOUNTNO", "desc")],
    )
    got = [r["ACCOUNTNO"] for r in page.records]
    assert got == sorted((n for n in numbers if low <= n <= high), reverse=True)


def test_read_by_query_follows_read_more(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    client = make_client(sandbox)
    expected = {int(r["RECORDNO"]) for r in sandbox.records("GLACCOUNT")}
    pages = list(
        client.read_by_query("GLACCOUNT", "", fields=["RECORDNO", "ACCOUNTNO"], page_size=10)
    )
    assert len(pages) == -(-len(expected) // 10)
    got = [int(r["RECORDNO"]) for page in pages for r in page]
    assert sorted(got) == sorted(expected)
    assert len(got) == len(set(got))
    assert client.call_counts["readByQuery"] == 1
    assert client.call_counts.get("readMore", 0) == len(pages) - 1


def test_read_and_read_by_name(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    client = make_client(sandbox)
    vendors = sorted(sandbox.records("VENDOR"), key=lambda r: int(r["RECORDNO"]))[:3]
    by_key = client.read("VENDOR", [v["RECORDNO"] for v in vendors])
    assert sorted(r["VENDORID"] for r in by_key) == sorted(v["VENDORID"] for v in vendors)
    by_name = client.read_by_name(
        "VENDOR", [v["VENDORID"] for v in vendors], fields=["RECORDNO", "VENDORID", "NAME"]
    )
    assert sorted(int(r["RECORDNO"]) for r in by_name) == sorted(
        int(v["RECORDNO"]) for v in vendors
    )
    assert {r["NAME"] for r in by_name} == {v["NAME"] for v in vendors}


def test_timestamps_are_converted_from_company_zone(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    client = make_client(sandbox)
    tz = client.user_timezone()
    raw = {
        int(r["RECORDNO"]): r["WHENMODIFIED"]
        for r in sandbox.records("VENDOR")
        if r.get("WHENMODIFIED")
    }
    page = client.query("VENDOR", ["RECORDNO", "WHENMODIFIED"], page_size=50)
    checked = 0
    for record in page.records:
        stored = raw.get(int(record["RECORDNO"]))
        if not stored or not record["WHENMODIFIED"]:
            continue
        expected = datetime.fromisoformat(str(stored).replace("Z", "+00:00"))
        if expected.tzinfo is None:
            expected = expected.replace(tzinfo=timezone.utc)
        assert values.parse_timestamp(record["WHENMODIFIED"], tz) == expected.replace(microsecond=0)
        checked += 1
    assert checked > 0


def test_batched_writes_with_per_function_results(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox)
    existing = _class_ids(clean_sandbox)
    tag = uuid.uuid4().hex[:6].upper()
    functions = [
        Function("create", [_class(f"A{tag}"), _class(f"B{tag}")], controlid="two"),
        Function("create", [_class(existing[0])], controlid="dup"),
        Function("create", [_class(f"C{tag}")], controlid="one"),
        Function(
            "readByName", {"object": "CLASS", "keys": f"A{tag}", "fields": "*"}, controlid="read"
        ),
    ]
    two, dup, one, read = client.execute(functions)
    assert [r.controlid for r in (two, dup, one, read)] == ["two", "dup", "one", "read"]
    assert two.ok
    assert [r["CLASSID"] for r in two.data] == [f"A{tag}", f"B{tag}"]
    assert all(r["RECORDNO"] for r in two.data)
    assert dup.status == "failure"
    assert dup.first_error is not None
    assert existing[0] in dup.first_error.description2
    assert one.ok
    assert read.ok
    assert read.data[0]["CLASSID"] == f"A{tag}"
    ids = _class_ids(clean_sandbox)
    assert {f"A{tag}", f"B{tag}", f"C{tag}"} <= set(ids)
    assert ids.count(existing[0]) == 1
    assert client.call_counts["create"] == 3


def test_update_and_delete(clean_sandbox: Any, make_client: MakeClient) -> None:
    client = make_client(clean_sandbox)
    created = client.create([_class("UPD1")])
    assert created.ok
    recordno = created.data[0]["RECORDNO"]
    updated = client.update([("CLASS", {"RECORDNO": recordno, "NAME": "Renamed & Co"})])
    assert updated.ok
    row = next(r for r in clean_sandbox.records("CLASS") if r["CLASSID"] == "UPD1")
    assert row["NAME"] == "Renamed & Co"
    deleted = client.delete("CLASS", [recordno])
    assert deleted.ok
    assert "UPD1" not in _class_ids(clean_sandbox)


def test_transaction_rolls_back_everything(clean_sandbox: Any, make_client: MakeClient) -> None:
    client = make_client(clean_sandbox)
    existing = _class_ids(clean_sandbox)
    functions = [
        Function("create", [_class("TXN1")], controlid="t1"),
        Function("create", [_class(existing[0])], controlid="t2"),
        Function("create", [_class("TXN3")], controlid="t3"),
    ]
    results = client.execute(functions, transaction=True)
    statuses = {r.controlid: r.status for r in results}
    assert statuses["t2"] == "failure"
    assert statuses["t1"] == "aborted"
    assert statuses["t3"] == "aborted"
    assert all(not r.ok for r in results)
    failed = results[1].first_error
    assert failed is not None
    assert failed.errorno != "XL03000009"
    after = _class_ids(clean_sandbox)
    assert "TXN1" not in after
    assert "TXN3" not in after
    assert sorted(after) == sorted(existing)


def test_uniqueid_deduplicates_a_repeated_controlid(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox)
    controlid = f"class-UNIQ1-{uuid.uuid4().hex[:8]}"
    first = client.create([_class("UNIQ1")], controlid=controlid, unique_id=True)
    assert first.ok
    assert not first.replayed
    assert first.data[0]["CLASSID"] == "UNIQ1"
    second = client.create([_class("UNIQ1")], controlid=controlid, unique_id=True)
    assert second.ok
    assert second.replayed
    assert second.data == []
    assert second.errors[0].errorno == "XL03000013"
    assert _class_ids(clean_sandbox).count("UNIQ1") == 1
    # Without uniqueid the same controlid is executed again (and hits the duplicate rule).
    third = client.create([_class("UNIQ1")], controlid=controlid)
    assert third.status == "failure"
    assert not third.replayed


def test_readonly_user_permission_error(
    sandbox: Any, make_client: MakeClient, readonly_credentials: dict[str, str]
) -> None:
    client = make_client(sandbox, **readonly_credentials)
    denied = []
    for name in ("APBILL", "ARINVOICE", "GLACCOUNT", "VENDOR", "EMPLOYEE", "USERINFO"):
        try:
            client.query(name, ["RECORDNO"], page_size=1)
        except IntacctPermissionError:
            denied.append(name)
    assert denied, "the readonly user should lack permission on at least one object"


def test_legacy_functions_with_ordered_elements_key_and_listtype(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox)
    created, out_of_order = client.execute(
        [
            Function(
                "create_class",
                {"classid": "LEG1", "name": "Legacy & Co", "description": "ordered"},
                controlid="legacy-ok",
            ),
            Function(
                "create_class",
                {"name": "Wrong order", "classid": "LEG2"},
                controlid="legacy-bad",
            ),
        ]
    )
    assert created.ok
    assert created.key == "LEG1"
    assert created.data == []
    assert out_of_order.status == "failure"
    assert out_of_order.errors
    row = next(r for r in clean_sandbox.records("CLASS") if r["CLASSID"] == "LEG1")
    assert row["NAME"] == "Legacy & Co"
    assert "LEG2" not in _class_ids(clean_sandbox)
    total = len(clean_sandbox.records("CLASS"))
    listed = client.execute_one(
        Function("get_list", None, attributes={"object": "class", "maxitems": "3"})
    )
    assert listed.ok
    assert listed.list_attributes["listtype"] == "class"
    assert listed.list_attributes["total"] == str(total)
    assert len(listed.data) == 3
    deleted = client.execute_one(Function("delete_class", None, attributes={"key": "LEG1"}))
    assert deleted.ok
    assert "LEG1" not in _class_ids(clean_sandbox)
    with pytest.raises(ValueError, match="unique"):
        client.execute([Function("inspect", None, "x"), Function("inspect", None, "x")])


def test_read_returns_owned_lines_as_nested_records(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox)
    batch = clean_sandbox.records("GLBATCH")[0]
    lines = [
        r for r in clean_sandbox.records("GLENTRY") if str(r["BATCHNO"]) == str(batch["RECORDNO"])
    ]
    (record,) = client.read("GLBATCH", [batch["RECORDNO"]])
    assert record["RECORDNO"] == str(batch["RECORDNO"])
    entries = values.as_list(record["ENTRIES"]["glentry"])
    assert len(entries) == len(lines) >= 2
    assert sorted(e["RECORDNO"] for e in entries) == sorted(str(r["RECORDNO"]) for r in lines)
    assert sum(values.parse_decimal(e["TRX_AMOUNT"]) * int(e["TR_TYPE"]) for e in entries) == 0
