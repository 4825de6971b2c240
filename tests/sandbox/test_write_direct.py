"""Generic create/update/delete called through `execute_function` on a temp database.

These run without the HTTP gateway: each test gets a fresh schema with a small, known
set of reference data, calls the function seam directly inside a SAVEPOINT (as the
gateway does) and asserts on the stored rows and the returned XML.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET
from intacct_sandbox import db, variants
from intacct_sandbox.catalog import get_object
from intacct_sandbox.functions import CallContext, FunctionOutcome
from sandbox_direct import call_context, run_in_savepoint, table_rows

NOW = datetime(2024, 3, 10, 18, 30, 5, tzinfo=timezone.utc)

REFERENCE_DATA: dict[str, list[dict[str, Any]]] = {
    "GLACCOUNT": [
        {"ACCOUNTNO": "1000", "TITLE": "Cash", "ACCOUNTTYPE": "balancesheet"},
        {"ACCOUNTNO": "1200", "TITLE": "Accounts Receivable", "ACCOUNTTYPE": "balancesheet"},
        {"ACCOUNTNO": "2000", "TITLE": "Accounts Payable", "ACCOUNTTYPE": "balancesheet"},
        {"ACCOUNTNO": "4000", "TITLE": "Revenue", "ACCOUNTTYPE": "incomestatement"},
        {"ACCOUNTNO": "6000", "TITLE": "Office Expenses", "ACCOUNTTYPE": "incomestatement"},
    ],
    "GLJOURNAL": [{"SYMBOL": "GJ", "TITLE": "General Journal"}],
    "LOCATIONENTITY": [{"LOCATIONID": "E100", "NAME": "East Entity"}],
    "LOCATION": [{"LOCATIONID": "E100", "NAME": "East Entity"}, {"LOCATIONID": "L1", "NAME": "HQ"}],
    "DEPARTMENT": [{"DEPARTMENTID": "D1", "TITLE": "Sales"}],
    "CLASS": [{"CLASSID": "C1", "NAME": "Retail"}],
    "PROJECT": [{"PROJECTID": "P1", "NAME": "Apollo"}],
    "VENDOR": [{"VENDORID": "V1", "NAME": "Acme Supplies"}],
    "CUSTOMER": [{"CUSTOMERID": "CU1", "NAME": "Big Buyer"}],
    "APTERM": [{"NAME": "Net 30", "DUEDAYS": 30}],
}


def _insert(conn: sqlite3.Connection, name: str, values: dict[str, Any]) -> int:
    obj = get_object(name)
    assert obj is not None
    return db.insert_record(conn, obj, values)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(str(tmp_path / "write.db"))
    db.create_schema(connection)
    db.add_user(connection, "sandbox_user", "pw", 1)
    db.add_user(connection, "readonly_user", "pw", 2, can_write=False, denied={"ARINVOICE"})
    for name, rows in REFERENCE_DATA.items():
        for row in rows:
            _insert(connection, name, row)
    yield connection
    connection.close()


def make_ctx(
    conn: sqlite3.Connection, user: str = "sandbox_user", entity: str | None = None
) -> CallContext:
    return call_context(conn, NOW, user, entity)


def run(conn: sqlite3.Connection, xml: str, **ctx_kwargs: Any) -> FunctionOutcome:
    return run_in_savepoint(conn, xml, make_ctx(conn, **ctx_kwargs))


def rows(conn: sqlite3.Connection, name: str, where: str = "1=1", *params: Any) -> list[dict]:
    return table_rows(conn, name, where, *params)


def errors(outcome: FunctionOutcome) -> list[tuple[str, str]]:
    return [(e.errorno, e.description2) for e in outcome.errors]


def body(outcome: FunctionOutcome) -> Any:
    return SafeET.fromstring(outcome.body)


JE = """<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/01/2024</BATCH_DATE>
<BATCH_TITLE>Rent &amp; utilities</BATCH_TITLE><REFERENCENO>EXT-1</REFERENCENO>
<ENTRIES>
<GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>{debit}</TRX_AMOUNT>
<DESCRIPTION>Rent</DESCRIPTION><LOCATION>L1</LOCATION><DEPARTMENT>D1</DEPARTMENT>
<CLASSID>C1</CLASSID><PROJECTID>{project}</PROJECTID></GLENTRY>
<GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><AMOUNT>{credit}</AMOUNT></GLENTRY>
</ENTRIES></GLBATCH></create>"""


# ---- create ----


def test_create_several_objects_of_different_types(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create>"
        "<VENDOR><VENDORID>V2</VENDORID><NAME>O'Brien &amp; Søn</NAME>"
        "<DISPLAYCONTACT><PRINTAS>O'Brien</PRINTAS><EMAIL1>a@b.example</EMAIL1>"
        "<MAILADDRESS><CITY>Zürich</CITY></MAILADDRESS></DISPLAYCONTACT></VENDOR>"
        "<CLASS><CLASSID>C2</CLASSID><NAME>Wholesale</NAME></CLASS>"
        "<GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/01/2024</BATCH_DATE>"
        "<BATCH_TITLE>t</BATCH_TITLE><ENTRIES>"
        "<GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>5</TRX_AMOUNT></GLENTRY>"
        "<GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>5</TRX_AMOUNT></GLENTRY>"
        "</ENTRIES></GLBATCH>"
        "</create>",
    )
    assert outcome.status == "success", outcome.errors
    assert outcome.writes
    data = body(outcome)
    assert data.tag == "data"
    assert data.attrib == {"listtype": "objects", "count": "3"}
    assert [c.tag for c in data] == ["vendor", "class", "glbatch"]
    vendor = rows(conn, "VENDOR", '"VENDORID" = ?', "V2")[0]
    assert data[0].findtext("RECORDNO") == str(vendor["RECORDNO"])
    assert data[0].findtext("VENDORID") == "V2"
    assert [c.tag for c in data[2]] == ["RECORDNO"]
    assert vendor["NAME"] == "O'Brien & Søn"
    assert vendor["DISPLAYCONTACT.EMAIL1"] == "a@b.example"
    assert vendor["DISPLAYCONTACT.MAILADDRESS.CITY"] == "Zürich"
    assert vendor["STATUS"] == "active"
    assert vendor["WHENCREATED"] == "2024-03-10T18:30:05Z"
    assert vendor["WHENMODIFIED"] == "2024-03-10T18:30:05Z"
    assert vendor["CREATEDBY"] == 1
    assert vendor["MEGAENTITYID"] is None


def test_glbatch_lines_totals_and_gldetail(conn: sqlite3.Connection) -> None:
    outcome = run(conn, JE.format(debit="100.005", credit="100.01", project="P1"))
    assert outcome.status == "success", outcome.errors
    batch = rows(conn, "GLBATCH")[0]
    assert batch["STATE"] == "Posted"
    assert batch["BATCH_DATE"] == "2024-03-01"
    assert batch["BATCH_TITLE"] == "Rent & utilities"
    assert batch["REFERENCENO"] == "EXT-1"
    assert batch["MODULE"] == "2.GL"
    lines = rows(conn, "GLENTRY", '"BATCHNO" = ?', batch["RECORDNO"])
    assert [line["LINE_NO"] for line in lines] == [1, 2]
    assert [line["TR_TYPE"] for line in lines] == [1, -1]
    # currency amounts are rounded to 2 places (protocol.md §5.3); AMOUNT is accepted for TRX_AMOUNT
    assert [line["TRX_AMOUNT"] for line in lines] == ["100.01", "100.01"]
    assert lines[0]["DESCRIPTION"] == "Rent"
    assert lines[0]["LOCATION"] == "L1"
    assert lines[0]["ACCOUNTTITLE"] == "Office Expenses"
    assert lines[0]["ENTRY_DATE"] == "2024-03-01"
    detail = rows(conn, "GLDETAIL", '"BATCHKEY" = ? AND "BOOKID" = ?', batch["RECORDNO"], "ACCRUAL")
    assert len(detail) == 2
    assert len(rows(conn, "GLDETAIL", '"BOOKID" = ?', "CASH")) == 2
    assert detail[0]["DEBITAMOUNT"] == lines[0]["TRX_AMOUNT"]
    assert detail[1]["CREDITAMOUNT"] == "100.01"
    assert detail[0]["SYMBOL"] == "GJ"
    assert detail[0]["LOCATIONID"] == "L1"
    assert detail[0]["DEPARTMENTID"] == "D1"
    assert detail[0]["MODULEKEY"] == "2.GL"


def test_unbalanced_journal_entry_rejected_without_rows(conn: sqlite3.Connection) -> None:
    outcome = run(conn, JE.format(debit="100", credit="90", project="P1"))
    assert outcome.status == "failure"
    chain = errors(outcome)
    assert "not balanced" in chain[0][1]
    assert "debits 100, credits 90" in chain[0][1]
    assert chain[1] == ("BL01001973", "Could not create Journal Entry record!")
    assert chain[2][1] == "Currently, we can't create the transaction"
    assert body(outcome).attrib == {"listtype": "objects", "count": "0"}
    assert rows(conn, "GLBATCH") == []
    assert rows(conn, "GLENTRY") == []
    assert rows(conn, "GLDETAIL") == []
    assert rows(conn, "AUDITHISTORY") == []


def test_journal_entry_needs_two_lines(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/01/2024</BATCH_DATE>"
        "<BATCH_TITLE>t</BATCH_TITLE><ENTRIES><GLENTRY><ACCOUNTNO>6000</ACCOUNTNO>"
        "<TR_TYPE>1</TR_TYPE><TRX_AMOUNT>0</TRX_AMOUNT></GLENTRY></ENTRIES></GLBATCH></create>",
    )
    assert outcome.status == "failure"
    assert "at least 2 lines" in outcome.errors[0].description2


def test_invalid_dimension_reference_chain(conn: sqlite3.Connection) -> None:
    outcome = run(conn, JE.format(debit="10", credit="10", project="10064"))
    assert outcome.status == "failure"
    chain = errors(outcome)
    assert chain[0][0] == "BL01001973"
    assert chain[0][1].startswith("Invalid Project '10064' specified. [Support ID: ")
    assert chain[1][1] == "Could not create Journal Entry record!"
    assert outcome.errors[2].correction == (
        "Check the transaction for errors or inconsistencies, then try again."
    )
    assert rows(conn, "GLBATCH") == []


def test_unknown_account_rejected(conn: sqlite3.Connection) -> None:
    xml = JE.format(debit="10", credit="10", project="P1").replace(
        "<ACCOUNTNO>1000</ACCOUNTNO>", "<ACCOUNTNO>9999</ACCOUNTNO>"
    )
    outcome = run(conn, xml)
    assert outcome.errors[0].description2.startswith("Invalid GL Account '9999' specified.")


def test_duplicate_id_chain(conn: sqlite3.Connection) -> None:
    outcome = run(conn, "<create><VENDOR><VENDORID>V1</VENDORID><NAME>x</NAME></VENDOR></create>")
    assert outcome.status == "failure"
    assert errors(outcome) == [
        ("BL34000061", "Another Vendor with the given value(s) V1  already exists"),
        ("BL01001973", "Could not create Vendor record!"),
    ]
    assert outcome.errors[0].correction == "Use a unique value instead."


def test_function_is_all_or_nothing(conn: sqlite3.Connection) -> None:
    before = len(rows(conn, "CLASS"))
    outcome = run(
        conn,
        "<create><CLASS><CLASSID>NEW1</CLASSID><NAME>a</NAME></CLASS>"
        "<CLASS><CLASSID>C1</CLASSID><NAME>dup</NAME></CLASS></create>",
    )
    assert outcome.status == "failure"
    assert len(rows(conn, "CLASS")) == before


def test_required_field_then_wrapper(conn: sqlite3.Connection) -> None:
    outcome = run(conn, "<create><CLASS><CLASSID>C9</CLASSID></CLASS></create>")
    assert errors(outcome) == [
        ("BL01001973", "Required field Name (NAME) is missing."),
        ("BL01001973", "Could not create Class record!"),
    ]


def test_unknown_field_refused(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create><CLASS><CLASSID>C9</CLASSID><NAME>n</NAME><COLOR>red</COLOR></CLASS></create>",
    )
    assert outcome.status == "failure"
    assert "COLOR" in outcome.errors[0].description2


@pytest.mark.parametrize(
    ("field", "value"),
    [("BATCH_DATE", "2024-13-45"), ("BATCH_DATE", "31/12/2024"), ("TRX_AMOUNT", "1,000.00")],
)
def test_bad_formats_refused(conn: sqlite3.Connection, field: str, value: str) -> None:
    xml = JE.format(debit="10", credit="10", project="P1")
    if field == "BATCH_DATE":
        xml = xml.replace("03/01/2024", value)
    else:
        xml = xml.replace("<TRX_AMOUNT>10</TRX_AMOUNT>", f"<TRX_AMOUNT>{value}</TRX_AMOUNT>")
    outcome = run(conn, xml)
    assert outcome.status == "failure"
    assert outcome.errors[0].errorno == "BL03000018"
    assert value in outcome.errors[0].description2


def test_readonly_user_denied(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create><CLASS><CLASSID>C9</CLASSID><NAME>n</NAME></CLASS></create>",
        user="readonly_user",
    )
    assert outcome.status == "failure"
    assert outcome.errors[0].errorno == "PL04000005"
    assert "API operation CREATE on objects of type class" in outcome.errors[0].description2
    assert rows(conn, "CLASS", '"CLASSID" = ?', "C9") == []


def test_views_cannot_be_written(conn: sqlite3.Connection) -> None:
    outcome = run(conn, "<create><GLDETAIL><ACCOUNTNO>1</ACCOUNTNO></GLDETAIL></create>")
    assert outcome.status == "failure"
    assert "cannot be performed on objects of type gldetail" in outcome.errors[0].description2


def test_apbill_with_lines_totals_and_posting(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create><APBILL><VENDORID>V1</VENDORID><WHENCREATED>02/01/2024</WHENCREATED>"
        "<TERMNAME>Net 30</TERMNAME><RECORDID>B-1</RECORDID><APBILLITEMS>"
        "<APBILLITEM><ACCOUNTNO>6000</ACCOUNTNO><TRX_AMOUNT>10.10</TRX_AMOUNT>"
        "<ENTRYDESCRIPTION>paper</ENTRYDESCRIPTION><LOCATIONID>L1</LOCATIONID></APBILLITEM>"
        "<APBILLITEM><ACCOUNTLABEL>Office Expenses</ACCOUNTLABEL><TRX_AMOUNT>0.2</TRX_AMOUNT>"
        "<DEPARTMENTID>D1</DEPARTMENTID></APBILLITEM>"
        "</APBILLITEMS></APBILL></create>",
    )
    assert outcome.status == "success", outcome.errors
    bill = rows(conn, "APBILL")[0]
    assert bill["WHENDUE"] == "2024-03-02"
    assert bill["TOTALENTERED"] == "10.3"
    assert bill["TOTALDUE"] == "10.3"
    assert bill["TRX_TOTALENTERED"] == "10.3"
    assert bill["VENDORNAME"] == "Acme Supplies"
    assert bill["STATE"] == "Posted"
    assert bill["RECORDTYPE"] == "pi"
    assert bill["AUWHENCREATED"] == "2024-03-10T18:30:05Z"
    items = rows(conn, "APBILLITEM", '"RECORDKEY" = ?', bill["RECORDNO"])
    assert [i["ACCOUNTNO"] for i in items] == ["6000", "6000"]
    assert items[0]["ENTRYDESCRIPTION"] == "paper"
    detail = rows(conn, "GLDETAIL", '"MODULEKEY" = ? AND "BOOKID" = ?', "3.AP", "ACCRUAL")
    debits = sum(Decimal(d["DEBITAMOUNT"]) for d in detail)
    credits = sum(Decimal(d["CREDITAMOUNT"]) for d in detail)
    assert debits == credits == Decimal("10.3")
    assert {d["ACCOUNTNO"] for d in detail if d["CREDITAMOUNT"] != "0"} == {"2000"}
    assert {d["BATCH_TITLE"] for d in detail} == {"Bill B-1"}


def test_apbill_missing_vendor_and_due_date(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create><APBILL><VENDORID>NOPE</VENDORID><WHENCREATED>02/01/2024</WHENCREATED>"
        "<WHENDUE>03/01/2024</WHENDUE><APBILLITEMS><APBILLITEM><ACCOUNTNO>6000</ACCOUNTNO>"
        "<TRX_AMOUNT>1</TRX_AMOUNT></APBILLITEM></APBILLITEMS></APBILL></create>",
    )
    assert outcome.errors[0].description2.startswith("Invalid Vendor 'NOPE' specified.")
    outcome = run(
        conn,
        "<create><APBILL><VENDORID>V1</VENDORID><WHENCREATED>02/01/2024</WHENCREATED>"
        "<APBILLITEMS><APBILLITEM><ACCOUNTNO>6000</ACCOUNTNO>"
        "<TRX_AMOUNT>1</TRX_AMOUNT></APBILLITEM></APBILLITEMS></APBILL></create>",
    )
    assert outcome.errors[0].description2 == "Required field Due date (WHENDUE) is missing."


# ---- update ----


def test_update_by_recordno_and_by_id(conn: sqlite3.Connection) -> None:
    vendor = rows(conn, "VENDOR")[0]
    outcome = run(
        conn,
        f"<update><VENDOR><RECORDNO>{vendor['RECORDNO']}</RECORDNO><NAME>Renamed</NAME></VENDOR>"
        "<CLASS><CLASSID>C1</CLASSID><DESCRIPTION>desc</DESCRIPTION></CLASS></update>",
    )
    assert outcome.status == "success", outcome.errors
    data = body(outcome)
    assert [c.tag for c in data] == ["vendor", "class"]
    assert data[0].findtext("VENDORID") == "V1"
    assert rows(conn, "VENDOR")[0]["NAME"] == "Renamed"
    assert rows(conn, "VENDOR")[0]["WHENMODIFIED"] == "2024-03-10T18:30:05Z"
    assert rows(conn, "CLASS")[0]["DESCRIPTION"] == "desc"
    assert rows(conn, "CLASS")[0]["NAME"] == "Retail"


def test_update_missing_key(conn: sqlite3.Connection) -> None:
    outcome = run(conn, "<update><CLASS><CLASSID>UT99</CLASSID><NAME>x</NAME></CLASS></update>")
    assert outcome.status == "failure"
    assert outcome.errors[0].errorno == "Cannot update non-existing CLASS with CLASSID=UT99."
    outcome = run(conn, "<update><CLASS><RECORDNO>999</RECORDNO><NAME>x</NAME></CLASS></update>")
    assert outcome.errors[0].errorno == "Cannot update non-existing CLASS with RECORDNO=999."


@pytest.mark.parametrize(("line_audit", "line_rows"), [("audited", (2, 4)), ("unaudited", (0, 0))])
def test_update_glbatch_lines_replaces_lines_and_detail(
    conn: sqlite3.Connection, line_audit: str, line_rows: tuple[int, int]
) -> None:
    with variants.overridden(line_audit=line_audit):
        assert run(conn, JE.format(debit="10", credit="10", project="P1")).status == "success"
        batch = rows(conn, "GLBATCH")[0]
        outcome = run(
            conn,
            f"<update><GLBATCH><RECORDNO>{batch['RECORDNO']}</RECORDNO><ENTRIES>"
            "<GLENTRY><ACCOUNTNO>6000</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>7</TRX_AMOUNT>"
            "</GLENTRY><GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE>"
            "<TRX_AMOUNT>3</TRX_AMOUNT></GLENTRY><GLENTRY><ACCOUNTNO>1200</ACCOUNTNO>"
            "<TR_TYPE>-1</TR_TYPE><TRX_AMOUNT>4</TRX_AMOUNT></GLENTRY>"
            "</ENTRIES></GLBATCH></update>",
        )
    assert outcome.status == "success", outcome.errors
    lines = rows(conn, "GLENTRY")
    assert [line["TRX_AMOUNT"] for line in lines] == ["7", "3", "4"]
    assert len(rows(conn, "GLDETAIL")) == 6
    # replaced lines and re-posted detail rows leave Delete audit rows only when lines
    # are audited (line_audit); the header's rows are there either way
    deleted_lines = rows(
        conn, "AUDITHISTORY", '"OBJECTTYPE" = ? AND "ACCESSMODE" = ?', "glentry", "D"
    )
    deleted_detail = rows(
        conn, "AUDITHISTORY", '"OBJECTTYPE" = ? AND "ACCESSMODE" = ?', "gldetail", "D"
    )
    assert (len(deleted_lines), len(deleted_detail)) == line_rows
    modes = [a["ACCESSMODE"] for a in rows(conn, "AUDITHISTORY", '"OBJECTTYPE" = ?', "glbatch")]
    assert modes == ["C", "M"]


# ---- delete ----


def test_delete_and_missing_key(conn: sqlite3.Connection) -> None:
    assert run(conn, JE.format(debit="10", credit="10", project="P1")).status == "success"
    batch = rows(conn, "GLBATCH")[0]
    outcome = run(
        conn, f"<delete><object>GLBATCH</object><keys>{batch['RECORDNO']}</keys></delete>"
    )
    assert outcome.status == "success"
    assert outcome.body == ""
    assert rows(conn, "GLBATCH") == []
    assert rows(conn, "GLENTRY") == []
    assert rows(conn, "GLDETAIL") == []
    outcome = run(conn, "<delete><object>CLASS</object><keys>UT01</keys></delete>")
    assert errors(outcome) == [("BL01001973", "Cannot find class with key 'UT01' to delete.")]


# ---- audit ----


def test_audit_rows_for_create_update_delete(conn: sqlite3.Connection) -> None:
    run(conn, "<create><CLASS><CLASSID>C7</CLASSID><NAME>n</NAME></CLASS></create>")
    recordno = rows(conn, "CLASS", '"CLASSID" = ?', "C7")[0]["RECORDNO"]
    run(conn, "<update><CLASS><CLASSID>C7</CLASSID><NAME>m</NAME></CLASS></update>")
    run(conn, f"<delete><object>CLASS</object><keys>{recordno}</keys></delete>")
    audit = rows(conn, "AUDITHISTORY", '"OBJECTTYPE" = ?', "class")
    assert [(a["OBJECTKEY"], a["ACCESSMODE"]) for a in audit] == [
        (str(recordno), "C"),
        (str(recordno), "M"),
        (str(recordno), "D"),
    ]
    assert {a["SOURCE"] for a in audit} == {"api"}
    assert {a["USERID"] for a in audit} == {"sandbox_user"}
    assert {a["ACCESSTIME"] for a in audit} == {"2024-03-10T18:30:05Z"}


def test_entity_session_stamps_owner(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn, "<create><CLASS><CLASSID>C8</CLASSID><NAME>n</NAME></CLASS></create>", entity="E100"
    )
    assert outcome.status == "success", outcome.errors
    created = rows(conn, "CLASS", '"CLASSID" = ?', "C8")[0]
    assert created["MEGAENTITYID"] == "E100"
    assert created["MEGAENTITYNAME"] == "East Entity"
    assert created["MEGAENTITYKEY"] == 1


def test_custom_object_and_custom_fields(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create><project_budget><NAME>FY24</NAME><PROJECTID>P1</PROJECTID>"
        "<FISCAL_YEAR>2024</FISCAL_YEAR><BUDGET_AMOUNT>1000.5</BUDGET_AMOUNT>"
        "<APPROVED>true</APPROVED></project_budget>"
        "<VENDOR><VENDORID>V5</VENDORID><NAME>n</NAME><VENDOR_RISK_TIER>high</VENDOR_RISK_TIER>"
        "<ONHOLD>false</ONHOLD></VENDOR></create>",
    )
    assert outcome.status == "success", outcome.errors
    assert [c.tag for c in body(outcome)] == ["project_budget", "vendor"]
    budget = rows(conn, "project_budget")[0]
    assert (budget["FISCAL_YEAR"], budget["BUDGET_AMOUNT"], budget["APPROVED"]) == (
        2024,
        "1000.5",
        "true",
    )
    vendor = rows(conn, "VENDOR", '"VENDORID" = ?', "V5")[0]
    assert vendor["VENDOR_RISK_TIER"] == "High"
    assert vendor["ONHOLD"] == "false"
    assert vendor["DISPLAYCONTACT.PRINTAS"] == "n"
    assert vendor["DISPLAYCONTACT.CONTACTNAME"] == "n (V5)"


def test_enum_value_outside_valid_values(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create><VENDOR><VENDORID>V6</VENDORID><NAME>n</NAME>"
        "<VENDOR_RISK_TIER>Extreme</VENDOR_RISK_TIER></VENDOR></create>",
    )
    assert outcome.errors[0].errorno == "BL03000018"
    assert "Low, Medium, High" in outcome.errors[0].description2


def test_entity_session_cannot_reach_other_entities_records(conn: sqlite3.Connection) -> None:
    _insert(conn, "LOCATIONENTITY", {"LOCATIONID": "E200", "NAME": "West"})
    run(conn, "<create><CLASS><CLASSID>CE1</CLASSID><NAME>n</NAME></CLASS></create>", entity="E100")
    private = rows(conn, "CLASS", '"CLASSID" = ?', "CE1")[0]
    outcome = run(
        conn,
        "<update><CLASS><CLASSID>CE1</CLASSID><NAME>x</NAME></CLASS></update>",
        entity="E200",
    )
    assert outcome.errors[0].errorno == "Cannot update non-existing CLASS with CLASSID=CE1."
    outcome = run(
        conn,
        f"<delete><object>CLASS</object><keys>{private['RECORDNO']}</keys></delete>",
        entity="E200",
    )
    assert outcome.status == "failure"
    outcome = run(
        conn,
        "<update><CLASS><CLASSID>CE1</CLASSID><NAME>y</NAME></CLASS></update>",
        entity="E100",
    )
    assert outcome.status == "success"


def test_draft_bill_does_not_post(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        "<create><APBILL><VENDORID>V1</VENDORID><WHENCREATED>02/01/2024</WHENCREATED>"
        "<ACTION>Draft</ACTION><APBILLITEMS><APBILLITEM><ACCOUNTNO>6000</ACCOUNTNO>"
        "<TRX_AMOUNT>4</TRX_AMOUNT></APBILLITEM></APBILLITEMS></APBILL></create>",
    )
    assert outcome.status == "success", outcome.errors
    bill = rows(conn, "APBILL")[0]
    assert (bill["STATE"], bill["RAWSTATE"], bill["WHENDUE"]) == ("Draft", "D", None)
    assert rows(conn, "GLDETAIL") == []


def test_recordnos_of_deleted_records_are_never_reused(conn: sqlite3.Connection) -> None:
    run(conn, "<create><CLASS><CLASSID>R1</CLASSID><NAME>n</NAME></CLASS></create>")
    first = rows(conn, "CLASS", '"CLASSID" = ?', "R1")[0]["RECORDNO"]
    run(conn, f"<delete><object>CLASS</object><keys>{first}</keys></delete>")
    run(conn, "<create><CLASS><CLASSID>R2</CLASSID><NAME>n</NAME></CLASS></create>")
    second = rows(conn, "CLASS", '"CLASSID" = ?', "R2")[0]["RECORDNO"]
    assert second == first + 1


def _bill(conn: sqlite3.Connection, amount: str) -> int:
    outcome = run(
        conn,
        "<create><APBILL><VENDORID>V1</VENDORID><WHENCREATED>02/01/2024</WHENCREATED>"
        "<WHENDUE>03/01/2024</WHENDUE><RECORDID>B-P</RECORDID><APBILLITEMS><APBILLITEM>"
        f"<ACCOUNTNO>6000</ACCOUNTNO><TRX_AMOUNT>{amount}</TRX_AMOUNT></APBILLITEM>"
        "</APBILLITEMS></APBILL></create>",
    )
    assert outcome.status == "success", outcome.errors
    return int(body(outcome)[0].findtext("RECORDNO"))


def _payment(bill: int, amount: str, vendor: str = "V1") -> str:
    return (
        "<create><APPYMT><FINANCIALENTITY>BANK1</FINANCIALENTITY>"
        f"<PAYMENTMETHOD>EFT</PAYMENTMETHOD><VENDORID>{vendor}</VENDORID>"
        "<PAYMENTDATE>03/05/2024</PAYMENTDATE><APPYMTDETAILS><APPYMTDETAIL>"
        f"<RECORDKEY>{bill}</RECORDKEY><TRX_PAYMENTAMOUNT>{amount}</TRX_PAYMENTAMOUNT>"
        "</APPYMTDETAIL></APPYMTDETAILS></APPYMT></create>"
    )


def test_payments_apply_to_bills_and_post(conn: sqlite3.Connection) -> None:
    _insert(
        conn,
        "CHECKINGACCOUNT",
        {"BANKACCOUNTID": "BANK1", "BANKACCOUNTNO": "1", "GLACCOUNTNO": "1000"},
    )
    bill = _bill(conn, "100")
    outcome = run(conn, _payment(bill, "40"))
    assert outcome.status == "success", outcome.errors
    stored = rows(conn, "APBILL", '"RECORDNO" = ?', bill)[0]
    assert (stored["TOTALPAID"], stored["TOTALDUE"], stored["STATE"]) == (
        "40",
        "60",
        "Partially Paid",
    )
    assert run(conn, _payment(bill, "60.01")).errors[0].description == "Payment exceeds amount due"
    second = run(conn, _payment(bill, "60"))
    stored = rows(conn, "APBILL", '"RECORDNO" = ?', bill)[0]
    assert (stored["TOTALDUE"], stored["STATE"], stored["WHENPAID"]) == ("0", "Paid", "2024-03-05")
    payment_no = int(body(second)[0].findtext("RECORDNO"))
    detail = rows(
        conn,
        "GLDETAIL",
        '"MODULEKEY" = ? AND "BATCH_TITLE" LIKE ? AND "BOOKID" = ?',
        "3.AP",
        "Payment %",
        "ACCRUAL",
    )
    assert {
        (d["ACCOUNTNO"], d["DEBITAMOUNT"], d["CREDITAMOUNT"])
        for d in detail
        if d["BATCH_NO"] == payment_no
    } == {
        ("2000", "60", "0"),
        ("1000", "0", "60"),
    }
    assert (
        run(conn, f"<delete><object>APPYMT</object><keys>{payment_no}</keys></delete>").status
        == "success"
    )
    stored = rows(conn, "APBILL", '"RECORDNO" = ?', bill)[0]
    assert (stored["TOTALDUE"], stored["STATE"], stored["WHENPAID"]) == (
        "60",
        "Partially Paid",
        None,
    )
    assert run(conn, _payment(bill, "1", vendor="V2")).status == "failure"


def test_due_date_from_term_rules() -> None:
    from intacct_sandbox.functions.derive import due_date_from_term

    days_after = {"DUEDAYS": 30, "DUEFROM": "from invoice/bill date"}
    assert due_date_from_term(days_after, "2024-01-31") == "2024-03-01"
    of_month = {"DUEDAYS": 31, "DUEFROM": "of the month of invoice/bill date"}
    assert due_date_from_term(of_month, "2024-02-10") == "2024-02-29"
    assert due_date_from_term(None, "2024-02-10") is None


def test_delete_refused_while_records_use_it(conn: sqlite3.Connection) -> None:
    _bill(conn, "5")
    vendor = rows(conn, "VENDOR", '"VENDORID" = ?', "V1")[0]
    outcome = run(
        conn, f"<delete><object>VENDOR</object><keys>{vendor['RECORDNO']}</keys></delete>"
    )
    assert outcome.status == "failure"
    assert outcome.errors[0].description == "Record in use"
    assert "apbill" in outcome.errors[0].description2
    assert rows(conn, "VENDOR", '"VENDORID" = ?', "V1")
    unused = rows(conn, "CLASS", '"CLASSID" = ?', "C1")[0]
    assert (
        run(
            conn, f"<delete><object>CLASS</object><keys>{unused['RECORDNO']}</keys></delete>"
        ).status
        == "success"
    )


def test_lower_case_payload_and_tolerated_date_forms(conn: sqlite3.Connection) -> None:
    """Fyle sends lower-case GLBATCH element names; hotglue ISO dates; Fyle M/D/YYYY."""
    outcome = run(
        conn,
        "<create><glbatch><journal>GJ</journal><batch_date>2024-03-05</batch_date>"
        "<batch_title>lower</batch_title><entries>"
        "<glentry><accountno>6000</accountno><tr_type>1</tr_type><amount>2</amount></glentry>"
        "<glentry><accountno>1000</accountno><tr_type>-1</tr_type><amount>2</amount></glentry>"
        "</entries></glbatch>"
        "<APBILL><VENDORID>V1</VENDORID><WHENCREATED>3/5/2024</WHENCREATED>"
        "<WHENDUE>4/5/2024</WHENDUE><APBILLITEMS><APBILLITEM><ACCOUNTNO>6000</ACCOUNTNO>"
        "<AMOUNT>1</AMOUNT></APBILLITEM></APBILLITEMS></APBILL></create>",
    )
    assert outcome.status == "success", outcome.errors
    assert rows(conn, "GLBATCH")[0]["BATCH_DATE"] == "2024-03-05"
    assert [line["TRX_AMOUNT"] for line in rows(conn, "GLENTRY")] == ["2", "2"]
    bill = rows(conn, "APBILL")[0]
    assert (bill["WHENCREATED"], bill["WHENDUE"], bill["TOTALENTERED"]) == (
        "2024-03-05",
        "2024-04-05",
        "1",
    )


@pytest.mark.parametrize(
    "xml",
    [
        "<create><VENDOR><VENDORID>Z1</VENDORID><NAME>n</NAME><CREDITLIMIT>1e400</CREDITLIMIT>"
        "</VENDOR></create>",
        "<create><project_budget><NAME>x</NAME><FISCAL_YEAR>99999999999999999999999</FISCAL_YEAR>"
        "</project_budget></create>",
        "<create><VENDOR/></create>",
        "<create/>",
        "<delete/>",
        "<delete><object>VENDOR</object><keys>,,,</keys></delete>",
        "<update><VENDOR><VENDORID></VENDORID></VENDOR></update>",
        "<create><GLBATCH><ENTRIES>text</ENTRIES></GLBATCH></create>",
        "<create_invoice/>",
        "<create_invoice><customerid>CU1</customerid><datecreated><year>x</year></datecreated>"
        "</create_invoice>",
        '<update_invoice key="abc"/>',
        "<delete_vendor/>",
    ],
)
def test_hostile_payloads_fail_cleanly(conn: sqlite3.Connection, xml: str) -> None:
    outcome = run(conn, xml)
    assert outcome.status == "failure"
    assert outcome.errors
    assert not outcome.writes
