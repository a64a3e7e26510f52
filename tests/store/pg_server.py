"""A real, throwaway PostgreSQL server for the store tests (never a mock).

:class:`PgServer` runs ``initdb`` into a fresh temporary folder, starts ``postgres`` with
``pg_ctl`` on a free localhost port (its unix socket stays inside the same folder), and hands
out ``postgresql://`` URLs of databases created for each test. ``stop()`` (or the end of the
session) shuts it down and deletes the folder.

Where the binaries come from: ``initdb``/``pg_ctl`` on ``PATH``, else the newest
``/usr/lib/postgresql/<version>/bin`` (Debian's layout, where they are not on ``PATH``). When
neither exists the tests that need a server skip and say so; CI installs Debian's
``postgresql`` package first (``.ci/run``).

PostgreSQL refuses to run as root. When the tests run as root (containers, CI), the server
runs as an unprivileged account instead — ``postgres`` (created by the Debian package), else
``nobody`` — and its folder is made over to that account.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# The role initdb creates, and the one every URL connects as (trust authentication: the server
# only listens on 127.0.0.1 and a socket inside a private folder, and lives for one session).
SUPERUSER = "rasid"

_START_TIMEOUT_S = 60
_SERVER_ACCOUNTS = ("postgres", "nobody")

# Settings for a disposable test server: small, and no fsync (a crash of the server process,
# which the failure tests cause on purpose, still loses nothing the OS has been handed; only a
# machine crash would, and then the folder is thrown away anyway). synchronous_commit stays on:
# without it a commit returns before its WAL reaches the OS, and a crash loses committed work.
_SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "40",
    "shared_buffers": "32MB",
    "fsync": "off",
    "full_page_writes": "off",
    "log_min_messages": "warning",
}


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    versions = []
    for candidate in Path("/usr/lib/postgresql").glob("*/bin"):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            try:
                versions.append((int(candidate.parent.name.split(".")[0]), candidate))
            except ValueError:
                continue
    return max(versions)[1] if versions else None


def missing_reason() -> str | None:
    """Why a server cannot be started here, or None when it can."""
    if find_bin_dir() is None:
        return (
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in "
            "/usr/lib/postgresql/*/bin: install Debian's `postgresql` package "
            "(CI's .ci/run does this) to run the PostgreSQL store tests"
        )
    if os.geteuid() == 0 and _server_account() is None:
        return (
            "running as root and no unprivileged account (postgres, nobody) exists to run "
            "the PostgreSQL server as"
        )
    return None


def _server_account() -> pwd.struct_passwd | None:
    for name in _SERVER_ACCOUNTS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PgServer:
    """One PostgreSQL cluster in its own temporary folder."""

    def __init__(self) -> None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise RuntimeError(missing_reason())
        self.bin_dir = bin_dir
        self.account = _server_account() if os.geteuid() == 0 else None
        # As root, under /tmp: a TMPDIR inside /root would be out of the server account's reach.
        tmp = "/tmp" if self.account is not None and os.path.isdir("/tmp") else None
        self.root = Path(tempfile.mkdtemp(prefix="rasid-pg-", dir=tmp))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self._names = itertools.count(1)
        if self.account is not None:
            # mkdtemp makes a 0700 folder owned by root; the server account must own it.
            os.chown(self.root, self.account.pw_uid, self.account.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        atexit.register(self.destroy)

    # -- processes -------------------------------------------------------------------------

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        options: dict = {}
        if self.account is not None:
            options = {
                "user": self.account.pw_uid,
                "group": self.account.pw_gid,
                "extra_groups": [],
            }
        return subprocess.run(
            [str(self.bin_dir / tool), *args],
            cwd=self.root,  # the server account may not be allowed into the caller's cwd
            capture_output=True,
            text=True,
            check=check,
            timeout=_START_TIMEOUT_S,
            **options,
        )

    @property
    def running(self) -> bool:
        if not self.data.exists():
            return False
        return self._run("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def start(self) -> None:
        """Start (or restart after :meth:`stop`) the server; on a new port the first time."""
        if self.running:
            return
        for _attempt in range(3):
            port = self.port or _free_port()
            settings = {**_SERVER_SETTINGS, "port": str(port)}
            settings["unix_socket_directories"] = f"'{self.root}'"
            options = " ".join(f"-c {key}={value}" for key, value in settings.items())
            done = self._run(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                str(_START_TIMEOUT_S),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                check=False,
            )
            if done.returncode == 0:
                self.port = port
                return
            # Most likely another process took the port between the probe and the start.
            self.port = 0
        log = self.log.read_text("utf-8", "replace")[-2000:] if self.log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server. ``mode="immediate"`` is a crash: no checkpoint, clients cut off."""
        if self.running:
            self._run("pg_ctl", "stop", "-w", "-m", mode, "-D", str(self.data), check=False)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    # -- databases -------------------------------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "rasid_test") -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"{prefix}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- pytest fixtures (tests/store/conftest.py imports these) ---------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One server per test process (each xdist worker gets its own), deleted at the end."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    server = PgServer()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database for one test."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)
