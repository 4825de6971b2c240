"""Fixed Assets objects. The demo company does not subscribe Fixed Assets (see
intacct_sandbox/subscriptions.py): the object is listed and described, but reading it
fails with the permission error, and it holds no rows."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    CUR,
    DATE,
    INT,
    api_page,
    fld,
    std,
)
from intacct_sandbox.catalog.model import ObjectDef

FIXEDASSET = std(
    "FIXEDASSET",
    "Fixed Asset",
    "FA",
    api_page("fixed-assets/assets"),
    (
        fld("ASSETID", "Asset ID", required=True),
        fld("NAME", "Name", required=True),
        fld("DESCRIPTION", "Description"),
        fld("CLASSIFICATIONID", "Classification"),
        fld("STATE", "State", "ENUM", values=("Draft", "Ready for use", "Disposed")),
        fld("ACQUISITIONDATE", "Acquisition date", DATE),
        fld("INSERVICEDATE", "In service date", DATE),
        fld("COST", "Cost", CUR),
        fld("SALVAGEVALUE", "Salvage value", CUR),
        fld("USEFULLIFE", "Useful life (months)", INT),
        fld("LOCATIONID", "Location"),
        fld("DEPARTMENTID", "Department"),
        fld("SERIALNUMBER", "Serial number"),
    ),
    id_field="ASSETID",
)

OBJECTS: list[ObjectDef] = [FIXEDASSET]
