"""The Meltano Hub files are the plugins' own `--about` output, kept in sync."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HUB_FILES = {
    "tap-intacct": ROOT / "meltano-hub" / "extractors" / "tap-intacct.yml",
    "target-intacct": ROOT / "meltano-hub" / "loaders" / "target-intacct.yml",
}
SECRETS = {"sender_password", "user_password", "client_secret"}
CREDENTIALS = ["company_id", "sender_id", "sender_password", "user_id", "user_password"]
# The tap signs in to either API: XML credentials, or (api: rest) an OAuth client.
GROUPS = {
    "target-intacct": [CREDENTIALS],
    "tap-intacct": [
        ["company_id", "user_id", "sender_id", "sender_password", "user_password"],
        ["company_id", "user_id", "client_id", "client_secret"],
    ],
}


def _about(executable: str) -> dict:
    binary = Path(sys.executable).parent / executable
    out = subprocess.run(
        [str(binary), "--about", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return json.loads(out)


def test_hub_files_match_about_output() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sync_hub.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("executable", sorted(HUB_FILES))
def test_hub_file_describes_every_setting(executable: str) -> None:
    definition = yaml.safe_load(HUB_FILES[executable].read_text())
    about = _about(executable)
    assert definition["name"] == executable
    assert definition["executable"] == executable
    assert definition["namespace"] == executable.replace("-", "_")
    assert definition["capabilities"] == about["capabilities"]
    assert definition["settings_group_validation"] == GROUPS[executable]
    settings = {s["name"]: s for s in definition["settings"]}
    assert list(settings) == list(about["settings"]["properties"])
    for name, entry in settings.items():
        assert set(entry) >= {"name", "kind", "label", "description", "sensitive"}, entry
        assert entry["label"], name
        assert entry["sensitive"] is (name in SECRETS), name
    assert settings["company_id"]["label"] == "Company ID"
    assert settings["api_url"]["label"] == "API URL"
    assert settings["max_retries"]["kind"] == "integer"
    assert settings["request_timeout"]["kind"] == "decimal"


def test_hub_kinds_follow_the_schema() -> None:
    tap = {s["name"]: s for s in yaml.safe_load(HUB_FILES["tap-intacct"].read_text())["settings"]}
    assert tap["start_date"]["kind"] == "date_iso8601"
    assert tap["objects"]["kind"] == "array"
    assert tap["include_deletes"]["kind"] == "boolean"
    target_file = HUB_FILES["target-intacct"].read_text()
    target = {s["name"]: s for s in yaml.safe_load(target_file)["settings"]}
    assert target["transaction"]["kind"] == "options"
    assert [o["value"] for o in target["transaction"]["options"]] == ["none", "batch"]


@pytest.mark.parametrize("executable", sorted(HUB_FILES))
def test_hub_pip_url_is_one_git_requirement(executable: str) -> None:
    definition = yaml.safe_load(HUB_FILES[executable].read_text())
    homepage = _project_urls("intacct-connectors-tap")["Homepage"]
    assert definition["pip_url"] == f"git+{homepage}.git#subdirectory={executable}"
    assert " " not in definition["pip_url"]
    assert definition["repo"] == homepage


def _project_urls(distribution: str) -> dict[str, str]:
    from importlib import metadata

    urls = {}
    for entry in metadata.metadata(distribution).get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip()] = url.strip()
    return urls
