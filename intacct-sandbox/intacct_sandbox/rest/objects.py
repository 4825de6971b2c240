"""REST object names and field paths, mapped onto the sandbox catalog.

REST names objects `<application>/<object>` and writes fields camelCase, nesting groups
(`contacts.default.mailingAddress.city`) and references (`vendor.id`). Each REST object
here is one catalog object plus a map from REST field path to catalog field id; fields
without a REST counterpart are simply not exposed. Names follow Sage's OpenAPI
descriptions (docs/protocol-rest.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from intacct_sandbox.catalog import FieldDef, ObjectDef, get_object

# Fields every catalog object shares, under their REST names.
_AUDIT = {
    "audit.createdDateTime": "WHENCREATED",
    "audit.modifiedDateTime": "WHENMODIFIED",
    "audit.createdBy": "CREATEDBY",
    "audit.modifiedBy": "MODIFIEDBY",
    "entity.key": "MEGAENTITYKEY",
    "entity.id": "MEGAENTITYID",
    "entity.name": "MEGAENTITYNAME",
}


def _contact(prefix: str, source: str) -> dict[str, str]:
    """A contact group (`contacts.default`) over a catalog contact (`DISPLAYCONTACT`)."""
    return {
        f"{prefix}.id": f"{source}.CONTACTNAME",
        f"{prefix}.printAs": f"{source}.PRINTAS",
        f"{prefix}.companyName": f"{source}.COMPANYNAME",
        f"{prefix}.prefix": f"{source}.PREFIX",
        f"{prefix}.firstName": f"{source}.FIRSTNAME",
        f"{prefix}.middleName": f"{source}.INITIAL",
        f"{prefix}.lastName": f"{source}.LASTNAME",
        f"{prefix}.email1": f"{source}.EMAIL1",
        f"{prefix}.email2": f"{source}.EMAIL2",
        f"{prefix}.phone1": f"{source}.PHONE1",
        f"{prefix}.phone2": f"{source}.PHONE2",
        f"{prefix}.mailingAddress.addressLine1": f"{source}.MAILADDRESS.ADDRESS1",
        f"{prefix}.mailingAddress.addressLine2": f"{source}.MAILADDRESS.ADDRESS2",
        f"{prefix}.mailingAddress.city": f"{source}.MAILADDRESS.CITY",
        f"{prefix}.mailingAddress.state": f"{source}.MAILADDRESS.STATE",
        f"{prefix}.mailingAddress.postCode": f"{source}.MAILADDRESS.ZIP",
        f"{prefix}.mailingAddress.country": f"{source}.MAILADDRESS.COUNTRY",
    }


def _dimensions(**ids: str) -> dict[str, str]:
    return {f"dimensions.{name}.id": column for name, column in ids.items()}


_LINE_DIMENSIONS = _dimensions(
    location="LOCATIONID",
    department="DEPARTMENTID",
    project="PROJECTID",
    task="TASKID",
    customer="CUSTOMERID",
    vendor="VENDORID",
    employee="EMPLOYEEID",
    item="ITEMID",
    **{"class": "CLASSID"},
)

_SUBLEDGER_TOTALS = {
    "totalBaseAmount": "TOTALENTERED",
    "totalBaseAmountPaid": "TOTALPAID",
    "totalBaseAmountDue": "TOTALDUE",
    "totalTxnAmount": "TRX_TOTALENTERED",
    "totalTxnAmountPaid": "TRX_TOTALPAID",
    "totalTxnAmountDue": "TRX_TOTALDUE",
    "currency.txnCurrency": "CURRENCY",
    "currency.baseCurrency": "BASECURR",
    "state": "STATE",
    "isOnHold": "ONHOLD",
    "term.id": "TERMNAME",
    "description": "DESCRIPTION",
    "referenceNumber": "DOCNUMBER",
    "createdDate": "WHENCREATED",
    "postingDate": "WHENPOSTED",
    "dueDate": "WHENDUE",
    "paymentInformation.fullyPaidDate": "WHENPAID",
    "audit.createdDateTime": "AUWHENCREATED",
}

_SUBLEDGER_LINE = {
    "lineNumber": "LINE_NO",
    "glAccount.key": "ACCOUNTKEY",
    "glAccount.id": "ACCOUNTNO",
    "glAccount.name": "ACCOUNTTITLE",
    "baseAmount": "AMOUNT",
    "txnAmount": "TRX_AMOUNT",
    "currency.txnCurrency": "CURRENCY",
    "memo": "ENTRYDESCRIPTION",
    **_LINE_DIMENSIONS,
}


@dataclass(frozen=True)
class RestObject:
    """One REST object: its name, catalog object, and REST field path -> catalog id."""

    name: str
    catalog_name: str
    fields: dict[str, str]
    # REST value -> stored value, per REST field (e.g. journal line txnType debit -> 1)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    lines: str | None = None  # REST name of the owned line object, if any
    parent_ref: str | None = None  # on a line object: the REST path of the header key

    @cached_property
    def catalog(self) -> ObjectDef:
        obj = get_object(self.catalog_name)
        if obj is None:  # a programming error in the table below
            raise LookupError(f"REST object {self.name}: no catalog object {self.catalog_name}")
        return obj

    @cached_property
    def paths(self) -> dict[str, FieldDef]:
        """REST path -> catalog field, for the fields this catalog object really has."""
        out: dict[str, FieldDef] = {"key": self.catalog.field_map[self.catalog.key_field]}
        if self.catalog.id_field:
            out["id"] = self.catalog.field_map[self.catalog.id_field]
        merged = {**_AUDIT, **self.fields}
        for path, column in merged.items():
            fdef = self.catalog.field(column)
            if fdef is None:
                continue
            document_date = fdef.datatype != "TIMESTAMP" and column.startswith("WHEN")
            if path.startswith("audit.") and document_date:
                continue  # a document date (APBILL.WHENCREATED), not the audit stamp
            out[path] = fdef
        return out

    def field_for(self, path: str) -> FieldDef | None:
        return self.paths.get(path)

    def path_for(self, column: str) -> str | None:
        wanted = column.upper()
        for path, fdef in self.paths.items():
            if fdef.id.upper() == wanted:
                return path
        return None


_OBJECTS: tuple[RestObject, ...] = (
    RestObject(
        "accounts-payable/vendor",
        "VENDOR",
        {
            "name": "NAME",
            "status": "STATUS",
            "isOneTimeUse": "ONETIME",
            "vendorType.id": "VENDTYPE",
            "parent.key": "PARENTKEY",
            "parent.id": "PARENTID",
            "parent.name": "PARENTNAME",
            "taxId": "TAXID",
            "term.id": "TERMNAME",
            "currency": "CURRENCY",
            "creditLimit": "CREDITLIMIT",
            "totalDue": "TOTALDUE",
            "isOnHold": "ONHOLD",
            "vendorAccountNumber": "VENDORACCOUNTNO",
            "contacts.payTo.id": "PAYTOCONTACT.CONTACTNAME",
            "contacts.returnTo.id": "RETURNTOCONTACT.CONTACTNAME",
            **_contact("contacts.default", "DISPLAYCONTACT"),
        },
    ),
    RestObject(
        "accounts-receivable/customer",
        "CUSTOMER",
        {
            "name": "NAME",
            "status": "STATUS",
            "isOneTimeUse": "ONETIME",
            "isOnHold": "ONHOLD",
            "customerType.id": "CUSTTYPE",
            "parent.key": "PARENTKEY",
            "parent.id": "PARENTID",
            "parent.name": "PARENTNAME",
            "term.id": "TERMNAME",
            "currency": "CURRENCY",
            "creditLimit": "CREDITLIMIT",
            "totalDue": "TOTALDUE",
            **_contact("contacts.default", "DISPLAYCONTACT"),
        },
    ),
    RestObject(
        "accounts-payable/bill",
        "APBILL",
        {
            "id": "RECORDNO",
            "billNumber": "RECORDID",
            "vendor.id": "VENDORID",
            "vendor.name": "VENDORNAME",
            **_SUBLEDGER_TOTALS,
        },
        lines="accounts-payable/bill-line",
    ),
    RestObject(
        "accounts-payable/bill-line",
        "APBILLITEM",
        {"id": "RECORDNO", "bill.key": "RECORDKEY", **_SUBLEDGER_LINE},
        parent_ref="bill.key",
    ),
    RestObject(
        "accounts-receivable/invoice",
        "ARINVOICE",
        {
            "id": "RECORDNO",
            "invoiceNumber": "RECORDID",
            "customer.id": "CUSTOMERID",
            "customer.name": "CUSTOMERNAME",
            **_SUBLEDGER_TOTALS,
            "invoiceDate": "WHENCREATED",
        },
        lines="accounts-receivable/invoice-line",
    ),
    RestObject(
        "accounts-receivable/invoice-line",
        "ARINVOICEITEM",
        {"id": "RECORDNO", "invoice.key": "RECORDKEY", **_SUBLEDGER_LINE},
        parent_ref="invoice.key",
    ),
    RestObject(
        "general-ledger/journal-entry",
        "GLBATCH",
        {
            "id": "BATCHNO",
            "description": "BATCH_TITLE",
            "glJournal.id": "JOURNAL",
            "postingDate": "BATCH_DATE",
            "reverseDate": "REVERSEDATE",
            "state": "STATE",
            "referenceNumber": "REFERENCENO",
            "baseLocation.id": "BASELOCATION_NO",
        },
        lines="general-ledger/journal-entry-line",
    ),
    RestObject(
        "general-ledger/journal-entry-line",
        "GLENTRY",
        {
            "id": "RECORDNO",
            "journalEntry.key": "BATCHNO",
            "lineNumber": "LINE_NO",
            "txnType": "TR_TYPE",
            "entryDate": "ENTRY_DATE",
            "baseAmount": "AMOUNT",
            "txnAmount": "TRX_AMOUNT",
            "currency.txnCurrency": "CURRENCY",
            "currency.exchangeRate.rate": "EXCHANGE_RATE",
            "glAccount.key": "ACCOUNTKEY",
            "glAccount.id": "ACCOUNTNO",
            "glAccount.name": "ACCOUNTTITLE",
            "description": "DESCRIPTION",
            "isBillable": "BILLABLE",
            **_dimensions(
                location="LOCATION",
                department="DEPARTMENT",
                project="PROJECTID",
                task="TASKID",
                customer="CUSTOMERID",
                vendor="VENDORID",
                employee="EMPLOYEEID",
                item="ITEMID",
                **{"class": "CLASSID"},
            ),
        },
        codes={"txnType": {"debit": "1", "credit": "-1"}},
        parent_ref="journalEntry.key",
    ),
    RestObject(
        "general-ledger/account",
        "GLACCOUNT",
        {
            "name": "TITLE",
            "accountType": "ACCOUNTTYPE",
            "normalBalance": "NORMALBALANCE",
            "closingType": "CLOSINGTYPE",
            "closeToGLAccount.id": "CLOSINGACCOUNTNO",
            "status": "STATUS",
            "category": "CATEGORY",
            "alternativeGLAccount": "ALTERNATIVEACCOUNT",
            "requireDimensions.department": "REQUIREDEPT",
            "requireDimensions.location": "REQUIRELOC",
            "requireDimensions.project": "REQUIREPROJECT",
            "isTaxable": "TAXABLE",
        },
    ),
    RestObject(
        "company-config/location",
        "LOCATION",
        {"name": "NAME", "parent.id": "PARENTID", "status": "STATUS", "currency": "CURRENCY"},
    ),
    RestObject(
        "company-config/department",
        "DEPARTMENT",
        {
            "name": "TITLE",
            "parent.key": "PARENTKEY",
            "parent.id": "PARENTID",
            "status": "STATUS",
            "reportTitle": "CUSTTITLE",
        },
    ),
    RestObject(
        "company-config/class",
        "CLASS",
        {
            "name": "NAME",
            "description": "DESCRIPTION",
            "status": "STATUS",
            "parent.key": "PARENTKEY",
            "parent.id": "PARENTID",
            "parent.name": "PARENTNAME",
        },
    ),
    RestObject(
        "projects/project",
        "PROJECT",
        {
            "name": "NAME",
            "description": "DESCRIPTION",
            "category": "PROJECTCATEGORY",
            "projectStatus.id": "PROJECTSTATUS",
            "projectType.id": "PROJECTTYPE",
            "parent.key": "PARENTKEY",
            "parent.id": "PARENTID",
            "parent.name": "PARENTNAME",
            "status": "STATUS",
            "customer.key": "CUSTOMERKEY",
            "customer.id": "CUSTOMERID",
            "customer.name": "CUSTOMERNAME",
            "location.id": "LOCATIONID",
            "location.name": "LOCATIONNAME",
            "startDate": "BEGINDATE",
            "endDate": "ENDDATE",
            "currency": "CURRENCY",
        },
    ),
    RestObject(
        "company-config/employee",
        "EMPLOYEE",
        {
            "name": "CONTACT.CONTACTNAME",
            "jobTitle": "TITLE",
            "location.id": "LOCATIONID",
            "department.id": "DEPARTMENTID",
            "status": "STATUS",
            "startDate": "STARTDATE",
            "endDate": "ENDDATE",
            "manager.id": "SUPERVISORID",
            "primaryContact.id": "CONTACT.CONTACTNAME",
            "primaryContact.firstName": "CONTACT.FIRSTNAME",
            "primaryContact.lastName": "CONTACT.LASTNAME",
            "primaryContact.email1": "CONTACT.EMAIL1",
        },
    ),
    RestObject(
        "inventory-control/item",
        "ITEM",
        {
            "name": "NAME",
            "status": "STATUS",
            "itemType": "ITEMTYPE",
            "productLine.id": "PRODUCTLINEID",
            "itemGLGroup.id": "GLGROUP",
            "basePrice": "BASEPRICE",
            "standardCost": "STANDARD_COST",
        },
    ),
)

REST_OBJECTS: dict[str, RestObject] = {o.name: o for o in _OBJECTS}


def rest_object(name: str) -> RestObject | None:
    """REST object names are matched exactly, as Intacct's paths are case-sensitive."""
    return REST_OBJECTS.get(name.strip().strip("/"))
