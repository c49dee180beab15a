"""Shared fixtures: paths to the sample policies and a helper to build stores."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "policies"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.fail(f"sample policies not found at {SAMPLES}")
    return SAMPLES


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store")
