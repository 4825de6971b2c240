"""Regenerate the README's settings tables from `--about --format markdown`.

`python scripts/sync_readme.py` rewrites the block between the SETTINGS markers;
`--check` exits 1 when the README is out of date (a test runs that).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BEGIN, END = "<!-- SETTINGS:BEGIN -->", "<!-- SETTINGS:END -->"
PLUGINS = (("tap-intacct", "Tap settings"), ("target-intacct", "Target settings"))


def about_markdown(executable: str) -> str:
    """The plugin's own settings documentation, headings demoted under ours."""
    binary = Path(sys.executable).parent / executable
    out = subprocess.run(
        [str(binary), "--about", "--format", "markdown"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    lines = []
    for raw in out.strip().splitlines():
        line = raw.strip()  # docstring indentation would render as a code block
        lines.append("##" + line if line.startswith("#") else line)
    return "\n".join(lines)


def settings_block() -> str:
    parts = [
        BEGIN,
        "## Settings",
        "",
        "Generated from `--about --format markdown` by "
        "`scripts/sync_readme.py`; a test keeps it in sync.",
        "",
    ]
    for executable, title in PLUGINS:
        parts += [
            f"<details><summary>{title} ({executable})</summary>",
            "",
            about_markdown(executable),
            "",
            "</details>",
            "",
        ]
    parts.append(END)
    return "\n".join(parts)


def render(readme: str) -> str:
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + settings_block() + tail


def main() -> int:
    current = README.read_text()
    wanted = render(current)
    if "--check" in sys.argv:
        if wanted != current:
            print("README settings are out of date: run .venv/bin/python scripts/sync_readme.py")
            return 1
        return 0
    README.write_text(wanted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
