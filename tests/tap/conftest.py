"""Tap test helpers live in tap_helpers.py (importable thanks to this path entry)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
