"""Conformance tests import their helpers (wire.py) from this directory, and the target's
test helpers (target_helpers.py) for the target runs."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "target"))
