"""Taxes objects: tax details and tax schedules."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    DEC,
    api_page,
    fld,
    status_field,
    std,
)
from intacct_sandbox.catalog.model import ObjectDef

TAXDETAIL = std(
    "TAXDETAIL",
    "Tax Detail",
    "TX",
    api_page("taxes/tax-details"),
    (
        fld("DETAILID", "Tax detail ID", required=True),
        fld("DESCRIPTION", "Description"),
        fld("TAXTYPE", "Tax type", "ENUM", values=("Sale", "Purchase")),
        fld("VALUE", "Percent", DEC),
        fld("GLACCOUNT", "GL account"),
        fld("TAXSOLUTIONID", "Tax solution"),
        status_field(),
    ),
    id_field="DETAILID",
    entity=False,
)

TAXSCHEDULE = std(
    "TAXSCHEDULE",
    "Tax Schedule",
    "TX",
    api_page("taxes/tax-schedules"),
    (
        fld("SCHEDULEID", "Schedule ID", required=True),
        fld("NAME", "Name"),
        fld("DESCRIPTION", "Description"),
        fld("SCHEDULETYPE", "Schedule type", "ENUM", values=("Sale", "Purchase")),
        status_field(),
    ),
    id_field="SCHEDULEID",
    entity=False,
)

OBJECTS: list[ObjectDef] = [TAXDETAIL, TAXSCHEDULE]
