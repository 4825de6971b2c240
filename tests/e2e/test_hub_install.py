"""A user's Meltano project: both plugins added from the Hub files, installed from git.

The repository's committed HEAD is cloned into a temporary folder, a new project is made
with `meltano init`, and tap-intacct and target-intacct are added with `--from-ref` from
meltano-hub/, their pip_url pointed at the clone (`git+file://...@<commit>#subdirectory=...`).
Nothing from this checkout's own venv or meltano.yml is used by the plugins: they install
exactly as a user's pipeline would install them. Then `meltano run` extracts a few objects
from a sandbox into JSONL files, reconciled per stream, and target-intacct loads the
unified sample into a sandbox from the same project.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from reconcile import catalog_keys, reconcile_stream  # noqa: E402
from sandbox_process import DEFAULT_CREDENTIALS, Sandbox  # noqa: E402

pytestmark = [pytest.mark.e2e]

VENV_BIN = Path(sys.executable).parent
OBJECTS = ["VENDOR", "CUSTOMER", "GLACCOUNT", "DEPARTMENT"]
# target-jsonl as this repository's meltano.yml defines it: Meltano Hub is not reachable.
JSONL_LOADER = {
    "name": "target-jsonl",
    "namespace": "target_jsonl",
    "pip_url": "target-jsonl==0.1.4",
    "executable": "target-jsonl",
    "settings": [
        {"name": "destination_path", "kind": "string"},
        {"name": "do_timestamp_file", "kind": "boolean"},
    ],
}
# Records of samples/unified.singer per stream, and the sandbox object each becomes.
SAMPLE_OBJECTS = {
    "Vendors": "VENDOR",
    "Customers": "CUSTOMER",
    "Bills": "APBILL",
    "Invoices": "ARINVOICE",
    "JournalEntries": "GLBATCH",
    "BillPayments": "APPYMT",
    "InvoicePayments": "ARPYMT",
    "PurchaseOrders": "PODOCUMENT",
}


@dataclass(frozen=True)
class HubProject:
    """A fresh Meltano project with the plugins added from the Hub files."""

    root: Path
    clone: Path
    meltano: Callable[..., subprocess.CompletedProcess[str]]


def _run(
    args: list[str], cwd: Path, stdin_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
    try:
        proc = subprocess.run(
            args,
            cwd=cwd,
            env=env,
            stdin=stdin,
            capture_output=True,
            timeout=900,
            check=False,
        )
    finally:
        if stdin_path:
            stdin.close()  # type: ignore[union-attr]
    out = proc.stdout.decode(errors="replace")
    err = proc.stderr.decode(errors="replace")
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {proc.returncode}:\n{err[-6000:]}")
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _hub_file_for(clone: Path, commit: str, relative: str, subdirectory: str) -> dict[str, Any]:
    """The committed Hub definition with pip_url pointed at the local clone."""
    definition = yaml.safe_load((clone / relative).read_text())
    assert definition["pip_url"].endswith(f".git#subdirectory={subdirectory}")
    definition["pip_url"] = f"git+file://{clone}@{commit}#subdirectory={subdirectory}"
    return dict(definition)


@pytest.fixture(scope="module")
def hub_project(tmp_path_factory: pytest.TempPathFactory) -> HubProject:
    base = tmp_path_factory.mktemp("hub-project")
    clone = base / "clone"
    commit = _run(["git", "rev-parse", "HEAD"], ROOT).stdout.strip()
    _run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], base)
    _run(["git", "checkout", "--quiet", commit], clone)

    def meltano(*args: str, stdin_path: Path | None = None) -> subprocess.CompletedProcess[str]:
        return _run([str(VENV_BIN / "meltano"), *args], base / "project", stdin_path)

    _run([str(VENV_BIN / "meltano"), "init", "project", "--no-usage-stats"], base)
    refs = {
        "tap-intacct": ("extractor", "meltano-hub/extractors/tap-intacct.yml"),
        "target-intacct": ("loader", "meltano-hub/loaders/target-intacct.yml"),
    }
    for name, (plugin_type, relative) in refs.items():
        ref = base / f"{name}.yml"
        ref.write_text(yaml.safe_dump(_hub_file_for(clone, commit, relative, name)))
        meltano("add", "--plugin-type", plugin_type, "--from-ref", str(ref), name)
    jsonl_ref = base / "target-jsonl.yml"
    jsonl_ref.write_text(yaml.safe_dump(JSONL_LOADER))
    meltano("add", "--plugin-type", "loader", "--from-ref", str(jsonl_ref), "target-jsonl")
    return HubProject(root=base / "project", clone=clone, meltano=meltano)


def _configure(
    project: HubProject, plugin_type: str, plugin: str, sandbox: Sandbox, **extra: str
) -> None:
    settings = {**DEFAULT_CREDENTIALS, "api_url": sandbox.api_url, **extra}
    for name, value in settings.items():
        project.meltano("config", "set", "--plugin-type", plugin_type, plugin, name, value)


def test_plugins_install_from_git_with_the_bundled_client(hub_project: HubProject) -> None:
    config = yaml.safe_load((hub_project.root / "meltano.yml").read_text())
    extractors = {p["name"]: p for p in config["plugins"]["extractors"]}
    loaders = {p["name"]: p for p in config["plugins"]["loaders"]}
    assert set(extractors) == {"tap-intacct"}
    assert set(loaders) == {"target-intacct", "target-jsonl"}
    for plugin_type, plugin in (
        ("extractors", extractors["tap-intacct"]),
        ("loaders", loaders["target-intacct"]),
    ):
        name = plugin["name"]
        assert plugin["pip_url"].startswith(f"git+file://{hub_project.clone}@"), plugin
        about = json.loads(
            hub_project.meltano("invoke", name, "--about", "--format", "json").stdout
        )
        assert about["name"] == name
        assert about["version"] == "0.1.0"  # read from the installed distribution
        # The client is the copy inside the plugin's own venv, not this checkout's.
        venv = hub_project.root / ".meltano" / plugin_type / name / "venv"
        clients = list(venv.glob("lib/python3*/site-packages/intacct_client/client.py"))
        assert len(clients) == 1, clients
        pth_text = "".join(p.read_text() for p in venv.glob("lib/python3*/site-packages/*.pth"))
        assert str(ROOT) not in pth_text


def test_meltano_run_into_jsonl_reconciles(
    hub_project: HubProject, sandbox_factory: Callable[..., Sandbox]
) -> None:
    sandbox = sandbox_factory(seed="demo")
    out = hub_project.root / "output" / "jsonl"
    out.mkdir(parents=True, exist_ok=True)
    _configure(hub_project, "extractor", "tap-intacct", sandbox, objects=json.dumps(OBJECTS))
    for name, value in (("destination_path", str(out)), ("do_timestamp_file", "false")):
        hub_project.meltano("config", "set", "--plugin-type", "loader", "target-jsonl", name, value)

    hub_project.meltano("run", "tap-intacct", "target-jsonl")

    keys = catalog_keys(hub_project.root / ".meltano/run/tap-intacct/tap.properties.json")
    assert set(keys) == {obj.lower() for obj in OBJECTS}
    assert sorted(p.stem for p in out.glob("*.jsonl")) == sorted(keys)
    for obj in OBJECTS:
        stream = obj.lower()
        lines = (out / f"{stream}.jsonl").read_text().splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        key = keys[stream]
        truth = sandbox.records(obj)
        result = reconcile_stream(
            stream, key, truth, [(r.get(key), r.get("_sdc_deleted_at")) for r in rows]
        )
        assert result.ok, result
        assert result.sandbox_rows == len(truth) > 0, result
        assert result.warehouse_rows == len(truth), result


def _sample_records(sample: Path) -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = {}
    for line in sample.read_text().splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            records.setdefault(message["stream"], []).append(message["record"])
    return records


def test_target_from_hub_loads_the_unified_sample(
    hub_project: HubProject, sandbox_factory: Callable[..., Sandbox]
) -> None:
    sandbox = sandbox_factory(seed="demo")
    results = hub_project.root / "output" / "target-intacct-results.jsonl"
    _configure(
        hub_project,
        "loader",
        "target-intacct",
        sandbox,
        default_journal="GJ",
        results_path=str(results),
    )
    sample = hub_project.clone / "samples" / "unified.singer"
    wanted = _sample_records(sample)
    before = sandbox.stats()["records"]

    hub_project.meltano("invoke", "target-intacct", stdin_path=sample)

    after = sandbox.stats()["records"]
    outcomes = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    assert len(outcomes) == sum(len(v) for v in wanted.values())
    assert {o["outcome"] for o in outcomes} == {"created"}, outcomes
    for stream, obj in SAMPLE_OBJECTS.items():
        assert after[obj] - before[obj] == len(wanted[stream]), (stream, before[obj], after[obj])
    vendors = {r["VENDORID"]: r["NAME"] for r in sandbox.records("VENDOR")}
    for record in wanted["Vendors"]:
        assert vendors[record["id"]] == record["name"]
    customers = {r["CUSTOMERID"]: r["NAME"] for r in sandbox.records("CUSTOMER")}
    for record in wanted["Customers"]:
        assert customers[record["id"]] == record["name"]
