"""Shared test helpers: where the shared data lives, and how tests skip without it."""

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
        pytest.skip(f"../shared/{'/'.join(parts)} is not present: shared data is only on dev/CI machines")
    return path


@pytest.fixture
def seed_page() -> Path:
    return shared_path("seed", "kherson.txt")


@pytest.fixture
def seed_gold() -> dict:
    import json

    return json.loads(shared_path("seed", "kherson.expected.json").read_text("utf-8"))
