"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.shared import shared_path


@pytest.fixture
def seed_page() -> Path:
    return shared_path("seed", "kherson.txt")


@pytest.fixture
def seed_gold() -> dict:
    return json.loads(shared_path("seed", "kherson.expected.json").read_text("utf-8"))
