"""Packaging rules that keep a git-URL install safe and the names consistent."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {
    "intacct-client": "intacct-connectors-client",
    "intacct-sandbox": "intacct-connectors-sandbox",
    "tap-intacct": "intacct-connectors-tap",
    "target-intacct": "intacct-connectors-target",
}
PLUGINS = ("tap-intacct", "target-intacct")


def _project(folder: str) -> dict[str, Any]:
    return dict(tomllib.loads((ROOT / folder / "pyproject.toml").read_text())["project"])


def _requirements(folder: str) -> dict[str, str]:
    return {Requirement(r).name: str(Requirement(r)) for r in _project(folder)["dependencies"]}


def test_distribution_names_and_executables() -> None:
    for folder, name in FOLDERS.items():
        assert _project(folder)["name"] == name
    assert _project("tap-intacct")["scripts"] == {"tap-intacct": "tap_intacct.main:main"}
    assert set(_project("target-intacct")["scripts"]) == {"target-intacct"}
    assert set(_project("intacct-sandbox")["scripts"]) == {"intacct-sandbox"}


def test_plugins_carry_the_client_dependencies_not_the_client() -> None:
    client = _requirements("intacct-client")
    for plugin in PLUGINS:
        requirements = _requirements(plugin)
        assert not {n for n in requirements if "intacct" in n.lower()}, requirements
        for name, requirement in client.items():
            assert requirements.get(name) == requirement, (plugin, name)


def test_one_repository_url_everywhere() -> None:
    urls = {folder: _project(folder)["urls"] for folder in FOLDERS}
    homepages = {u["Homepage"] for u in urls.values()}
    assert len(homepages) == 1, homepages
    (homepage,) = homepages
    for folder, project_urls in urls.items():
        assert project_urls["Source"] == f"{homepage}/tree/main/{folder}"
        assert project_urls["Issues"] == f"{homepage}/issues"
    readme = (ROOT / "README.md").read_text()
    for plugin in PLUGINS:
        assert f"git+{homepage}.git@v0.1.0#subdirectory={plugin}" in readme, plugin


def test_plugins_share_one_bundling_hook() -> None:
    hooks = {(ROOT / plugin / "hatch_build.py").read_text() for plugin in PLUGINS}
    assert len(hooks) == 1
    for plugin in PLUGINS:
        config = tomllib.loads((ROOT / plugin / "pyproject.toml").read_text())["tool"]["hatch"]
        bundle = config["build"]["hooks"]["custom"]["bundle"]
        assert bundle == {"../intacct-client/intacct_client": "intacct_client"}
        assert "intacct_client" in config["build"]["targets"]["wheel"]["packages"]


def test_dev_install_has_one_client_from_the_checkout() -> None:
    import intacct_client

    assert Path(intacct_client.__file__).parent == ROOT / "intacct-client" / "intacct_client"
    found = [p for p in map(Path, sys.path) if (p / "intacct_client" / "__init__.py").is_file()]
    assert found == [ROOT / "intacct-client"], found
