"""docs/rest-migration.md's tables are generated from the code that decides them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rest-migration.md"


def test_rest_migration_tables_are_in_sync() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rest_migration_tables.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_sandbox_rest_object_has_a_field_table() -> None:
    from intacct_sandbox.rest.objects import REST_OBJECTS
    from tap_intacct.rest_discovery import stream_name_for

    text = DOC.read_text(encoding="utf-8")
    for name, rest in REST_OBJECTS.items():
        assert f"#### `{stream_name_for(name)}` <- `{rest.catalog_name.lower()}`" in text
        assert f"| `{name}` | `{stream_name_for(name)}` |" in text
