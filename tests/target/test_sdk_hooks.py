"""The private singer-sdk names the target relies on still exist in the pinned SDK.

An SDK upgrade that renames or drops one of them would silently turn an override into
dead code (bad input would then stop the run); these tests name the method instead.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
import target_intacct
from target_intacct import sdk_hooks
from target_intacct.target import TargetIntacct

PACKAGE = Path(target_intacct.__file__).parent


@pytest.mark.parametrize(
    ("sdk_class", "name", "parameters"),
    sdk_hooks.HOOKED,
    ids=[f"{cls.__name__}.{name}" for cls, name, _ in sdk_hooks.HOOKED],
)
def test_hooked_sdk_method_still_exists(sdk_class: type, name: str, parameters: tuple) -> None:
    method = getattr(sdk_class, name, None)
    assert method is not None, (
        f"singer-sdk no longer has {sdk_class.__name__}.{name}, which "
        "target_intacct/sdk_hooks.py overrides: port the override to its replacement"
    )
    found = tuple(inspect.signature(method).parameters)
    assert found == parameters, (
        f"singer-sdk changed {sdk_class.__name__}.{name}{found}; "
        f"target_intacct/sdk_hooks.py expects {parameters}"
    )


def test_hooked_target_attributes_exist(tmp_path: Path, default_credentials: Any) -> None:
    target = TargetIntacct(
        config={**default_credentials, "results_path": str(tmp_path / "r.jsonl")},
        validate_config=False,
    )
    for name in sdk_hooks.HOOKED_TARGET_ATTRIBUTES:
        assert hasattr(target, name), (
            f"singer-sdk Target instances no longer have {name}, "
            "which target_intacct/sdk_hooks.py reads"
        )
    assert target.active_sinks() == []
    assert target.state_was_received() is False


def test_no_private_sdk_override_outside_the_fence() -> None:
    hooked = {name for _cls, name, _params in sdk_hooks.HOOKED}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "sdk_hooks.py":
            continue
        text = path.read_text()
        offenders += [f"{path.name}: {name}" for name in hooked if f"def {name}(" in text]
        offenders += [
            f"{path.name}: {name}"
            for name in sdk_hooks.HOOKED_TARGET_ATTRIBUTES
            if f"self.{name}" in text
        ]
    assert offenders == []
