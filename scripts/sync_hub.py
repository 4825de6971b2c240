"""Regenerate the Meltano Hub plugin definitions from `--about --format json`.

`python scripts/sync_hub.py` rewrites meltano-hub/extractors/tap-intacct.yml and
meltano-hub/loaders/target-intacct.yml; `--check` exits 1 when either is out of date
(a test runs that). The repository URL is read from the tap's package metadata
(`[project.urls] Homepage` in tap-intacct/pyproject.toml), the one place it is written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "meltano-hub"
VARIANT = "intacct-connectors"
URL_SOURCE_DISTRIBUTION = "intacct-connectors-tap"
# Words that a label spells in capitals (company_id -> Company ID).
ACRONYMS = {"id": "ID", "url": "URL", "api": "API", "ssl": "SSL", "rest": "REST"}


@dataclass(frozen=True)
class Plugin:
    """One plugin definition file and what the about output does not say."""

    executable: str
    plugin_type: str  # the Hub folder: extractors or loaders
    label: str
    keywords: tuple[str, ...]

    @property
    def path(self) -> Path:
        return HUB / self.plugin_type / f"{self.executable}.yml"


PLUGINS = (
    Plugin("tap-intacct", "extractors", "Sage Intacct", ("meltano_sdk", "accounting", "erp")),
    Plugin("target-intacct", "loaders", "Sage Intacct", ("meltano_sdk", "accounting", "erp")),
)


def repository_url() -> str:
    """The project's home, from the installed tap's Project-URL metadata."""
    for entry in metadata.metadata(URL_SOURCE_DISTRIBUTION).get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage":
            return url.strip()
    raise LookupError(f"{URL_SOURCE_DISTRIBUTION} declares no Homepage in [project.urls]")


def pip_url(executable: str, ref: str | None = None) -> str:
    """The one-requirement install of a plugin folder from git (optionally at a tag)."""
    at = f"@{ref}" if ref else ""
    return f"git+{repository_url()}.git{at}#subdirectory={executable}"


def about_json(executable: str) -> dict[str, Any]:
    binary = Path(sys.executable).parent / executable
    out = subprocess.run(
        [str(binary), "--about", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return dict(json.loads(out))


def label_for(name: str, schema: dict[str, Any]) -> str:
    if schema.get("title"):
        return str(schema["title"])
    words = name.split("_")
    return " ".join(ACRONYMS.get(word, word.capitalize()) for word in words)


def kind_for(schema: dict[str, Any]) -> str:
    """Meltano's setting kind for a JSON schema property."""
    if "enum" in schema:
        return "options"
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else [t for t in types if t != "null"]
    if not types:  # anyOf/oneOf without a plain type
        return "object"
    first = types[0]
    if first == "string":
        return "date_iso8601" if schema.get("format") in {"date-time", "date"} else "string"
    return {
        "integer": "integer",
        "number": "decimal",
        "boolean": "boolean",
        "array": "array",
        "object": "object",
    }.get(first, "string")


def setting(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    kind = kind_for(schema)
    entry: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "label": label_for(name, schema),
        "description": " ".join(str(schema.get("description", "")).split()),
        "sensitive": bool(schema.get("secret") or schema.get("writeOnly")),
    }
    if kind == "options":
        entry["options"] = [
            {"label": str(value), "value": value} for value in schema["enum"] if value is not None
        ]
    return entry


def definition(plugin: Plugin, about: dict[str, Any]) -> dict[str, Any]:
    """The Hub definition of one plugin, in the Hub's field order."""
    settings_schema = about["settings"]
    description = " ".join(about["description"].split())
    return {
        "name": plugin.executable,
        "variant": VARIANT,
        "label": plugin.label,
        "description": description.split(". ")[0].rstrip(".") + ".",
        "namespace": plugin.executable.replace("-", "_"),
        "pip_url": pip_url(plugin.executable),
        "executable": plugin.executable,
        "repo": repository_url(),
        "docs": f"{repository_url()}#readme",
        "keywords": list(plugin.keywords),
        "maintenance_status": "active",
        "capabilities": list(about["capabilities"]),
        "settings_group_validation": setting_groups(settings_schema),
        "settings": [
            setting(name, schema) for name, schema in settings_schema["properties"].items()
        ],
    }


def setting_groups(settings_schema: dict[str, Any]) -> list[list[str]]:
    """Meltano's setting groups: the required settings, once per `if`/`else` branch.

    A plugin whose credentials depend on a setting (the tap's `api`) says so with one
    JSON Schema `if`/`then`/`else`; each branch is a group of its own, `else` first.
    """
    base = list(settings_schema.get("required", []))
    branches = [
        clause
        for condition in settings_schema.get("allOf", [])
        for clause in (condition.get("else"), condition.get("then"))
        if clause
    ]
    if not branches:
        return [base]
    return [base + list(branch.get("required", [])) for branch in branches]


def render(plugin: Plugin) -> str:
    body = yaml.safe_dump(
        definition(plugin, about_json(plugin.executable)),
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    header = (
        f"# Meltano Hub definition of {plugin.executable}, generated from "
        f"`{plugin.executable} --about --format json`\n"
        "# by scripts/sync_hub.py; edit the plugin's settings, not this file.\n"
    )
    return header + body


def main() -> int:
    stale = []
    for plugin in PLUGINS:
        wanted = render(plugin)
        current = plugin.path.read_text() if plugin.path.exists() else ""
        if wanted == current:
            continue
        if "--check" in sys.argv:
            stale.append(str(plugin.path.relative_to(ROOT)))
            continue
        plugin.path.parent.mkdir(parents=True, exist_ok=True)
        plugin.path.write_text(wanted)
    if stale:
        print(f"out of date: {', '.join(stale)}; run .venv/bin/python scripts/sync_hub.py")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
