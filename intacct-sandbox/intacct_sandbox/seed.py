"""Seeding: schema + users (+ the deterministic demo company). Filled in below."""

from __future__ import annotations


def create_database(path: str, seed: str, scale: int, timezone: str) -> None:
    raise NotImplementedError("seed is being written")
