"""The README's settings tables are the plugins' own `--about` output, kept in sync."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_settings_match_about_output() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sync_readme.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_documents_every_tap_and_target_setting() -> None:
    from tap_intacct.settings import CONFIG_JSONSCHEMA as TAP_SETTINGS
    from target_intacct.settings import config_schema

    readme = (ROOT / "README.md").read_text()
    for schema in (TAP_SETTINGS, config_schema()):
        for name in schema["properties"]:
            assert f"| {name} |" in readme, name


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme
    assert "make test" in readme
