"""Accounts Receivable objects beyond the core set: adjustments, terms, the
ARRECORD view, territories, customer types / GL groups / visibility, invoice payments.

AR transactions are what the readonly user may not read in the demo company (like
ARINVOICE in core.py), so ARADJUSTMENT and ARRECORD are `restricted`."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    BOOL,
    CUR,
    DATE,
    INT,
    PCT,
    OwnedCollection,
    Relationship,
    api_page,
    dims,
    fld,
    status_field,
    std,
)
from intacct_sandbox.catalog.model import ObjectDef

_STATES = ("Draft", "Posted", "Partially Paid", "Paid", "Reversed")

ARADJUSTMENT = std(
    "ARADJUSTMENT",
    "AR Adjustment",
    "AR",
    api_page("accounts-receivable/ar-adjustments"),
    (
        fld("RECORDTYPE", "Record type", readonly=True),
        fld("RECORDID", "Adjustment number"),
        fld("CUSTOMERID", "Customer", required=True),
        fld("CUSTOMERNAME", "Customer name", readonly=True),
        fld("DOCNUMBER", "Reference number"),
        fld("DESCRIPTION", "Description"),
        fld("STATE", "State", "ENUM", values=_STATES),
        fld("WHENPOSTED", "GL posting date", DATE),
        fld("ADJUSTMENTTYPE", "Adjustment type", "ENUM", values=("debit memo", "credit memo")),
        fld("TOTALENTERED", "Total entered", CUR, readonly=True),
        fld("TOTALPAID", "Total paid", CUR, readonly=True),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
        fld("BASECURR", "Base currency"),
        fld("SUPDOCID", "Attachment"),
    ),
    plural="AR Adjustments",
    whencreated="DATE",
    restricted=True,
    relationships=(Relationship("CUSTOMER", "CUSTOMER", "CUSTOMERID", "CUSTOMERID", "Customer"),),
    owned=(OwnedCollection("ARADJUSTMENTITEMS", "ARADJUSTMENTITEM", "RECORDKEY"),),
)

ARADJUSTMENTITEM = std(
    "ARADJUSTMENTITEM",
    "AR Adjustment Detail",
    "AR",
    api_page("accounts-receivable/ar-adjustments", "line object"),
    (
        fld("RECORDKEY", "Adjustment record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("ACCOUNTNO", "Account number", required=True),
        fld("ACCOUNTTITLE", "Account title", readonly=True),
        fld("AMOUNT", "Amount", CUR, readonly=True),
        fld("TRX_AMOUNT", "Transaction amount", CUR, required=True),
        fld("ENTRYDESCRIPTION", "Memo"),
        *dims("LOCATIONID", "DEPARTMENTID", "PROJECTID", "CUSTOMERID", "CLASSID"),
    ),
    plural="AR Adjustment Details",
    relationships=(
        Relationship("ARADJUSTMENT", "ARADJUSTMENT", "RECORDKEY", "RECORDNO", "Adjustment"),
        Relationship("GLACCOUNT", "GLACCOUNT", "ACCOUNTNO", "ACCOUNTNO", "Account"),
    ),
)

ARTERM = std(
    "ARTERM",
    "AR Term",
    "AR",
    api_page("accounts-receivable/ar-terms"),
    (
        fld("NAME", "Term name", required=True),
        fld("DESCRIPTION", "Description"),
        status_field(),
        fld(
            "DUEFROM",
            "Due from",
            "ENUM",
            values=("from invoice/bill date", "of the month of invoice/bill date"),
        ),
        fld("DUEDAYS", "Due days", INT),
        fld("DISCDAYS", "Discount days", INT),
        fld("DISCPERCENT", "Discount percent", PCT),
        fld("PEN_TYPES", "Penalty cycle", "ENUM", values=("No Penalty", "Monthly", "Annually")),
        fld("PENAMOUNT", "Penalty amount", PCT),
    ),
    plural="AR Terms",
    id_field="NAME",
    entity=False,
)

ARRECORD = std(
    "ARRECORD",
    "AR Record",
    "AR",
    api_page("accounts-receivable/ar-records", "view over invoices, adjustments, receipts"),
    (
        fld(
            "RECORDTYPE",
            "Record type",
            "ENUM",
            values=("arinvoice", "aradjustment", "arpayment", "aroverpayment"),
            readonly=True,
        ),
        fld("RECORDID", "Record ID", readonly=True),
        fld("CUSTOMERID", "Customer", readonly=True),
        fld("STATE", "State", "ENUM", values=_STATES, readonly=True),
        fld("WHENPOSTED", "GL posting date", DATE, readonly=True),
        fld("WHENDUE", "Due date", DATE, readonly=True),
        fld("TOTALENTERED", "Total entered", CUR, readonly=True),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("CURRENCY", "Currency", readonly=True),
    ),
    plural="AR Records",
    whencreated="DATE",
    readonly_object=True,
    restricted=True,
)

TERRITORY = std(
    "TERRITORY",
    "Territory",
    "AR",
    api_page("accounts-receivable/territories"),
    (
        fld("TERRITORYID", "Territory ID", required=True),
        fld("NAME", "Name", required=True),
        fld("PARENTID", "Parent"),
        fld("MANAGERID", "Manager (employee)"),
        status_field(),
    ),
    plural="Territories",
    id_field="TERRITORYID",
)

CUSTTYPE = std(
    "CUSTTYPE",
    "Customer Type",
    "AR",
    api_page("accounts-receivable/customer-types"),
    (fld("NAME", "Name", required=True), fld("PARENT.NAME", "Parent"), status_field()),
    id_field="NAME",
)

CUSTGLGROUP = std(
    "CUSTGLGROUP",
    "Customer GL Group",
    "AR",
    api_page("accounts-receivable/customer-gl-groups"),
    (fld("NAME", "Name", required=True), fld("DESCRIPTION", "Description")),
    id_field="NAME",
)

CUSTOMERVISIBILITY = std(
    "CUSTOMERVISIBILITY",
    "Customer Visibility",
    "AR",
    api_page("accounts-receivable/customers", "restriction of a customer to entities"),
    (
        fld("CUSTOMERID", "Customer", required=True),
        fld("NAME", "Customer name", readonly=True),
        fld(
            "RESTRICTEDBY",
            "Restriction type",
            "ENUM",
            values=("Unrestricted", "RootOnly", "Restricted"),
        ),
        fld("RESTRICTEDLOCATIONS", "Restricted locations"),
        fld("RESTRICTEDDEPARTMENTS", "Restricted departments"),
    ),
    plural="Customer Visibility",
    entity=False,
)

ARINVOICEPAYMENT = std(
    "ARINVOICEPAYMENT",
    "AR Invoice Payment",
    "AR",
    api_page("accounts-receivable/ar-payments", "applied payment view"),
    (
        fld("PAYMENTKEY", "Payment record number", INT, readonly=True),
        fld("RECORDKEY", "Invoice record number", INT, readonly=True),
        fld("PAYMENTDATE", "Payment date", DATE, readonly=True),
        fld("AMOUNT", "Amount", CUR, readonly=True),
        fld("TRX_AMOUNT", "Transaction amount", CUR, readonly=True),
        fld("CURRENCY", "Currency", readonly=True),
        fld("CUSTOMERID", "Customer", readonly=True),
        fld("INLINE", "Inline", BOOL, readonly=True),
    ),
    plural="AR Invoice Payments",
    readonly_object=True,
    relationships=(Relationship("ARPYMT", "ARPYMT", "PAYMENTKEY", "RECORDNO", "Payment"),),
)

OBJECTS: list[ObjectDef] = [
    ARADJUSTMENT,
    ARADJUSTMENTITEM,
    ARTERM,
    ARRECORD,
    TERRITORY,
    CUSTTYPE,
    CUSTGLGROUP,
    CUSTOMERVISIBILITY,
    ARINVOICEPAYMENT,
]
