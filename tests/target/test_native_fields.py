"""Native streams: a field the object does not have fails alone, under either answer
Intacct may give to unknown fields (the sandbox's `unknown_fields` variant)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from target_helpers import run_target, singer_lines


@pytest.mark.parametrize("answer", ["reject", "ignore"])
def test_misspelt_native_field_fails_alone(
    sandbox_factory: Any, tmp_path: Path, answer: str
) -> None:
    box = sandbox_factory(seed="demo", variants={"unknown_fields": answer})
    run = run_target(
        box.config(),
        singer_lines(
            {
                "CLASS": [
                    {"CLASSID": "NF-1", "NAME": "Spelt right"},
                    {"CLASSID": "NF-2", "NAME": "Spelt wrong", "DESCRIPTOIN": "typo"},
                ]
            }
        ),
        tmp_path,
    )
    assert run.returncode == 1
    assert run.outcomes() == ["created", "failed"]
    failure = run.results[1]
    assert failure["errorno"] == "TI-SCHEMA"
    assert "'DESCRIPTOIN'" in failure["message"]
    assert "'typo'" in failure["message"]
    assert "CLASS record #2" in failure["message"]
    stored = {row["CLASSID"]: row for row in box.records("CLASS")}
    assert stored["NF-1"]["NAME"] == "Spelt right"
    assert "NF-2" not in stored  # nothing half-written
