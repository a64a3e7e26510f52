"""The backends the shared store suite runs against.

Every test that takes the ``store`` (or ``store_url``) fixture runs once per backend in
:data:`BACKENDS`. Each entry maps a backend name to a function ``(request, tmp_path) -> url``
that returns the URL of a fresh, empty base for one test; ``rasid.store.open_store(url)``
opens it.

Hook for the PostgreSQL backend: add ``"postgres": <function>`` to :data:`BACKENDS`, where the
function returns a ``postgresql://`` URL of a new database on the throwaway server of
``tests/store/pg_server.py`` (and skips with a reason when no server can be started).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rasid.store import Store, open_store
from tests.store.pg_server import pg_server, pg_url  # noqa: F401  (fixtures)


def _sqlite_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return str(tmp_path / "rasid.db")


def _postgres_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    # A new database on this process's throwaway server (skips when none can be started).
    server = request.getfixturevalue("pg_server")
    url = server.create_database()
    request.addfinalizer(lambda: server.drop_database(url))
    return url


BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path], str]] = {
    "sqlite": _sqlite_url,
    "postgres": _postgres_url,
}


@pytest.fixture(params=list(BACKENDS))
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return BACKENDS[request.param](request, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened
