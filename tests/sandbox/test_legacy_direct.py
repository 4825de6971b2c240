"""Legacy functions through `execute_function` on a demo-seeded temp database.

Each call runs inside a SAVEPOINT that is rolled back on failure, as the gateway does.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET
from intacct_sandbox.catalog import get_object
from intacct_sandbox.functions import FunctionOutcome
from sandbox_direct import call_context, run_in_savepoint, table_rows

NOW = datetime(2024, 6, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def conn(demo_conn: sqlite3.Connection) -> sqlite3.Connection:
    """A private copy of the demo seed (tests/sandbox/conftest.py)."""
    return demo_conn


def run(conn: sqlite3.Connection, xml: str, user: str = "sandbox_user") -> FunctionOutcome:
    return run_in_savepoint(conn, xml, call_context(conn, NOW, user))


def rows(conn: sqlite3.Connection, name: str, where: str = "1=1", *params: Any) -> list[dict]:
    return table_rows(conn, name, where, *params)


def key_of(outcome: FunctionOutcome) -> str:
    assert outcome.status == "success", outcome.errors
    node = SafeET.fromstring(outcome.body)
    assert node.tag == "key"
    return node.text or ""


INVOICE = """<create_invoice>
  <customerid>C00002</customerid>
  <datecreated><year>2024</year><month>5</month><day>31</day></datecreated>
  <datedue><year>2024</year><month>6</month><day>30</day></datedue>
  <invoiceno>INV-T-1</invoiceno>
  <ponumber>PO-9</ponumber>
  <description>Zoë &amp; "friends"</description>
  <currency>USD</currency>
  <invoiceitems>
    <lineitem><glaccountno>4000</glaccountno><amount>100.50</amount><memo>Consulting</memo>
      <locationid>L110</locationid><departmentid>D200</departmentid></lineitem>
    <lineitem><glaccountno>4000</glaccountno><amount>20</amount><classid>C-SMB</classid></lineitem>
  </invoiceitems>
