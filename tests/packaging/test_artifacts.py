"""Built artifacts: wheel and sdist of every distribution, as a user or an index gets them.

`uv build` makes the sdist first and then the wheel from the unpacked sdist, so each wheel
here also proves that the sdist alone builds (the flow of installers that go through the
sdist). Every artifact passes `twine check --strict`; the plugin wheels carry the gateway
client; each wheel installs into a clean venv, where its command runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CLIENT_DIR = ROOT / "intacct-client" / "intacct_client"
# folder -> (distribution, import package, bundles the client)
DISTRIBUTIONS = {
    "intacct-client": ("intacct-connectors-client", "intacct_client", False),
    "intacct-sandbox": ("intacct-connectors-sandbox", "intacct_sandbox", False),
    "tap-intacct": ("intacct-connectors-tap", "tap_intacct", True),
    "target-intacct": ("intacct-connectors-target", "target_intacct", True),
}
OWN_NAMES = {dist for dist, _, _ in DISTRIBUTIONS.values()}


def _run(*args: str | Path, cwd: Path = ROOT) -> str:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """folder -> (wheel, sdist), built from the working tree."""
    out = tmp_path_factory.mktemp("dist")
    built = {}
    for folder in DISTRIBUTIONS:
        target = out / folder
        _run(VENV_BIN / "uv", "build", "--quiet", "--out-dir", target, ROOT / folder)
        (wheel,) = target.glob("*.whl")
        (sdist,) = target.glob("*.tar.gz")
        built[folder] = (wheel, sdist)
    return built


def _wheel_files(wheel: Path) -> list[str]:
    return zipfile.ZipFile(wheel).namelist()


def _sdist_files(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as tar:
        return [name.split("/", 1)[1] for name in tar.getnames() if "/" in name]


def _wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        message = Parser().parsestr(zf.read(name).decode())
    return {key: message.get_all(key) or [] for key in set(message.keys())}


def test_twine_check_passes(artifacts: dict[str, tuple[Path, Path]]) -> None:
    files = [path for pair in artifacts.values() for path in pair]
    out = _run(sys.executable, "-m", "twine", "check", "--strict", *files)
    assert out.count("PASSED") == len(files) == 8, out


@pytest.mark.parametrize("folder", sorted(DISTRIBUTIONS))
def test_artifact_names_and_contents(folder: str, artifacts: dict[str, tuple[Path, Path]]) -> None:
    distribution, package, bundles = DISTRIBUTIONS[folder]
    wheel, sdist = artifacts[folder]
    stem = distribution.replace("-", "_")
    assert wheel.name == f"{stem}-0.1.0-py3-none-any.whl"
    assert sdist.name == f"{stem}-0.1.0.tar.gz"
    client_sources = sorted(p.name for p in CLIENT_DIR.glob("*.py"))
    for listing in (_wheel_files(wheel), _sdist_files(sdist)):
        assert not [n for n in listing if "__pycache__" in n or n.endswith(".pyc")]
        packages = {n.split("/")[0] for n in listing if n.endswith(".py") and "/" in n}
        assert package in packages
        bundled = sorted(
            n.split("/", 1)[1] for n in listing if n.startswith("intacct_client/") and "/" in n
        )
        if bundles or package == "intacct_client":
            assert bundled == client_sources, folder
        else:
            assert bundled == [], folder


def test_bundled_client_is_the_repository_client(artifacts: dict[str, tuple[Path, Path]]) -> None:
    for folder in ("tap-intacct", "target-intacct"):
        wheel, _ = artifacts[folder]
        with zipfile.ZipFile(wheel) as zf:
            for source in CLIENT_DIR.glob("*.py"):
                assert zf.read(f"intacct_client/{source.name}") == source.read_bytes(), source


@pytest.mark.parametrize("folder", sorted(DISTRIBUTIONS))
def test_no_dependency_is_one_of_our_unpublished_names(
    folder: str, artifacts: dict[str, tuple[Path, Path]]
) -> None:
    metadata = _wheel_metadata(artifacts[folder][0])
    assert metadata["Name"] == [DISTRIBUTIONS[folder][0]]
    assert metadata["Requires-Python"] == [">=3.10"]
    names = {Requirement(r).name.lower() for r in metadata.get("Requires-Dist", [])}
    assert not names & OWN_NAMES
    assert not {n for n in names if "intacct" in n}, names
    assert {u.split(",")[0] for u in metadata["Project-URL"]} == {"Homepage", "Source", "Issues"}


def _clean_venv(path: Path) -> Path:
    _run(VENV_BIN / "uv", "venv", "--quiet", "--python", sys.executable, path)
    return path / "bin"


@pytest.mark.parametrize(
    ("folder", "executable"), [("tap-intacct", "tap-intacct"), ("target-intacct", "target-intacct")]
)
def test_plugin_wheel_runs_about_in_a_clean_venv(
    folder: str, executable: str, artifacts: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    bin_dir = _clean_venv(tmp_path / "venv")
    wheel, _ = artifacts[folder]
    _run(VENV_BIN / "uv", "pip", "install", "--quiet", "--python", bin_dir / "python", wheel)
    about = json.loads(_run(bin_dir / executable, "--about", "--format", "json", cwd=tmp_path))
    assert about["name"] == executable
    assert about["version"] == "0.1.0"
    assert about["supported_python_versions"][0] == "3.10"
    assert "about" in about["capabilities"]
    where = _run(bin_dir / "python", "-c", "import intacct_client; print(intacct_client.__file__)")
    assert where.startswith(str(tmp_path / "venv")), where
    installed = _run(VENV_BIN / "uv", "pip", "list", "--python", bin_dir / "python")
    assert "intacct-connectors-client" not in installed


def test_sandbox_and_client_wheels_install_in_a_clean_venv(
    artifacts: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    bin_dir = _clean_venv(tmp_path / "venv")
    wheels = [artifacts[f][0] for f in ("intacct-sandbox", "intacct-client")]
    _run(VENV_BIN / "uv", "pip", "install", "--quiet", "--python", bin_dir / "python", *wheels)
    usage = _run(bin_dir / "intacct-sandbox", "--help", cwd=tmp_path)
    assert "serve" in usage
    assert "seed" in usage
    version = _run(
        bin_dir / "python", "-c", "import intacct_client; print(intacct_client.__version__)"
    )
    assert version.strip() == "0.1.0"
