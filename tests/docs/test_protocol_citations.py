"""Every protocol section the code and docs cite exists in docs/protocol.md.

Comments cite sections as `docs/protocol.md §4.7` (older ones as `spec 4.7`); a renumbered
or dropped section would leave them pointing nowhere. Docs must also stand on their own:
no reference to material outside the repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "docs" / "protocol.md"

HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", re.MULTILINE)
NUMBER = r"\d+(?:\.\d+)?"
# "spec 4.7", "spec section 2.2", "spec sections 3.5 and 6.2", "spec 4.2-4.5, 4.7"
OLD_FORM = re.compile(
    rf"\bspec(?: sections?)? §?({NUMBER}(?:\s*(?:-|,|and)\s*{NUMBER})*)", re.IGNORECASE
)
# "docs/protocol.md §4.7", "§4.2-4.5, §5.5" on a line that names protocol.md
NEW_FORM = re.compile(rf"§\s*({NUMBER})(?:\s*-\s*({NUMBER}))?")


def _sections() -> set[str]:
    return set(HEADING.findall(PROTOCOL.read_text(encoding="utf-8")))


def _tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--", *patterns],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ROOT / line for line in out.splitlines() if line]


def _cited() -> list[tuple[str, str]]:
    """(where, section) for every citation of a protocol section."""
    found: list[tuple[str, str]] = []
    for path in _tracked("*.py", "*.md"):
        if not path.exists():
            continue
        rel = path.relative_to(ROOT)
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{rel}:{lineno}"
            for match in OLD_FORM.finditer(line):
                found += [(where, n) for n in re.findall(NUMBER, match.group(1))]
            if path == PROTOCOL or "protocol.md" in line or _section_refs_file(rel):
                for match in NEW_FORM.finditer(line):
                    found += [(where, n) for n in match.groups() if n]
    return found


def _section_refs_file(rel: Path) -> bool:
    """Docs that declare once that their bare §N.N references mean docs/protocol.md."""
    return rel.as_posix() in {
        "intacct-sandbox/intacct_sandbox/catalog/README.md",
        "intacct-sandbox/intacct_sandbox/functions/write_rules.md",
    }


def test_protocol_has_the_numbered_sections() -> None:
    sections = _sections()
    for top in range(1, 12):
        assert str(top) in sections, f"docs/protocol.md lacks section {top}"
    assert {"1.1", "2.4", "3.5", "4.7", "5.2", "6.2", "11.1"} <= sections


def test_every_cited_section_exists() -> None:
    sections = _sections()
    cited = _cited()
    assert len(cited) > 50, "the citation scan found too little; is the pattern broken?"
    missing = [f"{where}: §{number}" for where, number in cited if number not in sections]
    assert not missing, "cited sections missing from docs/protocol.md:\n" + "\n".join(missing)


def test_docs_do_not_point_outside_the_repository() -> None:
    offenders = []
    for path in _tracked("*.md"):
        text = path.read_text(encoding="utf-8")
        # built from pieces so that this file does not match its own search
        for bad in ("/".join(("..", "shared")), "/".join(("", "work", ""))):
            if bad in text:
                offenders.append(f"{path.relative_to(ROOT)}: {bad}")
    assert not offenders, "\n".join(offenders)
