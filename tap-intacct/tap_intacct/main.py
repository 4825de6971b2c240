"""Console entry point: the SDK CLI, with user-fixable errors reduced to one line.

A wrong password or an unauthorised sender should not print a traceback; it should say
which setting to fix and exit non-zero.
"""

from __future__ import annotations

import logging
import sys

from tap_intacct.errors import explain

EXIT_USER_ERROR = 2


def main() -> None:
    """Run `tap-intacct`."""
    from tap_intacct.tap import TapIntacct

    try:
        TapIntacct.cli()
    except Exception as exc:
        advice = explain(exc, _config_from_argv())
        if advice is None:
            raise
        logging.getLogger("tap-intacct").error("%s", advice)
        sys.exit(EXIT_USER_ERROR)


def _config_from_argv() -> dict[str, object]:
    """Non-secret IDs from the --config files, to name them in the advice."""
    import json
    from pathlib import Path

    merged: dict[str, object] = {}
    args = sys.argv[1:]
    for index, arg in enumerate(args):
        if arg == "--config" and index + 1 < len(args) and args[index + 1] != "ENV":
            try:
                merged.update(json.loads(Path(args[index + 1]).read_text()))
            except (OSError, ValueError):
                continue
    return {key: merged.get(key) for key in ("company_id", "sender_id", "user_id")}
