"""Fixtures for the API and UI tests: a base built from the demo corpus, a real server on
loopback, and a real browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasid.store import open_store
from rasid.store.ingest import ingest
from tests.shared import DEMO, REPO

CHROMIUM = "/usr/bin/chromium"
# Debian's chromium as root on a closed network: no sandbox, no GPU, nothing phoning home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "out" / "screenshots"
VENDOR = REPO / "src" / "rasid" / "api" / "static" / "vendor"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite base holding the demo corpus (ingested once per test process)."""
    path = str(tmp_path_factory.mktemp("ui") / "demo.db")
    with open_store(path) as store:
        result = ingest([str(DEMO)], store)
    assert result.stored > 0
    return path


class Server:
    """A real uvicorn server for ``app`` on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> Server:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


@pytest.fixture(scope="session")
def server(demo_db: str) -> Iterator[Server]:
    from rasid.api import create_app

    with Server(create_app(demo_db)) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run installs it)")
    if not (VENDOR / "countries-110m.json").exists():
        pytest.skip("the UI's vendor files are missing: run `make install` (npm ci + build)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab that records script errors and dialogs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    tab = context.new_page()
    tab.problems = []
    tab.on("pageerror", lambda error: tab.problems.append(f"pageerror: {error}"))
    tab.on(
        "console",
        lambda msg: tab.problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    yield tab
    context.close()


def screenshot(tab: Any, name: str) -> Path:
    """Save the whole page under out/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
