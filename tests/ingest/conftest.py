from __future__ import annotations

from pathlib import Path

import pytest

from .samples import CORPORA


@pytest.fixture
def corpora() -> Path:
    """The shared corpora folder; tests that need it skip when it is absent."""
    if not CORPORA.is_dir():
        pytest.skip(f"../shared/data not present: {CORPORA} (the corpora are not in the repo)")
    return CORPORA
