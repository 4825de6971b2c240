"""User-defined (platform) objects of the demo company.

Platform objects can appear with lower-case typenames in `inspect *` (protocol.md §4.9); casing of
custom objects is UNCONFIRMED (docs/protocol.md §5.5), so the sandbox echoes the canonical name
`project_budget` everywhere (listtype, record element). Its fields are custom (ISCUSTOM).
"""

from __future__ import annotations

from intacct_sandbox.catalog.model import ObjectDef, audit_fields, fld, recordno

PROJECT_BUDGET = ObjectDef(
    name="project_budget",
    label="Project Budget",
    plural="Project Budgets",
    module="PLATFORM",
    id_field="NAME",
    custom=True,
    source=(
        "protocol.md §4.9 (lower-case platform typenames), DOC-OBJ; field set is an emulator choice"
    ),
    fields=(
        recordno(),
        fld("NAME", "Name", required=True),
        fld("PROJECTID", "Project", custom=True),
        fld("FISCAL_YEAR", "Fiscal year", "INTEGER", custom=True),
        fld("BUDGET_AMOUNT", "Budget amount", "DECIMAL", custom=True),
        fld("APPROVED", "Approved", "BOOLEAN", custom=True),
        fld("NOTES", "Notes", custom=True),
        *audit_fields(),
    ),
)

OBJECTS: list[ObjectDef] = [PROJECT_BUDGET]
