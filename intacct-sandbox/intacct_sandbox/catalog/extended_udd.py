"""User-defined dimensions of the demo company: platform objects whose
typenames are lower- or mixed-case in `inspect *` (docs/protocol.md §4.9; casing UNCONFIRMED, so the
canonical name is echoed everywhere, docs/protocol.md §5.5). `getDimensions` lists them with
`userDefinedDimension` true (functions/company.py reads `UDD_DIMENSIONS`).

Field set (RECORDNO, ID, NAME, description, status, audit) is an emulator choice modelled
on how platform objects look in `lookup`; custom fields carry ISCUSTOM=true."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    api_page,
    fld,
    status_field,
    std,
)
from intacct_sandbox.catalog.model import ObjectDef

_SOURCE = api_page("platform-services/user-defined-dimensions", "fields: emulator choice")


def _udd(name: str, label: str, extra_label: str) -> ObjectDef:
    return std(
        name,
        label,
        "PLATFORM",
        _SOURCE,
        (
            fld("ID", f"{label} ID", required=True),
            fld("NAME", "Name", required=True),
            fld("DESCRIPTION", "Description", custom=True),
            fld("OWNER", extra_label, custom=True),
            status_field(),
        ),
        id_field="ID",
        entity=False,
        custom=True,
    )


FUND = _udd("fund", "Fund", "Fund manager")
GRANT_PROGRAM = _udd("grant_program", "Grant Program", "Program officer")
REGION = _udd("Region", "Region", "Regional lead")

# (object, term label shown by getDimensions)
UDD_DIMENSIONS: tuple[tuple[ObjectDef, str], ...] = (
    (FUND, "Fund"),
    (GRANT_PROGRAM, "Program"),
    (REGION, "Sales region"),
)

OBJECTS: list[ObjectDef] = [FUND, GRANT_PROGRAM, REGION]
