"""Projects and Time & Expenses objects: project types and statuses, cost types,
timesheets and their lines, employee expenses and their lines, expense adjustments.

Known quirk kept on purpose: lookup of TIMESHEET lists `LINES#` (intacct-sdk-net issue
#193) while records carry no such field; the sandbox lists it as the object's one
unqueryable field so clients meet the documented "cannot be queried" error."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    BOOL,
    CUR,
    DATE,
    DEC,
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

PROJECTTYPE = std(
    "PROJECTTYPE",
    "Project Type",
    "PA",
    api_page("project-resource-mgmt/project-types"),
    (
        fld("NAME", "Name", required=True),
        fld("PARENT.NAME", "Parent"),
        status_field(),
    ),
    id_field="NAME",
)

PROJECTSTATUS = std(
    "PROJECTSTATUS",
    "Project Status",
    "PA",
    api_page("project-resource-mgmt/project-statuses"),
    (
        fld("NAME", "Name", required=True),
        fld("DESCRIPTION", "Description"),
        fld("PREVENTTIMESHEET", "Prevent timesheets", BOOL),
        fld("PREVENTEXPENSE", "Prevent expenses", BOOL),
        fld("PREVENTAPPO", "Prevent AP and PO", BOOL),
        fld("PREVENTGENINVOICE", "Prevent invoice generation", BOOL),
        status_field(),
    ),
    id_field="NAME",
    plural="Project Statuses",
)

COSTTYPE = std(
    "COSTTYPE",
    "Cost Type",
    "PA",
    api_page("construction/cost-types"),
    (
        fld("COSTTYPEID", "Cost type ID", required=True),
        fld("NAME", "Name", required=True),
        fld("PROJECTID", "Project", required=True),
        fld("TASKID", "Task", required=True),
        fld("DESCRIPTION", "Description"),
        fld("ACCUMULATIONTYPENAME", "Accumulation type"),
        fld("STANDARDCOSTTYPEID", "Standard cost type"),
        status_field(),
    ),
    id_field="COSTTYPEID",
    relationships=(Relationship("PROJECT", "PROJECT", "PROJECTID", "PROJECTID", "Project"),),
)

TIMESHEET = std(
    "TIMESHEET",
    "Timesheet",
    "EE",
    api_page("time-expenses/timesheets"),
    (
        fld("EMPLOYEEID", "Employee", required=True),
        fld("BEGINDATE", "Begin date", DATE, required=True),
        fld("DESCRIPTION", "Description"),
        fld("STATE", "State", "ENUM", values=("Draft", "Submitted", "Approved", "Declined")),
        fld("UOM", "Unit of measure", "ENUM", values=("Hours", "Days")),
        fld("HOURSINDAY", "Hours in day", DEC),
        fld("LINES#", "Number of lines", INT, readonly=True, queryable=False),
    ),
    relationships=(Relationship("EMPLOYEE", "EMPLOYEE", "EMPLOYEEID", "EMPLOYEEID", "Employee"),),
    owned=(OwnedCollection("TIMESHEETENTRIES", "TIMESHEETENTRY", "TIMESHEETKEY"),),
)

TIMESHEETENTRY = std(
    "TIMESHEETENTRY",
    "Timesheet Entry",
    "EE",
    api_page("time-expenses/timesheets", "line object"),
    (
        fld("TIMESHEETKEY", "Timesheet record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("ENTRYDATE", "Entry date", DATE, required=True),
        fld("QTY", "Hours", DEC, required=True),
        fld("DESCRIPTION", "Description"),
        fld("NOTES", "Notes"),
        fld("BILLABLE", "Billable", BOOL),
        fld("STATE", "State", "ENUM", values=("Draft", "Submitted", "Approved", "Declined")),
        fld("TIMETYPE", "Time type"),
        *dims("EMPLOYEEID", "PROJECTID", "TASKID", "CUSTOMERID", "LOCATIONID", "DEPARTMENTID"),
    ),
    plural="Timesheet Entries",
    relationships=(
        Relationship("TIMESHEET", "TIMESHEET", "TIMESHEETKEY", "RECORDNO", "Timesheet"),
    ),
)

EEXPENSES = std(
    "EEXPENSES",
    "Employee Expense",
    "EE",
    api_page("time-expenses/employee-expenses"),
    (
        fld("RECORDID", "Expense report number"),
        fld("EMPLOYEEID", "Employee", required=True),
        fld("DESCRIPTION", "Description"),
        fld(
            "STATE", "State", "ENUM", values=("Draft", "Submitted", "Approved", "Paid", "Declined")
        ),
        fld("WHENPOSTED", "GL posting date", DATE),
        fld("TOTALENTERED", "Total entered", CUR, readonly=True),
        fld("TOTALPAID", "Total paid", CUR, readonly=True),
        fld("TOTALDUE", "Total due", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
        fld("BASECURR", "Base currency"),
    ),
    whencreated="DATE",
    relationships=(Relationship("EMPLOYEE", "EMPLOYEE", "EMPLOYEEID", "EMPLOYEEID", "Employee"),),
    owned=(OwnedCollection("EEXPENSESITEMS", "EEXPENSESITEM", "RECORDKEY"),),
)

EEXPENSESITEM = std(
    "EEXPENSESITEM",
    "Employee Expense Line",
    "EE",
    api_page("time-expenses/employee-expenses", "line object"),
    (
        fld("RECORDKEY", "Expense report record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("ACCOUNTLABEL", "Expense type"),
        fld("GLACCOUNTNO", "Account number"),
        fld("AMOUNT", "Amount", CUR, readonly=True),
        fld("TRX_AMOUNT", "Transaction amount", CUR, required=True),
        fld("EXPENSEDATE", "Expense date", DATE),
        fld("DESCRIPTION", "Memo"),
        fld("BILLABLE", "Billable", BOOL),
        *dims("PROJECTID", "CUSTOMERID", "LOCATIONID", "DEPARTMENTID"),
    ),
    plural="Employee Expense Lines",
    relationships=(Relationship("EEXPENSES", "EEXPENSES", "RECORDKEY", "RECORDNO", "Expense"),),
)

EXPENSEADJUSTMENTS = std(
    "EXPENSEADJUSTMENTS",
    "Expense Adjustment",
    "EE",
    api_page("time-expenses/expense-adjustments"),
    (
        fld("RECORDID", "Adjustment number"),
        fld("EMPLOYEEID", "Employee", required=True),
        fld("DESCRIPTION", "Description"),
        fld("STATE", "State", "ENUM", values=("Draft", "Submitted", "Approved", "Posted")),
        fld("TOTALENTERED", "Total entered", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
    ),
    whencreated="DATE",
)

TIMETYPE = std(
    "TIMETYPE",
    "Time Type",
    "EE",
    api_page("time-expenses/time-types"),
    (
        fld("NAME", "Name", required=True),
        fld("ACCOUNTNO", "Expense account"),
        fld("OFFSETACCOUNTNO", "Offset account"),
        status_field(),
    ),
    id_field="NAME",
)

OBJECTS: list[ObjectDef] = [
    PROJECTTYPE,
    PROJECTSTATUS,
    COSTTYPE,
    TIMESHEET,
    TIMESHEETENTRY,
    EEXPENSES,
    EEXPENSESITEM,
    EXPENSEADJUSTMENTS,
    TIMETYPE,
]
