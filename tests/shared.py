"""Where the project's test data lives, and how tests skip without the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEMO = REPO / "demo"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip saying what is missing (a fresh user machine has none)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"../shared/{'/'.join(parts)} is not present: shared data is only on dev/CI machines"
        )
    return path
