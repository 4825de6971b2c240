"""Company configuration and platform-of-record objects: inter-entity
affiliates, currencies and exchange rates, company preferences, dimension groups, roles.
Tax objects live in extended_tax.py; user-defined dimensions in extended_udd.py."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    BOOL,
    DATE,
    DEC,
    INT,
    Relationship,
    api_page,
    fld,
    status_field,
    std,
)
from intacct_sandbox.catalog.model import ObjectDef

AFFILIATEENTITY = std(
    "AFFILIATEENTITY",
    "Affiliate Entity",
    "CO",
    api_page("company-config/affiliate-entities", "inter-entity partners"),
    (
        fld("AFFILIATEENTITYID", "Affiliate entity ID", required=True),
        fld("NAME", "Name", required=True),
        fld("ENTITYID", "Entity"),
        fld("CURRENCY", "Currency"),
        status_field(),
    ),
    id_field="AFFILIATEENTITYID",
    plural="Affiliate Entities",
    entity=False,
)

TRXCURRENCIES = std(
    "TRXCURRENCIES",
    "Transaction Currency",
    "CO",
    api_page("company-config/transaction-currencies"),
    (
        fld("CODE", "Currency code", required=True),
        fld("NAME", "Name"),
        fld("SYMBOL", "Symbol"),
        fld("DECIMALS", "Decimal places", INT),
        fld("ISBASE", "Base currency", BOOL, readonly=True),
        status_field(),
    ),
    id_field="CODE",
    plural="Transaction Currencies",
    entity=False,
)

EXCHANGERATE = std(
    "EXCHANGERATE",
    "Exchange Rate",
    "CO",
    api_page("company-config/exchange-rates"),
    (
        fld("EXCHANGERATETYPE", "Exchange rate type", required=True),
        fld("FROM_CURRENCY", "From currency", required=True),
        fld("TO_CURRENCY", "To currency", required=True),
        fld("EFFECTIVE_START_DATE", "Effective date", DATE, required=True),
        fld("RATE", "Rate", DEC, required=True),
        fld("RECIPROCAL_RATE", "Reciprocal rate", DEC, readonly=True),
    ),
    entity=False,
)

COMPANYPREF = std(
    "COMPANYPREF",
    "Company Preference",
    "CO",
    api_page("company-config/company-preferences", "one row per preference"),
    (
        fld("PREFERENCE", "Preference", required=True),
        fld("PREFVALUE", "Value"),
        fld("APPLICATION", "Application"),
    ),
    id_field="PREFERENCE",
    entity=False,
)

DEPARTMENTGROUP = std(
    "DEPARTMENTGROUP",
    "Department Group",
    "CO",
    api_page("company-config/department-groups"),
    (
        fld("ID", "Group ID", required=True),
        fld("NAME", "Name", required=True),
        fld("DESCRIPTION", "Description"),
        fld("GROUPTYPE", "Group type", "ENUM", values=("ALL", "SPECIFIC")),
        fld("MEMBERS", "Members", description="Member department IDs joined with #~#"),
    ),
    id_field="ID",
)

LOCATIONGROUP = std(
    "LOCATIONGROUP",
    "Location Group",
    "CO",
    api_page("company-config/location-groups"),
    (
        fld("ID", "Group ID", required=True),
        fld("NAME", "Name", required=True),
        fld("DESCRIPTION", "Description"),
        fld("GROUPTYPE", "Group type", "ENUM", values=("ALL", "SPECIFIC")),
        fld("MEMBERS", "Members", description="Member location IDs joined with #~#"),
    ),
    id_field="ID",
)

ROLES = std(
    "ROLES",
    "Role",
    "CO",
    api_page("company-config/roles"),
    (
        fld("NAME", "Name", required=True),
        fld("DESCRIPTION", "Description"),
        fld("ROLETYPE", "Role type", "ENUM", values=("Enterprise", "Entity")),
        fld("APPLYTO", "Apply to", "ENUM", values=("LoginAndSlide", "LoginOnly", "SlideOnly")),
    ),
    id_field="NAME",
    entity=False,
)

USERROLES = std(
    "USERROLES",
    "User Role",
    "CO",
    api_page("company-config/roles", "user to role assignments"),
    (
        fld("USERID", "User ID", required=True),
        fld("ROLENAME", "Role", required=True),
    ),
    entity=False,
    relationships=(Relationship("ROLE", "ROLES", "ROLENAME", "NAME", "Role"),),
)

OBJECTS: list[ObjectDef] = [
    AFFILIATEENTITY,
    TRXCURRENCIES,
    EXCHANGERATE,
    COMPANYPREF,
    DEPARTMENTGROUP,
    LOCATIONGROUP,
    ROLES,
    USERROLES,
]
