"""The private singer-sdk members the tap's streams rely on still exist in the pinned SDK.

An SDK upgrade that renamed one would silently turn an override into dead code (rows
without WHENMODIFIED moving the bookmark, per-record mapping work on every row); these
tests name the member instead.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import tap_intacct
from singer_sdk import Stream
from tap_intacct import sdk_hooks

PACKAGE = Path(tap_intacct.__file__).parent


@pytest.mark.parametrize(
    ("sdk_class", "name", "parameters"),
    sdk_hooks.HOOKED,
    ids=[f"{cls.__name__}.{name}" for cls, name, _ in sdk_hooks.HOOKED],
)
def test_hooked_sdk_member_still_exists(
    sdk_class: type, name: str, parameters: tuple[str, ...] | None
) -> None:
    member = inspect.getattr_static(sdk_class, name, None)
    assert member is not None, (
        f"singer-sdk no longer has {sdk_class.__name__}.{name}, which "
        "tap_intacct/sdk_hooks.py wraps: port the wrapper to its replacement"
    )
    if parameters is None:
        assert isinstance(member, property), f"{sdk_class.__name__}.{name} is no property"
        return
    found = tuple(inspect.signature(member).parameters)
    assert found == parameters, (
        f"singer-sdk changed {sdk_class.__name__}.{name}{found}; "
        f"tap_intacct/sdk_hooks.py expects {parameters}"
    )


def test_hooked_stream_attributes_are_set_by_the_sdk() -> None:
    source = inspect.getsource(Stream.__init__)
    for name in sdk_hooks.HOOKED_STREAM_ATTRIBUTES:
        assert f"self.{name}" in source, (
            f"singer-sdk's Stream no longer sets {name}, which tap_intacct/sdk_hooks.py reads"
        )


def test_no_private_sdk_member_is_used_outside_the_fence() -> None:
    names = [name for _cls, name, _params in sdk_hooks.HOOKED]
    names += list(sdk_hooks.HOOKED_STREAM_ATTRIBUTES)
    offenders = [
        f"{path.name}: {name}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "sdk_hooks.py"
        for name in names
        if name in path.read_text()
    ]
    assert offenders == []
