"""Cash Management objects beyond CHECKINGACCOUNT: savings and credit-card
accounts, the BANKACCOUNT view over all of them, payment-provider bank accounts,
deposits, other receipts, funds transfers and credit-card transactions."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
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
from intacct_sandbox.catalog.model import FieldDef, ObjectDef

_GL = Relationship("GLACCOUNT", "GLACCOUNT", "GLACCOUNTNO", "ACCOUNTNO", "GL account")


def _bank_fields() -> tuple[FieldDef, ...]:
    return (
        fld("BANKACCOUNTID", "Account ID", required=True),
        fld("BANKACCOUNTNO", "Bank account number", required=True),
        fld("GLACCOUNTNO", "GL account", required=True),
        fld("BANKNAME", "Bank name"),
        fld("ROUTINGNO", "Routing number"),
        fld("CURRENCY", "Currency"),
        fld("LOCATIONID", "Location"),
        fld("LASTRECONCILEDBALANCE", "Last reconciled balance", CUR, readonly=True),
        fld("LASTRECONCILEDDATE", "Last reconciled date", DATE, readonly=True),
        status_field(),
    )


SAVINGSACCOUNT = std(
    "SAVINGSACCOUNT",
    "Savings Account",
    "CM",
    api_page("cash-management/savings-accounts"),
    _bank_fields(),
    id_field="BANKACCOUNTID",
    relationships=(_GL,),
)

BANKACCOUNT = std(
    "BANKACCOUNT",
    "Bank Account",
    "CM",
    api_page(
        "cash-management/bank-accounts",
        "read-only view over checking and savings; page not confirmed offline",
    ),
    (
        *_bank_fields(),
        fld("ACCOUNTTYPE", "Account type", "ENUM", values=("checking", "savings"), readonly=True),
    ),
    id_field="BANKACCOUNTID",
    readonly_object=True,
    relationships=(_GL,),
)

CREDITCARD = std(
    "CREDITCARD",
    "Credit Card Account",
    "CM",
    api_page("cash-management/credit-card-accounts"),
    (
        fld("CARDID", "Card ID", required=True),
        fld("CARDNUM", "Card number (last digits)"),
        fld("CARDTYPE", "Card type", "ENUM", values=("Visa", "MasterCard", "Amex", "Other")),
        fld("EXP_MONTH", "Expiration month", INT),
        fld("EXP_YEAR", "Expiration year", INT),
        fld("DESCRIPTION", "Description"),
        fld("VENDORID", "Issuer vendor"),
        fld("LIABACCTKEY", "Liability account"),
        fld("CURRENCY", "Currency"),
        status_field(),
    ),
    id_field="CARDID",
    plural="Credit Card Accounts",
)

PROVIDERBANKACCOUNT = std(
    "PROVIDERBANKACCOUNT",
    "Provider Bank Account",
    "CM",
    api_page("cash-management/provider-bank-accounts", "payment provider enrolment"),
    (
        fld("PROVIDERID", "Payment provider", required=True),
        fld("BANKACCOUNTID", "Bank account", required=True),
        fld("STATE", "State", "ENUM", values=("pending", "active", "rejected")),
        fld("CURRENCY", "Currency"),
        status_field(),
    ),
    relationships=(
        Relationship("CHECKINGACCOUNT", "CHECKINGACCOUNT", "BANKACCOUNTID", "BANKACCOUNTID"),
    ),
)

DEPOSIT = std(
    "DEPOSIT",
    "Deposit",
    "CM",
    api_page("cash-management/deposits"),
    (
        fld("FINANCIALENTITY", "Bank account", required=True),
        fld("DEPOSITID", "Deposit slip ID"),
        fld("DESCRIPTION", "Description"),
        fld("WHENPAID", "Deposit date", DATE),
        fld("STATE", "State", "ENUM", values=("Draft", "Deposited", "Reconciled")),
        fld("TOTALENTERED", "Total", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
    ),
    whencreated="DATE",
)

OTHERRECEIPTS = std(
    "OTHERRECEIPTS",
    "Other Receipt",
    "CM",
    api_page("cash-management/other-receipts"),
    (
        fld("PAYEE", "Payer", required=True),
        fld("PAYMETHOD", "Payment method", "ENUM", values=("Printed Check", "Cash", "EFT")),
        fld("DOCNUMBER", "Reference number"),
        fld("DESCRIPTION", "Description"),
        fld("DEPOSITTO", "Deposit to", "ENUM", values=("Bank", "Undeposited Funds")),
        fld("BANKACCOUNTID", "Bank account"),
        fld("RECEIPTDATE", "Receipt date", DATE),
        fld("TOTALENTERED", "Total", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
    ),
    whencreated="DATE",
    plural="Other Receipts",
)

FUNDSTRANSFER = std(
    "FUNDSTRANSFER",
    "Funds Transfer",
    "CM",
    api_page("cash-management/funds-transfers"),
    (
        fld("FROMACCOUNTID", "From account", required=True),
        fld("TOACCOUNTID", "To account", required=True),
        fld("TRANSFERDATE", "Transfer date", DATE, required=True),
        fld("AMOUNT", "Amount", CUR, required=True),
        fld("CURRENCY", "Currency"),
        fld("DESCRIPTION", "Description"),
        fld("STATE", "State", "ENUM", values=("Draft", "Posted", "Reconciled")),
    ),
)

CCTRANSACTION = std(
    "CCTRANSACTION",
    "Credit Card Transaction",
    "CM",
    api_page("cash-management/credit-card-transactions"),
    (
        fld("FINANCIALENTITY", "Credit card account", required=True),
        fld("RECORDID", "Reference number"),
        fld("PAYEE", "Payee"),
        fld("DESCRIPTION", "Description"),
        fld("WHENPAID", "Paid date", DATE),
        fld("STATE", "State", "ENUM", values=("Draft", "Posted", "Reconciled", "Reversed")),
        fld("TOTALENTERED", "Total entered", CUR, readonly=True),
        fld("TRX_TOTALENTERED", "Transaction total entered", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
    ),
    whencreated="DATE",
    owned=(OwnedCollection("CCTRANSACTIONENTRIES", "CCTRANSACTIONENTRY", "RECORDKEY"),),
)

CCTRANSACTIONENTRY = std(
    "CCTRANSACTIONENTRY",
    "Credit Card Transaction Line",
    "CM",
    api_page("cash-management/credit-card-transactions", "line object"),
    (
        fld("RECORDKEY", "Transaction record number", INT, required=True),
        fld("LINE_NO", "Line number", INT),
        fld("ACCOUNTNO", "Account number", required=True),
        fld("AMOUNT", "Amount", CUR, readonly=True),
        fld("TRX_AMOUNT", "Transaction amount", CUR, required=True),
        fld("DESCRIPTION", "Memo"),
        *dims("LOCATIONID", "DEPARTMENTID", "PROJECTID", "VENDORID", "EMPLOYEEID"),
    ),
    relationships=(
        Relationship("CCTRANSACTION", "CCTRANSACTION", "RECORDKEY", "RECORDNO", "Transaction"),
    ),
)

OBJECTS: list[ObjectDef] = [
    SAVINGSACCOUNT,
    BANKACCOUNT,
    CREDITCARD,
    PROVIDERBANKACCOUNT,
    DEPOSIT,
    OTHERRECEIPTS,
    FUNDSTRANSFER,
    CCTRANSACTION,
    CCTRANSACTIONENTRY,
]
