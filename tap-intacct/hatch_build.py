"""Build hook: ship the gateway client inside this distribution's wheel and sdist.

The client lives in a sibling folder of the repository and is not published on its own,
so an install from a git URL must not depend on it by name (anyone could claim that name
on PyPI). Standard builds copy the folders listed under `bundle` in
`[tool.hatch.build.hooks.custom]` into the artifact. Editable builds copy nothing: the
development install imports the client from its own editable install, so there is only
one `intacct_client` on sys.path. A wheel built from the sdist finds the copy the sdist
already carries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BundleSiblingPackages(BuildHookInterface):
    """Force-include sibling packages into standard (non-editable) builds."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        bundle: dict[str, str] = self.config.get("bundle", {})
        for source, target in bundle.items():
            sibling = Path(self.root, source).resolve()
            if sibling.is_dir():
                build_data["force_include"][str(sibling)] = target
            elif not Path(self.root, target).is_dir():
                raise FileNotFoundError(
                    f"bundled package {target!r} is neither at {sibling} (repository checkout) "
                    f"nor at {Path(self.root, target)} (unpacked sdist)"
                )
