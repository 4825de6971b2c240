"""Conformance tests import their helpers (wire.py) from this directory, and the target's
and tap test helpers (target_helpers.py, tap_helpers.py) for the connector runs."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "target"))
sys.path.insert(0, str(Path(__file__).parents[1] / "tap"))
