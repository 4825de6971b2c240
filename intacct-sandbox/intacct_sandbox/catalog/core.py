"""Core object definitions: ledger, payables, receivables, dimensions, audit.

Sources are sections of docs/protocol.md (section 7 table, 5.2 naming
trap, 5.4 owned lines) and the Intacct API pages it cites (DOC-*). Internal codes
in `aliases` that docs/protocol.md does not list are emulator choices and marked "choice".
"""

from __future__ import annotations

from intacct_sandbox.catalog.model import (
    ObjectDef,
    OwnedCollection,
    Relationship,
    audit_fields,
    entity_fields,
    fld,
    recordno,
    status_field,
)

CUR = "CURRENCY"
DATE = "DATE"
INT = "INTEGER"
BOOL = "BOOLEAN"
TS = "TIMESTAMP"


def _dims(*, style: str = "ID") -> tuple:
    """Dimension references on lines (protocol.md §7).

    `style="GLENTRY"` uses DEPARTMENT/LOCATION.
    """
    loc, dept = ("LOCATION", "DEPARTMENT") if style == "GLENTRY" else ("LOCATIONID", "DEPARTMENTID")
    return (
        fld(loc, "Location"),
        fld(dept, "Department"),
        fld("PROJECTID", "Project"),
        fld("TASKID", "Task"),
        fld("CUSTOMERID", "Customer"),
        fld("VENDORID", "Vendor"),
        fld("EMPLOYEEID", "Employee"),
        fld("ITEMID", "Item"),
        fld("CLASSID", "Class"),
    )


_BOOLEAN_NAMES = frozenset(
    [
        "VISIBLE",
        "ISSUMMARIZED",
        "ISRETAINAGERELEASE",
        "CLEARED",
        "TAXABLE",
        "DEFERREVENUE",
        "HAS_IE_RELATION",
        "ENABLELEGALCONTACT",
        "MRR",
        "PAYMENTTAXCAPTURE",
        "TAXIMPLICATIONS",
    ]
)
_LETTER_BOOLEAN_NAMES = frozenset({"ADJ", "STATISTICAL", "SYSTEMGENERATED"})
_DATE_NAMES = frozenset(
    [
        "WHENDISCOUNT",
        "EXCH_RATE_DATE",
        "RECPAYMENTDATE",
        "CLRDATE",
        "BIRTHDATE",
        "STARTDATE",
        "ENDDATE",
        "REVRECSTARTDATE",
        "REVRECENDDATE",
        "AMORTIZATIONSTARTDATE",
        "AMORTIZATIONENDDATE",
    ]
)


def _guess_type(name: str) -> tuple[str, bool]:
    """DATATYPE for a listed field from its name (TEXT unless the name says otherwise)."""
    last = name.rsplit(".", 1)[-1]
    if last in _LETTER_BOOLEAN_NAMES:
        return "BOOLEAN", True
    if last in _BOOLEAN_NAMES:
        return "BOOLEAN", False
    if last in _DATE_NAMES:
        return "DATE", False
    if last == "MODIFIED":
        return "TIMESTAMP", False
    if last in {"EXCHANGE_RATE"}:
        return "DECIMAL", False
    if "PERCENTAGE" in last:
        return "PERCENT", False
    if last in {"DUE_IN_DAYS", "FIRSTMONTH", "FIRSTMONTHTAX", "WEEKSTART", "TASKNO"}:
        return "INTEGER", False
    if (last.endswith("KEY") and last not in {"OBJECTRESTRICTION"}) or last == "PARENTENTRY":
        return "INTEGER", False
    if last.startswith(("TOTAL", "TRX_", "SUBTOTAL")) or "AMOUNT" in last:
        return "CURRENCY", False
    return "TEXT", False


def _listed_fields(names: str) -> tuple:
    """Fields that fixed select lists of public clients name (sageintacctsdk
    `constants.dimensions_fields_mapping`, docs/protocol.md §7 "Field catalogues used by clients"):
    every one must be selectable. Read-only here; the demo seed leaves most empty."""
    out = []
    for name in names.split():
        datatype, letters = _guess_type(name)
        label = name.replace("_", " ").replace(".", " ").title()
        out.append(fld(name, label, datatype, readonly=True, letter_boolean=letters))
    return tuple(out)


def _contact_paths(prefix: str) -> tuple:
    """The owned contact of a vendor/customer, flattened to dot paths (DOC-VEND create:
    DISPLAYCONTACT with PRINTAS, names, phones, emails and MAILADDRESS)."""
    return (
        fld(f"{prefix}.CONTACTNAME", "Contact name"),
        fld(f"{prefix}.PRINTAS", "Print as"),
        fld(f"{prefix}.COMPANYNAME", "Company name"),
        fld(f"{prefix}.PREFIX", "Mr./Ms./Mrs."),
        fld(f"{prefix}.FIRSTNAME", "First name"),
        fld(f"{prefix}.INITIAL", "Middle initial"),
        fld(f"{prefix}.LASTNAME", "Last name"),
        fld(f"{prefix}.EMAIL1", "Primary email address"),
        fld(f"{prefix}.EMAIL2", "Secondary email address"),
        fld(f"{prefix}.PHONE1", "Primary phone"),
        fld(f"{prefix}.PHONE2", "Secondary phone"),
        fld(f"{prefix}.MAILADDRESS.ADDRESS1", "Address line 1"),
        fld(f"{prefix}.MAILADDRESS.ADDRESS2", "Address line 2"),
        fld(f"{prefix}.MAILADDRESS.CITY", "City"),
        fld(f"{prefix}.MAILADDRESS.STATE", "State/Province"),
        fld(f"{prefix}.MAILADDRESS.ZIP", "Zip/Postal code"),
        fld(f"{prefix}.MAILADDRESS.COUNTRY", "Country"),
    )


GLACCOUNT = ObjectDef(
    name="GLACCOUNT",
    label="GL Account",
    plural="GL Accounts",
    module="GL",
    id_field="ACCOUNTNO",
    source="docs/protocol.md §7 (DOC-GLACCT)",
    fields=(
        recordno(),
        fld("ACCOUNTNO", "Account number", required=True),
        fld("TITLE", "Title", required=True),
        fld(
            "ACCOUNTTYPE",
            "Account type",
            "ENUM",
            values=("balancesheet", "incomestatement"),
            aliases={"N": "balancesheet", "I": "incomestatement"},
        ),
        fld("NORMALBALANCE", "Normal balance", "ENUM", values=("debit", "credit")),
        fld(
            "CLOSINGTYPE",
            "Period end closing type",
            "ENUM",
            values=("non-closing account", "closing account"),
        ),
        fld("CLOSINGACCOUNTNO", "Close into account"),
        status_field(),
        fld("CATEGORY", "Category"),
        fld("ALTERNATIVEACCOUNT", "GL account alternative"),
        fld("REQUIREDEPT", "Require department", BOOL),
        fld("REQUIRELOC", "Require location", BOOL),
        fld("REQUIREPROJECT", "Require project", BOOL),
        fld("TAXABLE", "Taxable", BOOL),
        *audit_fields(),
        *entity_fields(),
    ),
)

