"""Accounts Payable objects beyond the core set: adjustments, recurring bills,
vendor types and GL groups, bill payments. APPYMTDETAIL and APTERM are in core.py."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    BOOL,
    CUR,
    DATE,
    INT,
    OwnedCollection,
    Relationship,
    api_page,
    dims,
    fld,
    status_field,
    std,
)
from intacct_sandbox.catalog.model import ObjectDef

_ADJ_STATES = ("Draft", "Posted", "Partially Paid", "Paid", "Reversed")

APADJUSTMENT = std(
    "APADJUSTMENT",
    "AP Adjustment",
    "AP",
    api_page("accounts-payable/ap-adjustments"),
    (
        fld("RECORDTYPE", "Record type", readonly=True),
        fld("RECORDID", "Adjustment number"),
        fld("VENDORID", "Vendor", required=True),
        fld("VENDORNAME", "Vendor name", readonly=True),
        fld("DOCNUMBER", "Reference number"),
        fld("DESCRIPTION", "Description"),
        fld("STATE", "State", "ENUM", values=_ADJ_STATES),
        fld("WHENPOSTED", "GL posting date", DATE),
        fld("ADJUSTMENTTYPE", "Adjustment type", "ENUM", values=("debit memo", "credit memo")),
        fld("TOTALENTERED", "Total entered", CUR, readonly=True),
        fld("TOTALPAID", "Total paid", CUR, readonly=True),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("TRX_TOTALENTERED", "Transaction total entered", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
        fld("BASECURR", "Base currency"),
        fld("PRBATCH", "Summary", readonly=True),
        fld("SUPDOCID", "Attachment"),
    ),
    plural="AP Adjustments",
    whencreated="DATE",
    relationships=(Relationship("VENDOR", "VENDOR", "VENDORID", "VENDORID", "Vendor"),),
    owned=(OwnedCollection("APADJUSTMENTITEMS", "APADJUSTMENTITEM", "RECORDKEY"),),
)

APADJUSTMENTITEM = std(
    "APADJUSTMENTITEM",
    "AP Adjustment Detail",
    "AP",
    api_page("accounts-payable/ap-adjustments", "line object"),
    (
        fld("RECORDKEY", "Adjustment record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("ACCOUNTNO", "Account number", required=True),
        fld("ACCOUNTTITLE", "Account title", readonly=True),
        fld("AMOUNT", "Amount", CUR, readonly=True),
        fld("TRX_AMOUNT", "Transaction amount", CUR, required=True),
        fld("ENTRYDESCRIPTION", "Memo"),
        *dims("LOCATIONID", "DEPARTMENTID", "PROJECTID", "VENDORID", "CLASSID"),
    ),
    plural="AP Adjustment Details",
    relationships=(
        Relationship("APADJUSTMENT", "APADJUSTMENT", "RECORDKEY", "RECORDNO", "Adjustment"),
        Relationship("GLACCOUNT", "GLACCOUNT", "ACCOUNTNO", "ACCOUNTNO", "Account"),
    ),
)

APRECURBILL = std(
    "APRECURBILL",
    "AP Recurring Bill",
    "AP",
    api_page("accounts-payable/recurring-bills"),
    (
        fld("VENDORID", "Vendor", required=True),
        fld("VENDORNAME", "Vendor name", readonly=True),
        fld("DOCNUMBER", "Reference number"),
        fld("DESCRIPTION", "Description"),
        fld("TERMNAME", "Term"),
        fld("TOTALENTERED", "Amount", CUR),
        fld("CURRENCY", "Currency"),
        fld("STARTDATE", "Start date", DATE, required=True),
        fld("ENDDATE", "End date", DATE),
        fld("NEXTEXECDATE", "Next execution date", DATE, readonly=True),
        fld("REPEATBY", "Repeat by", "ENUM", values=("None", "Days", "Weeks", "Months", "Years")),
        fld("REPEATINTERVAL", "Repeat interval", INT),
        fld("EXECCOUNT", "Times executed", INT, readonly=True),
        status_field(),
    ),
    plural="AP Recurring Bills",
    relationships=(Relationship("VENDOR", "VENDOR", "VENDORID", "VENDORID", "Vendor"),),
)

VENDTYPE = std(
    "VENDTYPE",
    "Vendor Type",
    "AP",
    api_page("accounts-payable/vendor-types"),
    (
        fld("NAME", "Name", required=True),
        fld("PARENT.NAME", "Parent"),
        fld("FORM1099TYPE", "Form 1099 type"),
        fld("FORM1099BOX", "Form 1099 box"),
        status_field(),
    ),
    id_field="NAME",
)

VENDGLGROUP = std(
    "VENDGLGROUP",
    "Vendor GL Group",
    "AP",
    api_page("accounts-payable/vendor-gl-groups"),
    (fld("NAME", "Name", required=True), fld("DESCRIPTION", "Description")),
    id_field="NAME",
)

APBILLPAYMENT = std(
    "APBILLPAYMENT",
    "AP Bill Payment",
    "AP",
    api_page("accounts-payable/ap-payments", "applied payment view"),
    (
        fld("PAYMENTKEY", "Payment record number", INT, readonly=True),
        fld("RECORDKEY", "Bill record number", INT, readonly=True),
        fld("PAYMENTDATE", "Payment date", DATE, readonly=True),
        fld("AMOUNT", "Amount", CUR, readonly=True),
        fld("TRX_AMOUNT", "Transaction amount", CUR, readonly=True),
        fld("CURRENCY", "Currency", readonly=True),
        fld("VENDORID", "Vendor", readonly=True),
        fld("INLINE", "Inline", BOOL, readonly=True),
    ),
    plural="AP Bill Payments",
    readonly_object=True,
    relationships=(
        Relationship("APPYMT", "APPYMT", "PAYMENTKEY", "RECORDNO", "Payment"),
        Relationship("APBILL", "APBILL", "RECORDKEY", "RECORDNO", "Bill"),
    ),
)

OBJECTS: list[ObjectDef] = [
    APADJUSTMENT,
    APADJUSTMENTITEM,
    APRECURBILL,
    VENDTYPE,
    VENDGLGROUP,
    APBILLPAYMENT,
]
