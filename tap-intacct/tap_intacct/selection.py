"""Which Intacct objects become streams: `objects` / `exclude_objects` globs.

Matching is case-insensitive because Intacct names standard objects in upper case and
some platform objects in lower or mixed case; users should not have to know which.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase

_GLOB_CHARS = frozenset("*?[")


def is_glob(pattern: str) -> bool:
    """True when the pattern has wildcard characters (else it names one object)."""
    return any(char in _GLOB_CHARS for char in pattern)


def matches(name: str, patterns: Iterable[str]) -> bool:
    """True when `name` matches any pattern, ignoring case."""
    lowered = name.lower()
    return any(fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


def select_objects(
    names: Sequence[str],
    include: Sequence[str] | None,
    exclude: Sequence[str] | None,
) -> list[str]:
    """Names kept by the include globs (all when empty) minus the exclude globs, in order."""
    kept = [name for name in names if not include or matches(name, include)]
    if exclude:
        kept = [name for name in kept if not matches(name, exclude)]
    return kept


def missing_explicit_objects(names: Sequence[str], include: Sequence[str] | None) -> list[str]:
    """Non-glob entries of `objects` that name no available object (a user mistake)."""
    available = {name.lower() for name in names}
    return [
        pattern
        for pattern in include or ()
        if not is_glob(pattern) and pattern.lower() not in available
    ]
