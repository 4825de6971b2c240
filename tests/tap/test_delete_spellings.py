"""The AUDITHISTORY delete filter's spellings (the sandbox variants audit_accessmode and
audit_objecttype exercise them end to end in tests/reliability/test_variant_matrix.py)."""

from __future__ import annotations

import pytest
from tap_intacct.deletes import DELETE_MODES, is_delete, object_types


@pytest.mark.parametrize("mode", ["D", "Delete", "Deleted", "Delete Event", " delete  event ", "d"])
def test_every_known_delete_spelling_is_a_delete(mode: str) -> None:
    assert is_delete(mode)


@pytest.mark.parametrize("mode", ["C", "M", "Create", "Modify", "Undelete", "", None, "Deleter"])
def test_other_modes_are_not_deletes(mode: object) -> None:
    assert not is_delete(mode)


def test_filter_values_cover_codes_and_words() -> None:
    assert set(DELETE_MODES) == {"D", "Delete", "Deleted", "Delete Event"}


def test_object_types_name_legacy_types_and_map_back() -> None:
    assert object_types(["GLBATCH", "APBILL", "ARINVOICE", "VENDOR", "GLENTRY"]) == {
        "glbatch": "glbatch",
        "journal": "glbatch",
        "apbill": "apbill",
        "bill": "apbill",
        "arinvoice": "arinvoice",
        "invoice": "arinvoice",
        "vendor": "vendor",
        "glentry": "glentry",
    }