</create_invoice>"""


def test_create_invoice_returns_recordno_key(conn: sqlite3.Connection) -> None:
    key = key_of(run(conn, INVOICE))
    invoice = rows(conn, "ARINVOICE", '"RECORDNO" = ?', int(key))[0]
    assert invoice["CUSTOMERID"] == "C00002"
    assert invoice["CUSTOMERNAME"] == "Zoë's Bakery"
    assert invoice["RECORDID"] == "INV-T-1"
    assert invoice["DOCNUMBER"] == "PO-9"
    assert invoice["DESCRIPTION"] == 'Zoë & "friends"'
    assert invoice["WHENCREATED"] == "2024-05-31"
    assert invoice["WHENDUE"] == "2024-06-30"
    assert invoice["TOTALENTERED"] == "120.5"
    assert invoice["STATE"] == "Posted"
    items = rows(conn, "ARINVOICEITEM", '"RECORDKEY" = ?', int(key))
    assert [(i["ACCOUNTNO"], i["TRX_AMOUNT"], i["LINE_NO"]) for i in items] == [
        ("4000", "100.5", 1),
        ("4000", "20", 2),
    ]
    assert items[0]["ENTRYDESCRIPTION"] == "Consulting"
    assert items[0]["LOCATIONID"] == "L110"
    assert items[1]["CLASSID"] == "C-SMB"
    detail = rows(
        conn,
        "GLDETAIL",
        '"MODULEKEY" = ? AND "BATCH_NO" = ? AND "BOOKID" = ?',
        "4.AR",
        int(key),
        "ACCRUAL",
    )
    assert sum(Decimal(d["DEBITAMOUNT"]) for d in detail) == Decimal("120.5")
    assert sum(Decimal(d["CREDITAMOUNT"]) for d in detail) == Decimal("120.5")
    audit = rows(conn, "AUDITHISTORY", '"OBJECTTYPE" = ? AND "OBJECTKEY" = ?', "arinvoice", key)
    assert [a["ACCESSMODE"] for a in audit] == ["C"]


def test_create_invoice_wrong_order_is_schema_error(conn: sqlite3.Connection) -> None:
    before = len(rows(conn, "ARINVOICE"))
    swapped = INVOICE.replace(
        "<invoiceno>INV-T-1</invoiceno>\n  <ponumber>PO-9</ponumber>",
        "<ponumber>PO-9</ponumber>\n  <invoiceno>INV-T-1</invoiceno>",
    )
    outcome = run(conn, swapped)
    assert outcome.status == "failure"
    assert outcome.errors[0].errorno == "XL03000003"
    assert "Element 'invoiceno'" in outcome.errors[0].description2
    assert len(rows(conn, "ARINVOICE")) == before


def test_create_invoice_line_order_and_unknown_element(conn: sqlite3.Connection) -> None:
    bad_line = INVOICE.replace(
        "<amount>20</amount><classid>", "<classid>C-SMB</classid><amount>20</amount><x>"
    )
    bad_line = bad_line.replace("<x>C-SMB</classid>", "")
    outcome = run(conn, bad_line)
    assert outcome.errors[0].errorno == "XL03000003"
    outcome = run(conn, INVOICE.replace("<ponumber>", "<colour>red</colour><ponumber>"))
    assert outcome.errors[0].errorno == "XL03000003"
    assert "colour" in outcome.errors[0].description2


def test_create_invoice_business_errors(conn: sqlite3.Connection) -> None:
    outcome = run(conn, INVOICE.replace("C00002", "NOPE"))
    assert outcome.errors[0].description2.startswith("Invalid Customer 'NOPE' specified.")
    assert outcome.errors[1].description2 == "Could not create AR Invoice record!"
    no_due = INVOICE.replace(
        "<datedue><year>2024</year><month>6</month><day>30</day></datedue>", ""
    )
    outcome = run(conn, no_due)
    assert "WHENDUE" in outcome.errors[0].description2
    term_object = "ARTERM" if get_object("ARTERM") is not None else "APTERM"
    created_term = run(
        conn,
        f"<create><{term_object}><NAME>Thirty days</NAME><DUEDAYS>30</DUEDAYS>"
        f"<DUEFROM>from invoice/bill date</DUEFROM></{term_object}></create>",
    )
    assert created_term.status == "success", created_term.errors
    with_term = no_due.replace("<invoiceno>", "<termname>Thirty days</termname><invoiceno>")
    key = key_of(run(conn, with_term))
    assert rows(conn, "ARINVOICE", '"RECORDNO" = ?', int(key))[0]["WHENDUE"] == "2024-06-30"
    bad_date = INVOICE.replace("<day>31</day>", "<day>32</day>")
    assert run(conn, bad_date).errors[0].errorno == "BL03000018"


def test_create_bill_and_gltransaction(conn: sqlite3.Connection) -> None:
    bill_key = key_of(
        run(
            conn,
            "<create_bill><vendorid>V00001</vendorid>"
            "<datecreated><year>2024</year><month>5</month><day>1</day></datecreated>"
            "<termname>Net 15</termname><billno>B-77</billno><description>d</description>"
            "<billitems><lineitem><glaccountno>6000</glaccountno><amount>9.99</amount>"
            "<memo>m</memo></lineitem></billitems></create_bill>",
        )
    )
    bill = rows(conn, "APBILL", '"RECORDNO" = ?', int(bill_key))[0]
    assert (bill["RECORDID"], bill["WHENDUE"], bill["TOTALDUE"]) == ("B-77", "2024-05-16", "9.99")
    je_key = key_of(
        run(
            conn,
            "<create_gltransaction><journalid>GJ</journalid>"
            "<datecreated><year>2024</year><month>5</month><day>2</day></datecreated>"
            "<description>legacy je</description><referenceno>R-1</referenceno>"
            "<gltransactionentries>"
            "<glentry><trtype>debit</trtype><amount>5</amount><glaccountno>6000</glaccountno>"
            "<memo>a</memo><locationid>L110</locationid></glentry>"
            "<glentry><trtype>credit</trtype><amount>5</amount><glaccountno>1000</glaccountno></glentry>"
            "</gltransactionentries></create_gltransaction>",
        )
    )
    lines = rows(conn, "GLENTRY", '"BATCHNO" = ?', int(je_key))
    assert [(line["TR_TYPE"], line["DESCRIPTION"], line["LOCATION"]) for line in lines] == [
        (1, "a", "L110"),
        (-1, None, None),
    ]
    assert rows(conn, "GLBATCH", '"RECORDNO" = ?', int(je_key))[0]["REFERENCENO"] == "R-1"


def test_create_class_get_list_and_get(conn: sqlite3.Connection) -> None:
    assert (
        key_of(
            run(
                conn,
                "<create_class><classid>C-NEW</classid><name>New &amp; Co</name></create_class>",
            )
        )
        == "C-NEW"
    )
    outcome = run(conn, '<get_list object="class" maxitems="2"/>')
    assert outcome.status == "success"
    parts = SafeET.fromstring(f"<r>{outcome.body}</r>")
    listtype, data = parts[0], parts[1]
    total = len(rows(conn, "CLASS"))
    assert listtype.tag == "listtype"
    assert listtype.text == "class"
    assert listtype.attrib == {"start": "0", "end": "1", "total": str(total)}
    assert [c.tag for c in data] == ["class", "class"]
    assert data[0][0].tag == "key"
    outcome = run(conn, '<get object="class" key="C-NEW"/>')
    record = SafeET.fromstring(outcome.body)[0]
    assert record.findtext("key") == "C-NEW"
    assert record.findtext("name") == "New & Co"
    assert record.findtext("status") == "active"


def test_delete_vendor_by_attribute(conn: sqlite3.Connection) -> None:
    assert (
        run(
            conn, "<create><VENDOR><VENDORID>VDEL</VENDORID><NAME>x</NAME></VENDOR></create>"
        ).status
        == "success"
    )
    outcome = run(conn, '<delete_vendor vendorid="VDEL"/>')
    assert outcome.status == "success"
    assert outcome.body == ""
    assert rows(conn, "VENDOR", '"VENDORID" = ?', "VDEL") == []
    outcome = run(conn, '<delete_vendor vendorid="VDEL"/>')
    assert outcome.errors[0].description2 == "Cannot find vendor with key 'VDEL' to delete."


def test_supdoc_folder_create_and_get(conn: sqlite3.Connection) -> None:
    seeded_body = run(conn, '<get_list object="supdoc"/>').body
    seeded = int(SafeET.fromstring(f"<r>{seeded_body}</r>")[0].attrib["total"])
    assert (
        key_of(
            run(
                conn,
                "<create_supdocfolder><supdocfoldername>Bills</supdocfoldername></create_supdocfolder>",
            )
        )
        == "Bills"
    )
    key = key_of(
        run(
            conn,
            "<create_supdoc><supdocid>DOC1</supdocid><supdocname>Receipt</supdocname>"
            "<supdocfoldername>Bills</supdocfoldername><attachments><attachment>"
            "<attachmentname>r</attachmentname><attachmenttype>pdf</attachmenttype>"
            "<attachmentdata>aGVsbG8=</attachmentdata></attachment></attachments></create_supdoc>",
        )
    )
    assert key == "DOC1"
    record = SafeET.fromstring(run(conn, '<get object="supdoc" key="DOC1"/>').body)[0]
    assert record.findtext("supdocname") == "Receipt"
    assert record.findtext("attachments/attachment/attachmentdata") == "aGVsbG8="
    listed_body = run(conn, '<get_list object="supdoc"/>').body
    listed = SafeET.fromstring(f"<r>{listed_body}</r>")
    assert listed[0].attrib["total"] == str(seeded + 1)
    dup = run(
        conn,
        "<create_supdoc><supdocid>DOC1</supdocid><supdocfoldername>Bills</supdocfoldername></create_supdoc>",
    )
    assert dup.errors[0].errorno == "BL34000061"


def test_readonly_user_cannot_create_invoice(conn: sqlite3.Connection) -> None:
    outcome = run(conn, INVOICE, user="readonly_user")
    assert outcome.errors[0].errorno == "PL04000005"


def test_update_invoice_appends_and_changes_lines(conn: sqlite3.Connection) -> None:
    key = key_of(run(conn, INVOICE))
    outcome = run(
        conn,
        f'<update_invoice key="{key}"><description>changed</description><updateinvoiceitems>'
        '<updatelineitem line_num="2"><amount>25</amount></updatelineitem>'
        "<lineitem><glaccountno>4000</glaccountno><amount>1</amount></lineitem>"
        "</updateinvoiceitems></update_invoice>",
    )
    assert outcome.status == "success", outcome.errors
    assert outcome.body == ""
    invoice = rows(conn, "ARINVOICE", '"RECORDNO" = ?', int(key))[0]
    assert invoice["DESCRIPTION"] == "changed"
    assert invoice["TOTALENTERED"] == "126.5"
    items = rows(conn, "ARINVOICEITEM", '"RECORDKEY" = ?', int(key))
    assert [(i["LINE_NO"], i["TRX_AMOUNT"]) for i in items] == [(1, "100.5"), (2, "25"), (3, "1")]
    assert items[0]["LOCATIONID"] == "L110"
    missing = run(
        conn, '<update_invoice key="999999"><description>x</description></update_invoice>'
    )
    assert missing.errors[0].errorno.startswith("Cannot update non-existing ARINVOICE")


def test_get_list_filter_sorts_and_fields(conn: sqlite3.Connection) -> None:
    outcome = run(
        conn,
        '<get_list object="class"><filter><logical logical_operator="or">'
        "<expression><field>classid</field><operator>=</operator><value>C-SMB</value></expression>"
        "<expression><field>name</field><operator>like</operator><value>Enterprise%</value>"
        '</expression></logical></filter><sorts><sortfield order="desc">classid</sortfield>'
        "</sorts><fields><field>classid</field><field>name</field></fields></get_list>",
    )
    assert outcome.status == "success", outcome.errors
    parts = SafeET.fromstring(f"<r>{outcome.body}</r>")
    assert parts[0].attrib == {"start": "0", "end": "2", "total": "3"}
    records = parts[1]
    assert [r.findtext("classid") for r in records] == ["C-SMB", "C-ENT-NA", "C-ENT"]
    assert [c.tag for c in records[0]] == ["classid", "name"]


def test_supdoc_folder_lookup_update_and_delete(conn: sqlite3.Connection) -> None:
    run(
        conn, "<create_supdocfolder><supdocfoldername>Fyle</supdocfoldername></create_supdocfolder>"
    )
    run(
        conn,
        "<create_supdoc><supdocid>D2</supdocid><supdocfoldername>Fyle</supdocfoldername>"
        "<attachments><attachment><attachmentname>a</attachmentname>"
        "<attachmenttype>txt</attachmenttype><attachmentdata>YQ==</attachmentdata>"
        "</attachment></attachments></create_supdoc>",
    )
    folders = run(
        conn,
        '<get_list object="supdocfolder"><filter><expression><field>name</field>'
        "<operator>=</operator><value>Fyle</value></expression></filter></get_list>",
    )
    listed = SafeET.fromstring(f"<r>{folders.body}</r>")
    assert listed[1].findtext("supdocfolder/name") == "Fyle"
    updated = run(
        conn,
        "<update_supdoc><supdocid>D2</supdocid><supdocdescription>more</supdocdescription>"
        "<attachments><attachment><attachmentname>b</attachmentname>"
        "<attachmenttype>txt</attachmenttype><attachmentdata>Yg==</attachmentdata>"
        "</attachment></attachments></update_supdoc>",
    )
    assert key_of(updated) == "D2"
    record = SafeET.fromstring(run(conn, '<get object="supdoc" key="D2"/>').body)[0]
    assert record.findtext("description") == "more"
    assert [a.findtext("attachmentname") for a in record.find("attachments")] == ["a", "b"]
    assert run(conn, '<delete_supdoc key="D2"/>').status == "success"
    gone = run(conn, '<get object="supdoc" key="D2"/>')
    assert gone.status == "failure"
    assert gone.errors[0].description2 == "Cannot find supdoc with key 'D2'."
    assert run(conn, '<delete_supdoc key="D2"/>').status == "failure"
