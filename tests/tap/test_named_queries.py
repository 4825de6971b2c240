"""Named query streams (`query_streams`) against a real sandbox.

Each named stream holds exactly the object's rows that match its readByQuery-style
filter (compared with the sandbox's stored records), Intacct does the filtering (fewer
query calls than reading the whole object), each stream keeps its own bookmark, and a
malformed filter or an unknown field is one clear error before any data call.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

import pytest
from tap_helpers import comparable, discover, entry, run_tap, select

OPEN_BILLS = {
    "name": "open_bills",
    "object": "APBILL",
    "filter": "STATE = 'Posted' AND TOTALDUE > 0",
    "fields": ["RECORDID", "VENDORID", "TOTALDUE"],
}
ACTIVE_CUSTOMERS = {
    "name": "active_customers",
    "object": "customer",
    "filter": "status = 'active' AND NOT (CUSTOMERID in ('C00002', 'C00003'))",
}
QUERIES = [OPEN_BILLS, ACTIVE_CUSTOMERS]


def open_bill(row: dict[str, Any]) -> bool:
    return row["STATE"] == "Posted" and Decimal(str(row["TOTALDUE"] or 0)) > 0


def active_customer(row: dict[str, Any]) -> bool:
    return row["STATUS"] == "active" and row["CUSTOMERID"] not in ("C00002", "C00003")


def calls(stderr: str) -> dict[str, int]:
    line = next(line for line in stderr.splitlines() if "Run summary" in line)
    head = line.split("records", 1)[0]
    return {name: int(n) for name, n in re.findall(r"'(\w+)': (\d+)", head)}


def test_named_streams_hold_exactly_the_matching_rows(sandbox: Any) -> None:
    config = sandbox.config(objects=["open_bills", "active_customers"], query_streams=QUERIES)
    run = run_tap(config)
    assert set(run.records) == {"open_bills", "active_customers"}
    bills = [row for row in sandbox.records("APBILL") if open_bill(row)]
    customers = [row for row in sandbox.records("CUSTOMER") if active_customer(row)]
    assert 0 < len(bills) < len(sandbox.records("APBILL"))
    assert 0 < len(customers) < len(sandbox.records("CUSTOMER"))
    bill_schema = run.schemas["open_bills"]
    # the chosen fields, plus the key, WHENMODIFIED and the filter's fields
    assert set(bill_schema["properties"]) == {
        "RECORDNO", "RECORDID", "VENDORID", "TOTALDUE", "STATE", "WHENMODIFIED", "_sdc_deleted_at"
    }  # fmt: skip
    assert comparable(run.rows("open_bills"), bill_schema) == comparable(bills, bill_schema)
    customer_schema = run.schemas["active_customers"]
    assert comparable(run.rows("active_customers"), customer_schema) == comparable(
        customers, customer_schema
    )
    state = run.last_state
    assert state is not None
    assert set(state["bookmarks"]) == {"open_bills", "active_customers"}
    assert state["bookmarks"]["open_bills"]["replication_key"] == "WHENMODIFIED"


def test_intacct_does_the_filtering(sandbox: Any) -> None:
    page = 10
    run = run_tap(
        sandbox.config(objects=["open_bills"], query_streams=[OPEN_BILLS], page_size=page)
    )
    matching = len(run.rows("open_bills"))
    every_bill = len(sandbox.records("APBILL"))
    used = calls(run.stderr)["query"]
    assert used <= math.ceil(matching / page) + 2 < math.ceil(every_bill / page)


def test_each_named_stream_resumes_from_its_own_bookmark(clean_sandbox: Any) -> None:
    box = clean_sandbox
    config = box.config(objects=["open_bills", "apbill"], query_streams=[OPEN_BILLS])
    first = run_tap(config)
    bills = box.records("APBILL")
    matching = next(row for row in bills if open_bill(row))
    other = next(row for row in bills if not open_bill(row))
    box.touch("APBILL", [int(matching["RECORDNO"]), int(other["RECORDNO"])])
    second = run_tap(config, state=first.last_state)
    again = {int(row["RECORDNO"]) for row in second.rows("open_bills")}
    assert int(matching["RECORDNO"]) in again
    assert int(other["RECORDNO"]) not in again
    assert len(again) < len(first.rows("open_bills"))
    assert {int(row["RECORDNO"]) for row in second.rows("apbill")} >= {
        int(matching["RECORDNO"]),
        int(other["RECORDNO"]),
    }


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("STATE = 'Posted' AMD TOTALDUE > 0", "AMD"),
        ("STATE == 'Posted'", "="),
        ("(STATE = 'Posted'", ""),
        ("STATE = 'Posted", "'Posted"),
    ],
)
def test_malformed_filter_is_one_clear_error_before_any_call(
    sandbox: Any, text: str, token: str
) -> None:
    broken = {**OPEN_BILLS, "filter": text}
    run = run_tap(sandbox.config(query_streams=[broken]), check=False)
    assert run.returncode != 0
    errors = [line for line in run.stderr.splitlines() if "query_streams" in line]
    assert len(errors) == 1
    assert "'open_bills'" in errors[0]
    assert f"token {token!r}" in errors[0] if token else "ends too early" in errors[0]
    assert "Traceback" not in run.stderr
    assert "obtained an API session" not in run.stderr  # no call at all
    assert not run.records


def test_unknown_field_is_one_clear_error_before_any_data_call(sandbox: Any) -> None:
    for broken in (
        {**OPEN_BILLS, "filter": "STATE = 'Posted' AND TOTALDUEX > 0"},
        {**OPEN_BILLS, "fields": ["RECORDID", "NOSUCHFIELD"]},
    ):
        run = run_tap(sandbox.config(query_streams=[broken]), check=False)
        assert run.returncode != 0
        (error,) = [line for line in run.stderr.splitlines() if "query_streams" in line]
        assert "'open_bills'" in error
        assert "TOTALDUEX" in error or "NOSUCHFIELD" in error
        assert "Beginning sync" not in run.stderr
        assert not run.records


def test_selection_names_object_balance_and_named_streams(sandbox: Any) -> None:
    config = sandbox.config(
        objects=["GLDETAIL", "gl_account_balances", "open_bills"], query_streams=QUERIES
    )
    catalog = discover(config)
    streams = {e["tap_stream_id"] for e in catalog["streams"]}
    assert streams == {"gldetail", "gl_account_balances", "open_bills"}
    assert entry(catalog, "open_bills")["table_name"] == "open_bills"
    excluded = discover({**config, "exclude_objects": ["gl_*", "open_*"]})
    assert {e["tap_stream_id"] for e in excluded["streams"]} == {"gldetail"}
    # a sync from the catalog needs no lookup and gives the same rows
    chosen = select(catalog, ["open_bills"])
    run = run_tap(config, chosen)
    assert "lookup" not in calls(run.stderr)
    bills = [row for row in sandbox.records("APBILL") if open_bill(row)]
    assert {int(row["RECORDNO"]) for row in run.rows("open_bills")} == {
        int(row["RECORDNO"]) for row in bills
    }
    assert json.loads(json.dumps(run.last_state))["bookmarks"]["open_bills"]


@pytest.mark.parametrize("name", ["attachments", "gl_account_balances", "vendor"])
def test_a_name_taken_by_another_stream_is_refused(sandbox: Any, name: str) -> None:
    taken = {**OPEN_BILLS, "name": name}
    run = run_tap(sandbox.config(query_streams=[taken]), check=False)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    (error,) = [line for line in run.stderr.splitlines() if "taken" in line]
    assert name in error
    assert not run.records
