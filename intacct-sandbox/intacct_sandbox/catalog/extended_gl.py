"""General Ledger objects beyond the core set: budgets, statistical accounts,
reporting periods, account groups, recurring journal entries, allocations."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    BOOL,
    CUR,
    DATE,
    DEC,
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

GLBUDGETHEADER = std(
    "GLBUDGETHEADER",
    "Budget",
    "GL",
    api_page("general-ledger/budgets"),
    (
        fld("BUDGETID", "Budget ID", required=True),
        fld("DESCRIPTION", "Description"),
        fld("SYSTEMGENERATED", "System generated", BOOL, letter_boolean=True, readonly=True),
        fld("DEFAULT_BUDGET", "Default budget", BOOL),
        fld("USER", "Last modified by"),
        status_field(),
        fld("ISCONSOLIDATED", "Consolidated", BOOL),
        fld("CURRENCY", "Currency"),
    ),
    id_field="BUDGETID",
    owned=(OwnedCollection("GLBUDGETITEMS", "GLBUDGETITEM", "BUDGETKEY"),),
)

GLBUDGETITEM = std(
    "GLBUDGETITEM",
    "Budget Detail",
    "GL",
    api_page("general-ledger/budgets", "line object"),
    (
        fld("BUDGETKEY", "Budget record number", INT, required=True),
        fld("BUDGETID", "Budget ID", readonly=True),
        fld("LINE_NO", "Line number", INT),
        fld("PERIODNAME", "Reporting period", required=True),
        fld("ACCOUNTNO", "Account number", required=True),
        fld("AMOUNT", "Amount", CUR, required=True),
        fld("BASEDON", "Based on", "ENUM", values=("Actual", "Budget")),
        fld("GROWBY", "Grow by", DEC),
        fld("PERPERIOD", "Per period", "ENUM", values=("Amount", "Percentage")),
        fld("NOTE", "Notes"),
        *dims("LOCATIONID", "DEPARTMENTID", "PROJECTID", "CLASSID"),
    ),
    plural="Budget Details",
    relationships=(
        Relationship("GLBUDGETHEADER", "GLBUDGETHEADER", "BUDGETKEY", "RECORDNO", "Budget"),
        Relationship("GLACCOUNT", "GLACCOUNT", "ACCOUNTNO", "ACCOUNTNO", "Account"),
    ),
)

STATACCOUNT = std(
    "STATACCOUNT",
    "Statistical Account",
    "GL",
    api_page("general-ledger/statistical-accounts"),
    (
        fld("ACCOUNTNO", "Account number", required=True),
        fld("TITLE", "Title", required=True),
        fld(
            "ACCOUNTTYPE",
            "Account type",
            "ENUM",
            values=("forperiod", "cumulative"),
        ),
        fld("CATEGORY", "Category"),
        status_field(),
        fld("REQUIREDEPT", "Require department", BOOL),
        fld("REQUIRELOC", "Require location", BOOL),
    ),
    id_field="ACCOUNTNO",
)

REPORTINGPERIOD = std(
    "REPORTINGPERIOD",
    "Reporting Period",
    "GL",
    api_page("general-ledger/reporting-periods"),
    (
        fld("NAME", "Name", required=True),
        fld("HEADER1", "Column header 1"),
        fld("HEADER2", "Column header 2"),
        fld("START_DATE", "Start date", DATE, required=True),
        fld("END_DATE", "End date", DATE, required=True),
        fld("BUDGETING", "Used for budgeting", BOOL),
        status_field(),
    ),
    id_field="NAME",
    entity=False,
)

ACCOUNTGROUP = std(
    "GLACCTGRP",
    "Account Group",
    "GL",
    api_page("general-ledger/account-groups"),
    (
        fld("NAME", "Name", required=True),
        fld("TITLE", "Report title"),
        fld("TOTALTITLE", "Total title"),
        fld(
            "HOWCREATED",
            "Group type",
            "ENUM",
            values=("Accounts", "Groups", "Statistical Accounts", "Computation"),
        ),
        fld("NORMAL_BALANCE", "Normal balance", "ENUM", values=("debit", "credit")),
        fld("ISKPI", "Is KPI", BOOL),
    ),
    id_field="NAME",
)

# The issue names ACCOUNTGROUP; the XML API's object for account groups is GLACCTGRP.
# Both are answered: ACCOUNTGROUP is the same definition under the name.
ACCOUNTGROUP_ALIAS = std(
    "ACCOUNTGROUP",
    "Account Group (alias)",
    "GL",
    api_page("general-ledger/account-groups", "the account-groups page's name for GLACCTGRP"),
    ACCOUNTGROUP.fields[1:-7],
    id_field="NAME",
    plural="Account Groups (alias)",
)

RECURGLBATCH = std(
    "RECURGLBATCH",
    "Recurring Journal Entry",
    "GL",
    api_page("general-ledger/recurring-journal-entries"),
    (
        fld("JOURNAL", "Journal", required=True),
        fld("DESCRIPTION", "Description", required=True),
        fld("REFERENCENO", "Reference number"),
        fld("STARTDATE", "Start date", DATE, required=True),
        fld("ENDDATE", "End date", DATE),
        fld("NEXTEXECDATE", "Next execution date", DATE, readonly=True),
        fld("REPEATBY", "Repeat by", "ENUM", values=("None", "Days", "Weeks", "Months", "Years")),
        fld("REPEATINTERVAL", "Repeat interval", INT),
        fld("EXECCOUNT", "Times executed", INT, readonly=True),
        status_field(),
    ),
    plural="Recurring Journal Entries",
    relationships=(Relationship("JOURNAL", "GLJOURNAL", "JOURNAL", "SYMBOL", "Journal"),),
)

ALLOCATION = std(
    "ALLOCATION",
    "Transaction Allocation",
    "GL",
    api_page("general-ledger/transaction-allocations"),
    (
        fld("ALLOCATIONID", "Allocation ID", required=True),
        fld("DESCRIPTION", "Description"),
        fld("TYPE", "Allocate by", "ENUM", values=("Percentage", "Absolute value")),
        fld("FOCUS", "Focus"),
        fld("TOTALPERCENT", "Total percent", PCT, readonly=True),
        status_field(),
    ),
    id_field="ALLOCATIONID",
)

GLACCOUNTBALANCE = std(
    "GLACCOUNTBALANCE",
    "GL Account Balance",
    "GL",
    api_page(
        "general-ledger/account-balances",
        "fields from 'Query and List Raw Account Balances'; a view over GLDETAIL, "
        "see functions/balances.py",
    ),
    (
        fld("PERIOD", "Reporting period", readonly=True),
        fld("BOOKID", "Book", "ENUM", values=("ACCRUAL", "CASH"), readonly=True),
        fld("CURRENCY", "Currency", readonly=True),
        fld("ACCOUNTNO", "Account number", readonly=True),
        fld("ACCOUNTTITLE", "Account title", readonly=True),
        fld("LOCATIONID", "Location ID", readonly=True),
        fld("DEPARTMENTID", "Department ID", readonly=True),
        fld("PROJECTID", "Project ID", readonly=True),
        fld("CUSTOMERID", "Customer ID", readonly=True),
        fld("VENDORID", "Vendor ID", readonly=True),
        fld("EMPLOYEEID", "Employee ID", readonly=True),
        fld("CLASSID", "Class ID", readonly=True),
        fld("OPENBAL", "Opening balance", CUR, readonly=True),
        fld("TOTDEBIT", "Total debits", CUR, readonly=True),
        fld("TOTCREDIT", "Total credits", CUR, readonly=True),
        fld("TOTADJDEBIT", "Total adjusting debits", CUR, readonly=True),
        fld("TOTADJCREDIT", "Total adjusting credits", CUR, readonly=True),
        fld("FORBAL", "For period balance", CUR, readonly=True),
        fld("ENDBAL", "Ending balance", CUR, readonly=True),
    ),
    entity=False,
    readonly_object=True,
)

OBJECTS: list[ObjectDef] = [
    GLBUDGETHEADER,
    GLBUDGETITEM,
    STATACCOUNT,
    REPORTINGPERIOD,
    ACCOUNTGROUP,
    ACCOUNTGROUP_ALIAS,
    RECURGLBATCH,
    ALLOCATION,
    GLACCOUNTBALANCE,
]