GLJOURNAL = ObjectDef(
    name="GLJOURNAL",
    label="GL Journal",
    plural="GL Journals",
    module="GL",
    id_field="SYMBOL",
    source="docs/protocol.md §7 (DOC-JE journals GJ/APJ/ARJ)",
    fields=(
        recordno(),
        fld("SYMBOL", "Journal symbol", required=True),
        fld("TITLE", "Title", required=True),
        fld("BOOKID", "Book", "ENUM", values=("ACCRUAL", "CASH")),
        status_field(),
        *audit_fields(),
    ),
)

GLBATCH = ObjectDef(
    name="GLBATCH",
    label="Journal Entry",
    plural="Journal Entries",
    module="GL",
    source="docs/protocol.md §7 GLBATCH rows (DOC-JE); lines docs/protocol.md §5.4",
    fields=(
        recordno(),
        fld("BATCHNO", "Transaction number", INT, readonly=True),
        fld("BATCH_TITLE", "Description", required=True),
        fld("JOURNAL", "Journal", required=True),
        fld("BATCH_DATE", "Posting date", DATE, required=True),
        fld("REVERSEDATE", "Reverse date", DATE),
        fld(
            "STATE",
            "State",
            values=(
                "Draft",
                "Submitted",
                "Partially Approved",
                "Approved",
                "Posted",
                "Reversed",
                "Reversal pending",
                "Declined",
            ),
            # codes I,S,X,A,P,R,L,Z are documented; their pairing is a choice
            aliases={
                "I": "Draft",
                "S": "Submitted",
                "X": "Partially Approved",
                "A": "Approved",
                "P": "Posted",
                "R": "Reversed",
                "L": "Reversal pending",
                "Z": "Declined",
            },
        ),
        fld("MODULE", "Module", readonly=True),
        fld("REFERENCENO", "Reference number"),
        fld("BASELOCATION_NO", "Base location"),
        fld("SUPDOCID", "Attachment"),
        *_listed_fields("TAXIMPLICATIONS VATVENDORID VATCUSTOMERID VATCONTACTID TAXSOLUTIONID"),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(Relationship("JOURNAL", "GLJOURNAL", "JOURNAL", "SYMBOL", "Journal"),),
    owned=(OwnedCollection("ENTRIES", "GLENTRY", "BATCHNO"),),
)

GLENTRY = ObjectDef(
    name="GLENTRY",
    label="Journal Entry Line",
    plural="Journal Entry Lines",
    module="GL",
    source="docs/protocol.md §7 GLENTRY row (DOC-JE); TAP bookmarks ENTRY_DATE",
    fields=(
        recordno(),
        fld("BATCHNO", "Journal entry record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("TR_TYPE", "Transaction type", INT, values=("1", "-1"), required=True),
        fld("ENTRY_DATE", "Entry date", DATE),
        fld("AMOUNT", "Amount", CUR),
        fld("TRX_AMOUNT", "Transaction amount", CUR, required=True),
        fld("CURRENCY", "Currency"),
        fld("EXCHANGE_RATE", "Exchange rate", "DECIMAL"),
        fld("BATCH_NUMBER", "Journal entry number", INT, readonly=True),
        fld("BATCH_DATE", "Journal entry date", DATE, readonly=True),
        fld("BATCHTITLE", "Journal entry description", readonly=True),
        fld("ACCOUNTKEY", "Account key", INT, readonly=True),
        fld("ACCOUNTNO", "Account number", required=True),
        fld("ACCOUNTTITLE", "Account title", readonly=True),
        fld("STATISTICAL", "Statistical", BOOL, letter_boolean=True, readonly=True),
        fld("DESCRIPTION", "Memo"),
        *_dims(style="GLENTRY"),
        fld("BILLABLE", "Billable", BOOL),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("GLBATCH", "GLBATCH", "BATCHNO", "RECORDNO", "Journal entry"),
        Relationship("GLACCOUNT", "GLACCOUNT", "ACCOUNTNO", "ACCOUNTNO", "Account"),
    ),
)

GLDETAIL = ObjectDef(
    name="GLDETAIL",
    label="General Ledger Detail",
    plural="General Ledger Details",
    module="GL",
    readonly_object=True,
    source="docs/protocol.md §7 GLDETAIL row (DOC-GLDET); WHENMODIFIED existence INFERRED",
    fields=(
        recordno(),
        fld("BATCHKEY", "Journal entry key", INT),
        fld("BATCH_DATE", "Posting date", DATE),
        fld("BATCH_TITLE", "Journal entry description"),
        fld("SYMBOL", "Journal"),
        fld("BATCH_NO", "Journal entry number", INT),
        fld("BOOKID", "Book", "ENUM", values=("ACCRUAL", "CASH")),
        fld(
            "MODULEKEY",
            "Module",
            values=("2.GL", "3.AP", "4.AR", "6.EE", "7.INV", "8.SO", "9.PO", "11.CM"),
        ),
        fld("LINE_NO", "Line number", INT),
        fld("ENTRY_DATE", "Entry date", DATE),
        fld("TR_TYPE", "Transaction type", INT, values=("1", "-1")),
        fld("ACCOUNTNO", "Account number"),
        fld("ACCOUNTTITLE", "Account title"),
        fld("DEBITAMOUNT", "Debit amount", CUR),
        fld("CREDITAMOUNT", "Credit amount", CUR),
        fld("AMOUNT", "Amount", CUR),
        fld("TRX_AMOUNT", "Transaction amount", CUR),
        fld("CURRENCY", "Currency"),
        fld("DESCRIPTION", "Memo"),
        fld("DOCNUMBER", "Document number"),
        fld("LOCATIONID", "Location"),
        fld("DEPARTMENTID", "Department"),
        fld("PROJECTID", "Project"),
        fld("CUSTOMERID", "Customer"),
        fld("VENDORID", "Vendor"),
        fld("EMPLOYEEID", "Employee"),
        fld("CLASSID", "Class"),
        *_listed_fields(
            "CHILDENTITY MODIFIED REFERENCENO ADJ OWNERSHIPKEY DOCUMENT STATISTICAL "
            "DEPARTMENTTITLE LOCATIONNAME BASECURR"
        ),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("JOURNAL", "GLJOURNAL", "SYMBOL", "SYMBOL", "Journal"),
        Relationship("GLACCOUNT", "GLACCOUNT", "ACCOUNTNO", "ACCOUNTNO", "Account"),
        Relationship("GLBATCH", "GLBATCH", "BATCHKEY", "RECORDNO", "Journal entry"),
    ),
)

_BILL_STATES = ("Draft", "Posted", "Partially Paid", "Paid", "Selected", "Reversed")
_BILL_STATE_CODES = {  # 'A' = posted is documented; the rest is a choice
    "D": "Draft",
    "A": "Posted",
    "T": "Partially Paid",
    "P": "Paid",
    "S": "Selected",
    "R": "Reversed",
}

APBILL = ObjectDef(
    name="APBILL",
    label="AP Bill",
    plural="AP Bills",
    module="AP",
    source="docs/protocol.md §7 APBILL rows (DOC-BILL, PS capture); custom fields: emulator choice",
    fields=(
        recordno(),
        fld("RECORDTYPE", "Record type", readonly=True),
        fld("RECORDID", "Bill number"),
        fld("STATE", "State", values=_BILL_STATES, aliases=_BILL_STATE_CODES, readonly=True),
        fld("RAWSTATE", "Raw state", readonly=True),
        fld("VENDORID", "Vendor ID", required=True),
        fld("VENDORNAME", "Vendor name", readonly=True),
        fld("DOCNUMBER", "Reference number"),
        fld("DESCRIPTION", "Description"),
        fld("TERMNAME", "Term"),
        fld("WHENPOSTED", "GL posting date", DATE),
        fld("WHENDUE", "Due date", DATE),
        fld("WHENPAID", "Date fully paid", DATE, readonly=True),
        fld("TOTALENTERED", "Total amount", CUR, readonly=True),
        fld("TOTALPAID", "Total paid", CUR, readonly=True),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("TRX_TOTALENTERED", "Transaction total amount", CUR, readonly=True),
        fld("TRX_TOTALPAID", "Transaction total paid", CUR, readonly=True),
        fld("TRX_TOTALDUE", "Transaction total due", CUR, readonly=True),
        fld("CURRENCY", "Transaction currency"),
        fld("BASECURR", "Base currency"),
        fld("ONHOLD", "On hold", BOOL),
        fld("PRBATCH", "Summary", readonly=True),
        fld("MODULEKEY", "Module", readonly=True),
        fld("SUPDOCID", "Attachment"),
        fld(
            "PAYTOCONTACTNAME",
            "Pay to contact name",
            queryable=False,
            description="Listed by lookup, refused by query (docs/protocol.md §6.2 example)",
        ),
        fld("APPROVAL_CODE", "Approval code", custom=True),
        fld("FREIGHT_ESTIMATE", "Freight estimate", "DECIMAL", custom=True),
        *_listed_fields("RECORD_URL TOTALSELECTED RECPAYMENTDATE PAYMENTPRIORITY DUE_IN_DAYS"),
        *audit_fields(whencreated="DATE"),
        *entity_fields(),
    ),
    relationships=(
        Relationship("VENDOR", "VENDOR", "VENDORID", "VENDORID", "Vendor"),
        Relationship("TERM", "APTERM", "TERMNAME", "NAME", "Term"),
    ),
    owned=(OwnedCollection("APBILLITEMS", "APBILLITEM", "RECORDKEY"),),
)

APBILLITEM = ObjectDef(
    name="APBILLITEM",
    label="AP Bill Detail",
    plural="AP Bill Details",
    module="AP",
    source="docs/protocol.md §7 APBILLITEM row (TAP; AP retainage page)",
    fields=(
        recordno(),
        fld("RECORDKEY", "Bill record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("ACCOUNTKEY", "Account key", INT, readonly=True),
        fld("ACCOUNTNO", "Account", required=True),
        fld("ACCOUNTTITLE", "Account title", readonly=True),
        fld("ACCOUNTLABEL", "Account label"),
        fld("AMOUNT", "Base amount", CUR, readonly=True),
        fld("TRX_AMOUNT", "Transaction amount", CUR, required=True),
        fld("CURRENCY", "Currency"),
        fld("ENTRYDESCRIPTION", "Memo"),
        fld("ENTRY_DATE", "Entry date", DATE, readonly=True),
        *_dims(),
        fld("BILLABLE", "Billable", BOOL),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("APBILL", "APBILL", "RECORDKEY", "RECORDNO", "Bill"),
        Relationship("GLACCOUNT", "GLACCOUNT", "ACCOUNTNO", "ACCOUNTNO", "Account"),
    ),
)

_PAYMENT_METHODS = ("Printed Check", "EFT", "ACH", "Cash", "Credit Card", "Record Transfer")
_PAYMENT_STATES = ("Draft", "Submitted", "Approved", "Complete", "Voided", "Declined")

APPYMT = ObjectDef(
    name="APPYMT",
    label="AP Payment",
    plural="AP Payments",
    module="AP",
    source="docs/protocol.md §7 APPYMT row (AP payments page; FYLE appymt)",
    fields=(
        recordno(),
        fld("RECORDTYPE", "Record type", readonly=True),
        fld("FINANCIALENTITY", "Bank account", required=True),
        fld("PAYMENTMETHOD", "Payment method", "ENUM", values=_PAYMENT_METHODS, required=True),
        fld("VENDORID", "Vendor ID", required=True),
        fld("VENDORNAME", "Vendor name", readonly=True),
        fld("PAYMENTDATE", "Payment date", DATE, required=True),
        fld("DOCNUMBER", "Document number"),
        fld("DESCRIPTION", "Memo"),
        fld(
            "STATE",
            "State",
            values=_PAYMENT_STATES,
            aliases={
                "D": "Draft",
                "S": "Submitted",
                "A": "Approved",
                "C": "Complete",
                "V": "Voided",
            },
            readonly=True,
        ),
        fld("TOTALENTERED", "Total amount", CUR, readonly=True),
        fld("TOTALPAID", "Total paid", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
        fld("BASECURR", "Base currency"),
        *audit_fields(whencreated="DATE"),
        *entity_fields(),
    ),
    relationships=(Relationship("VENDOR", "VENDOR", "VENDORID", "VENDORID", "Vendor"),),
    owned=(OwnedCollection("APPYMTDETAILS", "APPYMTDETAIL", "PAYMENTKEY"),),
)

APPYMTDETAIL = ObjectDef(
    name="APPYMTDETAIL",
    label="AP Payment Detail",
    plural="AP Payment Details",
    module="AP",
    source="protocol.md §7 APPYMT row (APPYMTDETAILS/APPYMTDETAIL RECORDKEY, TRX_PAYMENTAMOUNT)",
    fields=(
        recordno(),
        fld("PAYMENTKEY", "Payment record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("RECORDKEY", "Bill record number", INT, required=True),
        fld("PAYMENTAMOUNT", "Payment amount", CUR, readonly=True),
        fld("TRX_PAYMENTAMOUNT", "Transaction payment amount", CUR, required=True),
        fld("CURRENCY", "Currency"),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("APPYMT", "APPYMT", "PAYMENTKEY", "RECORDNO", "Payment"),
        Relationship("APBILL", "APBILL", "RECORDKEY", "RECORDNO", "Bill"),
    ),
)

_INVOICE_STATE_CODES = {
    "D": "Draft",
    "A": "Posted",
    "T": "Partially Paid",
    "P": "Paid",
    "R": "Reversed",
}

ARINVOICE = ObjectDef(
    name="ARINVOICE",
    label="AR Invoice",
    plural="AR Invoices",
    module="AR",
    restricted=True,  # the readonly user gets PL04000005 (protocol.md §6.2 example is arinvoice)
    source="protocol.md §7 ARINVOICE row (FYLE constants); PL04000005 text protocol.md §6.2",
    fields=(
        recordno(),
        fld("RECORDTYPE", "Record type", readonly=True),
        fld("RECORDID", "Invoice number"),
        fld(
            "STATE",
            "State",
            values=("Draft", "Posted", "Partially Paid", "Paid", "Reversed"),
            aliases=_INVOICE_STATE_CODES,
            readonly=True,
        ),
        fld("RAWSTATE", "Raw state", readonly=True),
        fld("CUSTOMERID", "Customer ID", required=True),
        fld("CUSTOMERNAME", "Customer name", readonly=True),
        fld("DOCNUMBER", "Reference number"),
        fld("DESCRIPTION", "Description"),
        fld("TERMNAME", "Term"),
        fld("WHENPOSTED", "GL posting date", DATE),
        fld("WHENDUE", "Due date", DATE),
        fld("WHENPAID", "Date fully paid", DATE, readonly=True),
        fld("TOTALENTERED", "Total amount", CUR, readonly=True),
        fld("TOTALPAID", "Total paid", CUR, readonly=True),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("TRX_TOTALENTERED", "Transaction total amount", CUR, readonly=True),
        fld("TRX_TOTALPAID", "Transaction total paid", CUR, readonly=True),
        fld("TRX_TOTALDUE", "Transaction total due", CUR, readonly=True),
        fld("CURRENCY", "Transaction currency"),
        fld("BASECURR", "Base currency"),
        fld("ONHOLD", "On hold", BOOL),
        fld("PRBATCH", "Summary", readonly=True),
        fld("MODULEKEY", "Module", readonly=True),
        fld("SUPDOCID", "Attachment"),
        fld("BILLTO.CONTACTNAME", "Bill to contact name"),
        fld("SHIPTO.CONTACTNAME", "Ship to contact name"),
        *_listed_fields(
            "CUSTMESSAGEID CUSTMESSAGE.MESSAGE DESCRIPTION2 WHENDISCOUNT EXCH_RATE_DATE "
            "EXCH_RATE_TYPE_ID EXCHANGE_RATE TOTALSELECTED BILLTOPAYTOCONTACTNAME "
            "SHIPTORETURNTOCONTACTNAME CONTACT.CONTACTNAME CONTACT.PREFIX CONTACT.FIRSTNAME "
            "CONTACT.INITIAL CONTACT.LASTNAME CONTACT.COMPANYNAME CONTACT.PRINTAS "
            "CONTACT.PHONE1 CONTACT.PHONE2 CONTACT.CELLPHONE CONTACT.PAGER CONTACT.FAX "
            "CONTACT.EMAIL1 CONTACT.EMAIL2 CONTACT.URL1 CONTACT.URL2 "
            "CONTACT.MAILADDRESS.ADDRESS1 CONTACT.MAILADDRESS.ADDRESS2 "
            "CONTACT.MAILADDRESS.CITY CONTACT.MAILADDRESS.STATE CONTACT.MAILADDRESS.ZIP "
            "CONTACT.MAILADDRESS.COUNTRY CONTACT.MAILADDRESS.COUNTRYCODE SHIPTO.PREFIX "
            "SHIPTO.FIRSTNAME SHIPTO.INITIAL SHIPTO.LASTNAME SHIPTO.COMPANYNAME "
            "SHIPTO.PRINTAS SHIPTO.PHONE1 SHIPTO.PHONE2 SHIPTO.CELLPHONE SHIPTO.PAGER "
            "SHIPTO.FAX SHIPTO.EMAIL1 SHIPTO.EMAIL2 SHIPTO.URL1 SHIPTO.URL2 SHIPTO.VISIBLE "
            "SHIPTO.MAILADDRESS.ADDRESS1 SHIPTO.MAILADDRESS.ADDRESS2 SHIPTO.MAILADDRESS.CITY "
            "SHIPTO.MAILADDRESS.STATE SHIPTO.MAILADDRESS.ZIP SHIPTO.MAILADDRESS.COUNTRY "
            "SHIPTO.MAILADDRESS.COUNTRYCODE BILLTO.PREFIX BILLTO.FIRSTNAME BILLTO.INITIAL "
            "BILLTO.LASTNAME BILLTO.COMPANYNAME BILLTO.PRINTAS BILLTO.PHONE1 BILLTO.PHONE2 "
            "BILLTO.CELLPHONE BILLTO.PAGER BILLTO.FAX BILLTO.EMAIL1 BILLTO.EMAIL2 BILLTO.URL1 "
            "BILLTO.URL2 BILLTO.VISIBLE BILLTO.MAILADDRESS.ADDRESS1 "
            "BILLTO.MAILADDRESS.ADDRESS2 BILLTO.MAILADDRESS.CITY BILLTO.MAILADDRESS.STATE "
            "BILLTO.MAILADDRESS.ZIP BILLTO.MAILADDRESS.COUNTRY BILLTO.MAILADDRESS.COUNTRYCODE "
            "SYSTEMGENERATED DUE_IN_DAYS SHIPTO.TAXGROUP.NAME SHIPTO.TAXID "
            "SHIPTO.TAXGROUP.RECORDNO TAXSOLUTIONID TAXMETHOD RETAINAGEPERCENTAGE "
            "TRX_TOTALRETAINED TRX_TOTALRELEASED TOTALRETAINED"
        ),
        *audit_fields(whencreated="DATE"),
        *entity_fields(),
    ),
    relationships=(Relationship("CUSTOMER", "CUSTOMER", "CUSTOMERID", "CUSTOMERID", "Customer"),),
    owned=(OwnedCollection("ARINVOICEITEMS", "ARINVOICEITEM", "RECORDKEY"),),
)

ARINVOICEITEM = ObjectDef(
    name="ARINVOICEITEM",
    label="AR Invoice Detail",
    plural="AR Invoice Details",
    module="AR",
    source="docs/protocol.md §7 ARINVOICEITEM row (FYLE)",
    fields=(
        recordno(),
        fld("RECORDKEY", "Invoice record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("ACCOUNTKEY", "Account key", INT, readonly=True),
        fld("ACCOUNTNO", "Account", required=True),
        fld("ACCOUNTTITLE", "Account title", readonly=True),
        fld("AMOUNT", "Base amount", CUR, readonly=True),
        fld("TRX_AMOUNT", "Transaction amount", CUR, required=True),
        fld("CURRENCY", "Currency"),
        fld("ENTRYDESCRIPTION", "Memo"),
        fld("ENTRY_DATE", "Entry date", DATE, readonly=True),
        *_dims(),
        *_listed_fields(
            "OFFSETACCOUNTKEY OFFSETGLACCOUNTNO OFFSETGLACCOUNTTITLE ACCOUNTLABELKEY "
            "ACCOUNTLABEL DEPARTMENTNAME LOCATIONNAME EXCH_RATE_DATE EXCH_RATE_TYPE_ID "
            "EXCHANGE_RATE ALLOCATIONKEY ALLOCATION LINEITEM BASECURR TOTALPAID TRX_TOTALPAID "
            "TRX_DISCOUNTAPPLIED TOTALSELECTED TRX_TOTALSELECTED SUBTOTAL PARENTENTRY "
            "PAYMENTTAXCAPTURE DEFERREVENUE REVRECTEMPLATEKEY REVRECTEMPLATE "
            "DEFERREDREVACCTKEY DEFERREDREVACCTNO DEFERREDREVACCTTITLE REVRECSTARTDATE "
            "REVRECENDDATE BASELOCATION STATE RECORDTYPE BILLABLECONTRACTSCHENTRYKEY "
            "BILLABLECONTRACTUSAGEBILLINGID DETAILKEY RETAINAGEPERCENTAGE TRX_AMOUNTRETAINED "
            "AMOUNTRETAINED TRX_AMOUNTRELEASED RETAINAGE_OFFSETGLACCOUNTNO PROJECTCONTRACTID "
            "PROJECTCONTRACTKEY PROJECTCONTRACTLINEID PROJECTCONTRACTLINEKEY "
            "PROJECTCONTRACTNAME PROJECTCONTRACTLINENAME ISRETAINAGERELEASE ISSUMMARIZED "
            "AMORTIZATIONTEMPLATEKEY AMORTIZATIONTEMPLATEID AMORTIZATIONSTARTDATE "
            "AMORTIZATIONENDDATE ORIGDOCKEY ORIGDOCLINEKEY ORIGDOCID ORIGDOCLINEID "
            "CLASSDIMKEY CLASSNAME CUSTOMERDIMKEY CUSTOMERNAME VENDORDIMKEY VENDORNAME "
            "EMPLOYEEDIMKEY EMPLOYEENAME ITEMDIMKEY ITEMNAME PROJECTDIMKEY PROJECTNAME "
            "CONTRACTDIMKEY CONTRACTID CONTRACTNAME"
        ),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("ARINVOICE", "ARINVOICE", "RECORDKEY", "RECORDNO", "Invoice"),
        Relationship("GLACCOUNT", "GLACCOUNT", "ACCOUNTNO", "ACCOUNTNO", "Account"),
    ),
)

ARPYMT = ObjectDef(
    name="ARPYMT",
    label="AR Payment",
    plural="AR Payments",
    module="AR",
    source="docs/protocol.md §7 ARPYMT row (AR payments page; FYLE)",
    fields=(
        recordno(),
        fld("PRBATCHKEY", "Summary key", INT, readonly=True),
        fld("RECORDTYPE", "Record type", readonly=True),
        # a bank account or UNDEPOSITEDACCOUNTNO (AR payments page): payments.py checks one
        fld("FINANCIALENTITY", "Bank account"),
        fld("UNDEPOSITEDACCOUNTNO", "Undeposited funds account"),
        fld(
            "STATE",
            "State",
            values=_PAYMENT_STATES,
            aliases={
                "D": "Draft",
                "S": "Submitted",
                "A": "Approved",
                "C": "Complete",
                "V": "Voided",
            },
            readonly=True,
        ),
        fld("PAYMENTMETHOD", "Payment method", "ENUM", values=_PAYMENT_METHODS, required=True),
        fld("CUSTOMERID", "Customer ID", required=True),
        fld("CUSTOMERNAME", "Customer name", readonly=True),
        fld("DOCNUMBER", "Reference number"),
        fld("DESCRIPTION", "Memo"),
        fld("RECEIPTDATE", "Receipt date", DATE, required=True),
        fld("WHENPAID", "Paid date", DATE),
        fld("TOTALENTERED", "Total amount", CUR, readonly=True),
        fld("TOTALPAID", "Total paid", CUR, readonly=True),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
        fld("BASECURR", "Base currency"),
        *_listed_fields(
            "FINANCIALENTITYTYPE FINANCIALACCOUNTNAME FINANCIALACCOUNTCURRENCY SUMMARYTITLE "
            "DISPLAYSTATE PAYMENTMETHODKEY PAYERNAME EXCH_RATE_DATE EXCH_RATE_TYPE_ID "
            "EXCHANGE_RATE TRX_TOTALENTERED TRX_TOTALPAID TRX_TOTALDUE BILLTOPAYTONAME "
            "PRBATCH CLEARED CLRDATE RECORDID BILLTOPAYTOKEY PARENTPAYMENTKEY "
            "TAXSOLUTIONID SUPDOCID MULTIENTITYPYMTKEY RECORD_URL"
        ),
        *audit_fields(whencreated="DATE"),
        *entity_fields(),
    ),
    relationships=(Relationship("CUSTOMER", "CUSTOMER", "CUSTOMERID", "CUSTOMERID", "Customer"),),
    owned=(OwnedCollection("ARPYMTDETAILS", "ARPYMTDETAIL", "PAYMENTKEY"),),
)

ARPYMTDETAIL = ObjectDef(
    name="ARPYMTDETAIL",
    label="AR Payment Detail",
    plural="AR Payment Details",
    module="AR",
    source="protocol.md §7 ARPYMT row (ARPYMTDETAILS/ARPYMTDETAIL RECORDKEY, TRX_PAYMENTAMOUNT)",
    fields=(
        recordno(),
        fld("PAYMENTKEY", "Payment record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("RECORDKEY", "Invoice record number", INT, required=True),
        fld("PAYMENTAMOUNT", "Payment amount", CUR, readonly=True),
        fld("TRX_PAYMENTAMOUNT", "Transaction payment amount", CUR, required=True),
        fld("CURRENCY", "Currency"),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("ARPYMT", "ARPYMT", "PAYMENTKEY", "RECORDNO", "Payment"),
        Relationship("ARINVOICE", "ARINVOICE", "RECORDKEY", "RECORDNO", "Invoice"),
    ),
)

VENDOR = ObjectDef(
    name="VENDOR",
    label="Vendor",
    plural="Vendors",
    module="AP",
    id_field="VENDORID",
    source="docs/protocol.md §7 VENDOR row (DOC-VEND; FYLE); custom fields: emulator choice",
    fields=(
        recordno(),
        fld("VENDORID", "Vendor ID", required=True),
        fld("NAME", "Vendor name", required=True),
        status_field(),
        fld("ONETIME", "One-time", BOOL, aliases={"T": "true", "F": "false"}),
        fld("VENDTYPE", "Vendor type"),
        fld("PARENTID", "Parent"),
        fld("TAXID", "Tax ID"),
        fld("NAME1099", "Name as it appears on the 1099"),
        fld("TERMNAME", "Term"),
        fld("CURRENCY", "Default currency"),
        fld("CREDITLIMIT", "Credit limit", CUR),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("ONHOLD", "On hold", BOOL, aliases={"T": "true", "F": "false"}),
        *_contact_paths("DISPLAYCONTACT"),
        fld("PAYTOCONTACT.CONTACTNAME", "Pay to contact"),
        fld("RETURNTOCONTACT.CONTACTNAME", "Return to contact"),
        fld(
            "VENDOR_RISK_TIER",
            "Vendor risk tier",
            custom=True,
            values=("Low", "Medium", "High"),
        ),
        fld("ANNUAL_SPEND_TARGET", "Annual spend target", "DECIMAL", custom=True),
        *_listed_fields(
            "PARENTKEY PARENTNAME VENDORACCOUNTNO ACCOUNTLABEL APACCOUNT APACCOUNTTITLE"
        ),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("PARENT", "VENDOR", "PARENTID", "VENDORID", "Parent vendor"),
        Relationship("TERM", "APTERM", "TERMNAME", "NAME", "Term"),
        Relationship(
            "PAYTOCONTACT", "CONTACT", "PAYTOCONTACT.CONTACTNAME", "CONTACTNAME", "Pay to"
        ),
        Relationship(
            "RETURNTOCONTACT", "CONTACT", "RETURNTOCONTACT.CONTACTNAME", "CONTACTNAME", "Return to"
        ),
    ),
)

CUSTOMER = ObjectDef(
    name="CUSTOMER",
    label="Customer",
    plural="Customers",
    module="AR",
    id_field="CUSTOMERID",
    source="docs/protocol.md §7 CUSTOMER row (customers page; PHP inspect fixture; FYLE)",
    fields=(
        recordno(),
        fld("CUSTOMERID", "Customer ID", required=True),
        fld("NAME", "Customer name", required=True),
        fld("ENTITY", "Entity", readonly=True),
        fld("PARENTID", "Parent"),
        status_field(),
        fld("ONETIME", "One-time", BOOL, aliases={"T": "true", "F": "false"}),
        fld("ONHOLD", "On hold", BOOL, aliases={"T": "true", "F": "false"}),
        fld("CUSTTYPE", "Customer type"),
        fld("TERMNAME", "Term"),
        fld("CURRENCY", "Default currency"),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("GLGROUP", "GL group"),
        fld("CREDITLIMIT", "Credit limit", CUR),
        *_contact_paths("DISPLAYCONTACT"),
        *_listed_fields("PARENTKEY PARENTNAME CUSTREPNAME GLGRPKEY OBJECTRESTRICTION"),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("PARENT", "CUSTOMER", "PARENTID", "CUSTOMERID", "Parent customer"),
    ),
)

CONTACT = ObjectDef(
    name="CONTACT",
    label="Contact",
    plural="Contacts",
    module="CO",
    id_field="CONTACTNAME",
    source="docs/protocol.md §7 CONTACT row (contacts page; FYLE)",
    fields=(
        recordno(),
        fld("CONTACTNAME", "Contact name", required=True),
        fld("COMPANYNAME", "Company name"),
        fld("PREFIX", "Mr./Ms./Mrs."),
        fld("FIRSTNAME", "First name"),
        fld("LASTNAME", "Last name"),
        fld("PRINTAS", "Print as", required=True),
        fld("EMAIL1", "Primary email address"),
        fld("PHONE1", "Primary phone"),
        fld("MAILADDRESS.ADDRESS1", "Address line 1"),
        fld("MAILADDRESS.CITY", "City"),
        fld("MAILADDRESS.STATE", "State/Province"),
        fld("MAILADDRESS.ZIP", "Zip/Postal code"),
        fld("MAILADDRESS.COUNTRY", "Country"),
        status_field(),
        *_listed_fields("INITIAL TAXABLE"),
        *audit_fields(),
        *entity_fields(),
    ),
)

LOCATION = ObjectDef(
    name="LOCATION",
    label="Location",
    plural="Locations",
    module="CO",
    id_field="LOCATIONID",
    source="docs/protocol.md §7 LOCATION row (locations page; FYLE)",
    fields=(
        recordno(),
        fld("LOCATIONID", "Location ID", required=True),
        fld("NAME", "Location name", required=True),
        fld("PARENTID", "Parent"),
        status_field(),
        fld("CURRENCY", "Base currency"),
        fld("ENTITY", "Entity"),
        *audit_fields(),
    ),
    relationships=(Relationship("PARENT", "LOCATION", "PARENTID", "LOCATIONID", "Parent"),),
)

LOCATIONENTITY = ObjectDef(
    name="LOCATIONENTITY",
    label="Entity",
    plural="Entities",
    module="CO",
    id_field="LOCATIONID",
    source="protocol.md §7 LOCATION row (also LOCATIONENTITY for entities), protocol.md §8",
    fields=(
        recordno(),
        fld("LOCATIONID", "Entity ID", required=True),
        fld("NAME", "Entity name", required=True),
        fld("PARENTID", "Parent"),
        status_field(),
        fld("CURRENCY", "Base currency"),
        fld("OPCOUNTRY", "Operating country"),
        *_listed_fields(
            "REPORTPRINTAS SUPERVISORID FIRSTMONTH FIRSTMONTHTAX WEEKSTART FEDERALID "
            "STARTDATE ENDDATE HAS_IE_RELATION CUSTOMERID CUSTOMERNAME VENDORID VENDORNAME "
            "TAXID ENABLELEGALCONTACT LEGALNAME LEGALADDRESS1 LEGALADDRESS2 LEGALCITY "
            "LEGALSTATE LEGALZIPCODE LEGALCOUNTRY ADDRESSCOUNTRYDEFAULT RECORD_URL"
        ),
        *audit_fields(),
    ),
)

DEPARTMENT = ObjectDef(
    name="DEPARTMENT",
    label="Department",
    plural="Departments",
    module="CO",
    id_field="DEPARTMENTID",
    source="docs/protocol.md §7 DEPARTMENT row (FYLE; TAP)",
    fields=(
        recordno(),
        fld("DEPARTMENTID", "Department ID", required=True),
        fld("TITLE", "Department name", required=True),
        fld("PARENTKEY", "Parent key", INT),
        fld("PARENTID", "Parent"),
        fld("SUPERVISORNAME", "Manager"),
        status_field(),
        fld("CUSTTITLE", "Title on reports"),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(Relationship("PARENT", "DEPARTMENT", "PARENTID", "DEPARTMENTID", "Parent"),),
)

CLASS = ObjectDef(
    name="CLASS",
    label="Class",
    plural="Classes",
    module="CO",
    id_field="CLASSID",
    source="docs/protocol.md §7 CLASS row (PHP ResultTest capture)",
    fields=(
        recordno(),
        fld("CLASSID", "Class ID", required=True),
        fld("NAME", "Name", required=True),
        fld("DESCRIPTION", "Description"),
        status_field(),
        fld("PARENTKEY", "Parent key", INT),
        fld("PARENTID", "Parent ID"),
        fld("PARENTNAME", "Parent name", readonly=True),
        *_listed_fields("RECORD_URL"),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(Relationship("PARENT", "CLASS", "PARENTID", "CLASSID", "Parent"),),
)

PROJECT = ObjectDef(
    name="PROJECT",
    label="Project",
    plural="Projects",
    module="PA",
    id_field="PROJECTID",
    source="docs/protocol.md §7 PROJECT row (projects page; FYLE)",
    fields=(
        recordno(),
        fld("PROJECTID", "Project ID", required=True),
        fld("NAME", "Project name", required=True),
        fld("DESCRIPTION", "Description"),
        fld(
            "PROJECTCATEGORY",
            "Project category",
            "ENUM",
            values=("Contract", "Capitalized", "Internal Non-billable", "Internal Billable"),
        ),
        fld("PROJECTSTATUS", "Project status"),
        fld("PROJECTTYPE", "Project type"),
        fld("PARENTID", "Parent"),
        status_field(),
        fld("CUSTOMERID", "Customer"),
        fld("LOCATIONID", "Location"),
        fld("BEGINDATE", "Begin date", DATE),
        fld("ENDDATE", "End date", DATE),
        fld("BUDGETAMOUNT", "Budgeted amount", CUR),
        *_listed_fields(
            "CURRENCY PARENTKEY PARENTNAME CUSTOMERKEY CUSTOMERNAME DEPARTMENTNAME "
            "LOCATIONNAME BUDGETID"
        ),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("CUSTOMER", "CUSTOMER", "CUSTOMERID", "CUSTOMERID", "Customer"),
        Relationship("PARENT", "PROJECT", "PARENTID", "PROJECTID", "Parent"),
    ),
)

TASK = ObjectDef(
    name="TASK",
    label="Task",
    plural="Tasks",
    module="PA",
    id_field="TASKID",
    source="core object list; project tasks page (fields: emulator choice)",
    fields=(
        recordno(),
        fld("TASKID", "Task ID", required=True),
        fld("NAME", "Task name", required=True),
        fld("PROJECTID", "Project", required=True),
        fld("DESCRIPTION", "Description"),
        fld(
            "TASKSTATUS", "Task status", "ENUM", values=("Not Started", "In Progress", "Completed")
        ),
        fld("BILLABLE", "Billable", BOOL),
        fld("PBEGINDATE", "Planned begin date", DATE),
        fld("PENDDATE", "Planned end date", DATE),
        *_listed_fields(
            "PARENTKEY PARENTID PARENTTASKNAME PROJECTKEY PROJECTNAME ITEMKEY ITEMID ITEMNAME "
            "TASKNO CLASSID CLASSNAME CLASSKEY ROOTPARENTKEY ROOTPARENTID ROOTPARENTNAME"
        ),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(Relationship("PROJECT", "PROJECT", "PROJECTID", "PROJECTID", "Project"),),
)

ITEM = ObjectDef(
    name="ITEM",
    label="Item",
    plural="Items",
    module="INV",
    id_field="ITEMID",
    source="docs/protocol.md §7 ITEM row (items page; FYLE)",
    fields=(
        recordno(),
        fld("ITEMID", "Item ID", required=True),
        fld("NAME", "Name", required=True),
        status_field(),
        fld(
            "ITEMTYPE",
            "Item type",
            "ENUM",
            values=(
                "Inventory",
                "Non-Inventory",
                "Non-Inventory (Purchase only)",
                "Non-Inventory (Sales only)",
                "Kit",
                "Stockable Kit",
            ),
        ),
        fld("PRODUCTLINEID", "Product line"),
        fld("GLGROUP", "Item GL group"),
        fld("BASEPRICE", "Base price", CUR),
        fld("STANDARD_COST", "Standard cost", CUR),
        *_listed_fields("MRR EXTENDED_DESCRIPTION"),
        *audit_fields(),
        *entity_fields(),
    ),
)

EMPLOYEE = ObjectDef(
    name="EMPLOYEE",
    label="Employee",
    plural="Employees",
    module="EE",
    id_field="EMPLOYEEID",
    source="docs/protocol.md §7 EMPLOYEE row (employees page; FYLE)",
    fields=(
        recordno(),
        fld("EMPLOYEEID", "Employee ID", required=True),
        fld("TITLE", "Title"),
        fld("LOCATIONID", "Location"),
        fld("DEPARTMENTID", "Department"),
        status_field(),
        fld("STARTDATE", "Start date", DATE),
        fld("SUPERVISORID", "Manager"),
        fld("CONTACT.CONTACTNAME", "Contact name", required=True),
        fld("CONTACT.FIRSTNAME", "First name"),
        fld("CONTACT.LASTNAME", "Last name"),
        fld("CONTACT.EMAIL1", "Primary email address"),
        *_listed_fields(
            "SSN BIRTHDATE ENDDATE EMPLOYEETYPE EMPLOYEETYPE1099TYPE GENDER TERMINATIONTYPE "
            "CONTACT.PREFIX CONTACT.INITIAL CONTACT.COMPANYNAME CONTACT.PRINTAS "
            "CONTACT.PHONE1 CONTACT.PHONE2 CONTACT.CELLPHONE CONTACT.PAGER CONTACT.FAX "
            "CONTACT.EMAIL2 CONTACT.URL1 CONTACT.URL2 CONTACT.MAILADDRESS.ADDRESS1 "
            "CONTACT.MAILADDRESS.ADDRESS2 CONTACT.MAILADDRESS.CITY CONTACT.MAILADDRESS.STATE "
            "CONTACT.MAILADDRESS.ZIP CONTACT.MAILADDRESS.COUNTRY "
            "CONTACT.MAILADDRESS.COUNTRYCODE CURRENCY PAYMETHODKEY CONTACTKEY"
        ),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("LOCATION", "LOCATION", "LOCATIONID", "LOCATIONID", "Location"),
        Relationship("DEPARTMENT", "DEPARTMENT", "DEPARTMENTID", "DEPARTMENTID", "Department"),
    ),
)

CHECKINGACCOUNT = ObjectDef(
    name="CHECKINGACCOUNT",
    label="Checking Account",
    plural="Checking Accounts",
    module="CM",
    id_field="BANKACCOUNTID",
    source="core object list; cash management checking accounts page (fields: choice)",
    fields=(
        recordno(),
        fld("BANKACCOUNTID", "Account ID", required=True),
        fld("BANKACCOUNTNO", "Bank account number", required=True),
        fld("GLACCOUNTNO", "GL account", required=True),
        fld("BANKNAME", "Bank name"),
        fld("CURRENCY", "Currency"),
        fld("LOCATIONID", "Location"),
        status_field(),
        *_listed_fields("ROUTINGNO BRANCHID BANKACCOUNTTYPE DEPARTMENTID ACHBANKID COMPANYNAME"),
        *audit_fields(),
        *entity_fields(),
    ),
    relationships=(
        Relationship("GLACCOUNT", "GLACCOUNT", "GLACCOUNTNO", "ACCOUNTNO", "GL account"),
    ),
)

APTERM = ObjectDef(
    name="APTERM",
    label="AP Term",
    plural="AP Terms",
    module="AP",
    id_field="NAME",
    source="core object list; AP terms page (fields: emulator choice)",
    fields=(
        recordno(),
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
        fld("DISCPERCENT", "Discount percent", "PERCENT"),
        *audit_fields(),
    ),
)

USERINFO = ObjectDef(
    name="USERINFO",
    label="User",
    plural="Users",
    module="CO",
    id_field="LOGINID",
    source=(
        "protocol.md §4.2 (usertype='B'), protocol.md §7 AUDITHISTORY "
        "(OBJECTKEY = LOGINID for USERINFO)"
    ),
    fields=(
        recordno(),
        fld("LOGINID", "User ID", required=True),
        fld("DESCRIPTION", "User name"),
        fld(
            "USERTYPE",
            "User type",
            "ENUM",
            values=("business user", "employee user", "view only user", "project manager user"),
            aliases={
                "B": "business user",
                "E": "employee user",
                "V": "view only user",
                "P": "project manager user",
            },
        ),
        fld(
            "ADMIN",
            "Admin privileges",
            "ENUM",
            values=("Off", "Limited", "Full"),
            aliases={"0": "Off", "1": "Limited", "2": "Full"},
        ),
        status_field(),
        fld("LOGINDISABLED", "User disabled", BOOL),
        fld("CONTACTINFO.CONTACTNAME", "Contact name"),
        fld("CONTACTINFO.EMAIL1", "Email address"),
        *audit_fields(),
    ),
)

AUDITHISTORY = ObjectDef(
    name="AUDITHISTORY",
    label="Audit History",
    plural="Audit History",
    module="CO",
    readonly_object=True,
    source="docs/protocol.md §7 AUDITHISTORY row (DOC-AUDIT, DOC-AAUDIT, TAP delete detection)",
    fields=(
        recordno(),
        fld("ID", "ID", readonly=True, description="Unique id of the audited action"),
        fld("OBJECTTYPE", "Object type", readonly=True),
        fld("OBJECTKEY", "Object key", readonly=True),
        fld("OBJECTDESC", "Object description", readonly=True),
        fld("USERID", "User ID", readonly=True),
        fld("ACCESSTIME", "Access time", TS, readonly=True),
        fld(
            "ACCESSMODE",
            "Access mode",
            values=("A", "M", "C", "D", "W", "T", "U"),
            # query filters use the codes; readByQuery uses words (docs/protocol.md §7)
            aliases={
                "Access": "A",
                "Modify": "M",
                "Create": "C",
                "Delete": "D",
                "Workflow": "W",
                "Transfer": "T",
                "Undelete": "U",
            },
            readonly=True,
        ),
        fld("SOURCE", "Source", values=("api", "csv", "system", "ui"), readonly=True),
        fld("WORKFLOWACTION", "Workflow action", readonly=True),
        fld("IPADDRESS", "IP address", readonly=True),
    ),
)

OBJECTS: list[ObjectDef] = [
    GLACCOUNT,
    GLJOURNAL,
    GLBATCH,
    GLENTRY,
    GLDETAIL,
    APBILL,
    APBILLITEM,
    APPYMT,
    APPYMTDETAIL,
    ARINVOICE,
    ARINVOICEITEM,
    ARPYMT,
    ARPYMTDETAIL,
    VENDOR,
    CUSTOMER,
    CONTACT,
    LOCATION,
    LOCATIONENTITY,
    DEPARTMENT,
    CLASS,
    PROJECT,
    TASK,
    ITEM,
    EMPLOYEE,
    CHECKINGACCOUNT,
    APTERM,
    USERINFO,
    AUDITHISTORY,
]
