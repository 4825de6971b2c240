"""Contracts (Contracts and revenue management) objects."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    CUR,
    DATE,
    INT,
    Relationship,
    api_page,
    fld,
    status_field,
    std,
)
from intacct_sandbox.catalog.model import ObjectDef

CONTRACT = std(
    "CONTRACT",
    "Contract",
    "CN",
    api_page("contracts-rev-mgmt/contracts"),
    (
        fld("CONTRACTID", "Contract ID", required=True),
        fld("NAME", "Name", required=True),
        fld("CUSTOMERID", "Customer", required=True),
        fld("BEGINDATE", "Start date", DATE, required=True),
        fld("ENDDATE", "End date", DATE, required=True),
        fld("STATE", "State", "ENUM", values=("Draft", "In progress", "Renewed", "Cancelled")),
        fld(
            "BILLINGFREQUENCY",
            "Billing frequency",
            "ENUM",
            values=("Monthly", "Quarterly", "Annually"),
        ),
        fld("TOTALCONTRACTVALUE", "Total contract value", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
        fld("TERMNAME", "Payment term"),
        status_field(),
    ),
    id_field="CONTRACTID",
    relationships=(Relationship("CUSTOMER", "CUSTOMER", "CUSTOMERID", "CUSTOMERID", "Customer"),),
)

CONTRACTDETAIL = std(
    "CONTRACTDETAIL",
    "Contract Line",
    "CN",
    api_page("contracts-rev-mgmt/contract-lines"),
    (
        fld("CONTRACTKEY", "Contract record number", INT, required=True),
        fld("CONTRACTID", "Contract ID", readonly=True),
        fld("LINENO", "Line number", INT),
        fld("ITEMID", "Item", required=True),
        fld("BEGINDATE", "Start date", DATE),
        fld("ENDDATE", "End date", DATE),
        fld("FLATAMOUNT", "Flat amount", CUR),
        fld("BILLINGMETHOD", "Billing method", "ENUM", values=("Fixed price", "Quantity based")),
    ),
    relationships=(Relationship("CONTRACT", "CONTRACT", "CONTRACTKEY", "RECORDNO", "Contract"),),
)

OBJECTS: list[ObjectDef] = [CONTRACT, CONTRACTDETAIL]
