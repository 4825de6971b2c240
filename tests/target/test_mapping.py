"""Unit tests: unified records become the Intacct payloads docs/protocol.md describes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from target_helpers import ListingClient, bill, item, journal_entry
from target_intacct.compare import same_fields, same_lines
from target_intacct.controlids import function_controlid
from target_intacct.mapping.base import Refs, WriteSettings
from target_intacct.mapping.bills import BillsSpec
from target_intacct.mapping.invoices import InvoicesSpec
from target_intacct.mapping.journal_entries import JournalEntriesSpec
from target_intacct.mapping.native import NativeSpec
from target_intacct.mapping.parties import CustomersSpec, VendorsSpec
from target_intacct.records import RecordRejected
from target_intacct.references import ReferenceResolver

LISTINGS = {
    "GLACCOUNT": [
        {"ACCOUNTNO": "6000", "TITLE": "Office Supplies"},
        {"ACCOUNTNO": "2000", "TITLE": "Accounts Payable"},
        {"ACCOUNTNO": "4000", "TITLE": "Sales"},
    ],
    "VENDOR": [
        {"VENDORID": "V100", "NAME": "Smith & Sons"},
        {"VENDORID": "V200", "NAME": "Acme"},
        {"VENDORID": "V201", "NAME": "Acme"},
    ],
    "CUSTOMER": [{"CUSTOMERID": "C1", "NAME": "Café Zoë"}],
    "DEPARTMENT": [{"DEPARTMENTID": "D10", "TITLE": "Sales"}],
    "LOCATION": [{"LOCATIONID": "L1", "NAME": "Head Office"}],
    "CLASS": [],
}


@pytest.fixture
def resolver() -> ReferenceResolver:
    return ReferenceResolver(ListingClient(LISTINGS))


def test_journal_entry_maps_to_glbatch(resolver: ReferenceResolver) -> None:
    data = journal_entry()
    data["lines"][0].update(department="Sales", location="L1", description='Pens "blue"')
    data["lines"][1] = {
        "accountName": "Accounts Payable",
        "amount": Decimal("100.10"),
        "postingType": "credit",
    }
    record = item("JournalEntries", data)
    spec = JournalEntriesSpec()
    prepared = spec.prepare(record, Refs(resolver, record), WriteSettings())
    payload = prepared.payload
    assert payload["JOURNAL"] == "GJ"
    assert payload["BATCH_DATE"] == "03/31/2024"
    assert payload["REFERENCENO"] == "JE-1"
    assert payload["BATCH_TITLE"] == "Accrual"
    first, second = payload["ENTRIES"]["GLENTRY"]
    assert first == {
        "ACCOUNTNO": "6000",
        "TR_TYPE": 1,
        "TRX_AMOUNT": Decimal("100.10"),
        "DESCRIPTION": 'Pens "blue"',
        "LOCATION": "L1",
        "DEPARTMENT": "D10",
    }
    assert second["ACCOUNTNO"] == "2000"
    assert second["TR_TYPE"] == -1
    assert prepared.natural_key == ("JE-1", "GJ")
    function = spec.create_function(prepared, "cid")
    assert function.name == "create"
    assert "GLBATCH" in function.payload


def test_default_journal_is_used(resolver: ReferenceResolver) -> None:
    data = journal_entry()
    del data["journal"]
    record = item("JournalEntries", data)
    prepared = JournalEntriesSpec().prepare(
        record, Refs(resolver, record), WriteSettings(default_journal="ADJ")
    )
    assert prepared.payload["JOURNAL"] == "ADJ"


def test_bill_maps_to_apbill(resolver: ReferenceResolver) -> None:
    data = bill(vendorId=None, vendorName="Smith & Sons", reference="PO-9", currency="USD")
    data["lineItems"][0].update(description="Paper", department="D10")
    record = item("Bills", data)
    prepared = BillsSpec().prepare(record, Refs(resolver, record), WriteSettings())
    payload = prepared.payload
    assert payload["VENDORID"] == "V100"
    assert payload["RECORDID"] == "B-1"
    assert payload["WHENCREATED"] == "02/01/2024"
    assert payload["WHENDUE"] == "03/01/2024"
    assert payload["DOCNUMBER"] == "PO-9"
    assert payload["APBILLITEMS"]["APBILLITEM"] == [
        {
            "ACCOUNTNO": "6000",
            "TRX_AMOUNT": Decimal("250.00"),
            "ENTRYDESCRIPTION": "Paper",
            "DEPARTMENTID": "D10",
        }
    ]
    assert prepared.natural_key == ("B-1", "V100")


def test_ambiguous_vendor_name_lists_candidates(resolver: ReferenceResolver) -> None:
    record = item("Bills", bill(vendorId=None, vendorName="Acme"), position=4)
    with pytest.raises(RecordRejected) as info:
        BillsSpec().prepare(record, Refs(resolver, record), WriteSettings())
    message = str(info.value)
    assert "Bills record #4" in message
    assert "vendorName" in message
    assert "ambiguous" in message
    assert "V200" in message
    assert "V201" in message
    assert info.value.code == "TI-REFERENCE"


def test_unknown_account_name_lists_close_candidates(resolver: ReferenceResolver) -> None:
    data = bill()
    data["lineItems"][0] = {"accountName": "Office Supply", "amount": Decimal(5)}
    record = item("Bills", data)
    with pytest.raises(RecordRejected) as info:
        BillsSpec().prepare(record, Refs(resolver, record), WriteSettings())
    message = str(info.value)
    assert "lineItems[0].accountName" in message
    assert "unknown GL account name 'Office Supply'" in message
    assert "'Office Supplies'" in message


def test_account_number_must_exist(resolver: ReferenceResolver) -> None:
    data = bill()
    data["lineItems"][0]["accountNumber"] = "9999"
    record = item("Bills", data)
    with pytest.raises(RecordRejected) as info:
        BillsSpec().prepare(record, Refs(resolver, record), WriteSettings())
    assert "ACCOUNTNO '9999'" in str(info.value)


def test_references_are_listed_once_per_object(resolver: ReferenceResolver) -> None:
    spec = BillsSpec()
    for position in range(1, 6):
        record = item("Bills", bill(billNumber=f"B-{position}"), position)
        spec.prepare(record, Refs(resolver, record), WriteSettings())
    client = resolver._client
    assert isinstance(client, ListingClient)
    assert sorted(client.calls) == ["GLACCOUNT", "VENDOR"]


def test_invoice_uses_ordered_legacy_elements(resolver: ReferenceResolver) -> None:
    data = {
        "invoiceNumber": "INV-1",
        "customerName": "Café Zoë",
        "issueDate": "2024-01-31",
        "paymentTerm": "Net 30",
        "poNumber": "PO-1",
        "lineItems": [{"accountNumber": "4000", "amount": "99.5", "description": "Consulting"}],
    }
    record = item("Invoices", data)
    spec = InvoicesSpec()
    prepared = spec.prepare(record, Refs(resolver, record), WriteSettings())
    assert list(prepared.payload) == [
        "customerid",
        "datecreated",
        "termname",
        "invoiceno",
        "ponumber",
        "invoiceitems",
    ]
    assert prepared.payload["datecreated"] == {"year": 2024, "month": 1, "day": 31}
    assert prepared.payload["invoiceitems"]["lineitem"] == [
        {"glaccountno": "4000", "amount": Decimal("99.50"), "memo": "Consulting"}
    ]
    assert spec.create_function(prepared, "c").name == "create_invoice"


def test_vendor_nests_contact_and_address(resolver: ReferenceResolver) -> None:
    data = {
        "id": "V9",
        "name": "O'Brien & Søn",
        "email": "ap@obrien.example",
        "contactFirstName": "Siobhán",
        "address": {"line1": "1 Main St", "city": "Cork", "country": "Ireland"},
    }
    record = item("Vendors", data)
    prepared = VendorsSpec().prepare(record, Refs(resolver, record), WriteSettings())
    payload = prepared.payload
    assert payload["VENDORID"] == "V9"
    assert payload["NAME"] == "O'Brien & Søn"
    contact = payload["DISPLAYCONTACT"]
    assert contact["PRINTAS"] == "O'Brien & Søn"
    assert contact["FIRSTNAME"] == "Siobhán"
    assert contact["EMAIL1"] == "ap@obrien.example"
    assert contact["MAILADDRESS"] == {"ADDRESS1": "1 Main St", "CITY": "Cork", "COUNTRY": "Ireland"}
    assert prepared.header["DISPLAYCONTACT.MAILADDRESS.CITY"] == "Cork"
    assert prepared.natural_key == ("id", "V9")


def test_customer_without_id_is_keyed_by_name(resolver: ReferenceResolver) -> None:
    record = item("Customers", {"name": "Zoë Ltd", "creditLimit": Decimal("5000")})
    prepared = CustomersSpec().prepare(record, Refs(resolver, record), WriteSettings())
    assert prepared.natural_key == ("name", "Zoë Ltd")
    assert prepared.payload["CREDITLIMIT"] == Decimal("5000.00")
    assert "CUSTOMERID" not in prepared.payload


def test_native_record_with_recordno_is_an_update(resolver: ReferenceResolver) -> None:
    spec = NativeSpec("CLASS")
    record = item("CLASS", {"RECORDNO": "12", "NAME": "Retail", "CLASSID": "C-R"})
    prepared = spec.prepare(record, Refs(resolver, record), WriteSettings())
    assert prepared.natural_key == ("RECORDNO", "12")
    function = spec.update_function(prepared, {"RECORDNO": "12"}, "cid")
    assert function.name == "update"
    assert function.payload == {"CLASS": {"RECORDNO": "12", "NAME": "Retail", "CLASSID": "C-R"}}
    other = item("CLASS", {"NAME": "Retail", "CLASSID": "C-R"})
    assert spec.prepare(other, Refs(resolver, other), WriteSettings()).natural_key == (
        "CLASSID",
        "C-R",
    )


def test_native_field_unknown_to_lookup_is_rejected_by_name() -> None:
    client = ListingClient({}, fields={"CLASS": ["RECORDNO", "CLASSID", "NAME", "DESCRIPTION"]})
    resolver = ReferenceResolver(client)
    spec = NativeSpec("CLASS")
    good = item("CLASS", {"CLASSID": "C-1", "name": "Retail", "DESCRIPTION": "ok"})
    assert spec.prepare(good, Refs(resolver, good), WriteSettings()).natural_key == (
        "CLASSID",
        "C-1",
    )
    bad = item("CLASS", {"CLASSID": "C-2", "DESCRIPTOIN": "typo"}, position=2)
    with pytest.raises(RecordRejected) as rejected:
        spec.prepare(bad, Refs(resolver, bad), WriteSettings())
    assert rejected.value.code == "TI-SCHEMA"
    assert rejected.value.field == "DESCRIPTOIN"
    assert "CLASS record #2" in str(rejected.value)
    assert client.calls.count("lookup CLASS") == 1  # once per object per run


def test_comparison_reads_intacct_text() -> None:
    from datetime import date

    assert same_fields(
        {"TRX_AMOUNT": Decimal("100.00"), "WHENCREATED": date(2024, 1, 31), "STATUS": "active"},
        {"TRX_AMOUNT": "100", "WHENCREATED": "01/31/2024", "STATUS": "Active"},
    )
    assert not same_fields({"NAME": "A & B"}, {"NAME": "A &amp; B"})
    assert same_lines(
        [
            {"ACCOUNTNO": "1", "TR_TYPE": 1, "TRX_AMOUNT": Decimal("5.00")},
            {"ACCOUNTNO": "2", "TR_TYPE": -1, "TRX_AMOUNT": Decimal("5.00")},
        ],
        [
            {"ACCOUNTNO": "2", "TR_TYPE": "-1", "TRX_AMOUNT": "5"},
            {"ACCOUNTNO": "1", "TR_TYPE": "1", "TRX_AMOUNT": "5.00"},
        ],
    )
    assert not same_lines([{"ACCOUNTNO": "1"}], [{"ACCOUNTNO": "1"}, {"ACCOUNTNO": "2"}])


def test_controlids_are_deterministic_and_content_addressed() -> None:
    first = function_controlid("Bills", "create", ("B-1", "V1"), {"A": Decimal("1.00")})
    again = function_controlid("Bills", "create", ("B-1", "V1"), {"A": Decimal("1.00")})
    changed = function_controlid("Bills", "create", ("B-1", "V1"), {"A": Decimal("2.00")})
    update = function_controlid(
        "Bills", "update", ("B-1", "V1"), {"A": Decimal("1.00")}, {"WHENMODIFIED": "x"}
    )
    assert first == again
    assert len({first, changed, update}) == 3
    assert first.startswith("ti-Bills-create-")
    assert len(first) <= 256


def test_native_nested_fields_are_compared_by_dotted_name(resolver: ReferenceResolver) -> None:
    spec = NativeSpec("VENDOR")
    record = item("VENDOR", {"VENDORID": "V1", "NAME": "A", "DISPLAYCONTACT": {"EMAIL1": "a@x"}})
    prepared = spec.prepare(record, Refs(resolver, record), WriteSettings())
    assert prepared.header == {"VENDORID": "V1", "NAME": "A", "DISPLAYCONTACT.EMAIL1": "a@x"}
    assert prepared.comparable
    assert prepared.remember == ("vendor", "V1", "A")  # later bills may name it
    with_lines = item("GLBATCH", {"JOURNAL": "GJ", "ENTRIES": {"GLENTRY": [{"A": 1}, {"A": 2}]}})
    prepared_lines = NativeSpec("GLBATCH").prepare(
        with_lines, Refs(resolver, with_lines), WriteSettings()
    )
    assert not prepared_lines.comparable
