"""Store back-ends for tests: a throwaway PostgreSQL server (or $EVENTWIRE_TEST_PG) and DuckDB.

Without EVENTWIRE_TEST_PG the session starts its own server: initdb into a temp dir, a unix
socket only (no TCP port to collide on), fsync off, stopped and deleted at the end. Run as root
(CI), the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
When no server binaries exist the PostgreSQL tests skip, unless EVENTWIRE_REQUIRE_PG is set
(.ci/run sets it) and then they fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_ENV = "EVENTWIRE_TEST_PG"
REQUIRE_ENV = "EVENTWIRE_REQUIRE_PG"
BACKENDS = ["duckdb", "postgresql"]


def _unavailable(reason: str) -> None:
    """Skip, or fail where PostgreSQL is required (CI installs it)."""
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{reason} ({REQUIRE_ENV} is set)", pytrace=False)
    pytest.skip(reason)


def pg_bindir() -> Path | None:
    """The newest server binaries: Debian's /usr/lib/postgresql/N/bin, else initdb on PATH."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    found.sort(key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _locale() -> list[str]:
    """C.UTF-8 where the OS has it: byte order like DuckDB, and lower() knows 'É' and 'Ğ'."""
    try:
        names = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    except OSError:
        names = None
    utf8 = names is not None and "c.utf8" in names.stdout.lower().replace("-", "").split()
    return ["-E", "UTF8", "--no-sync", "--locale=C.UTF-8" if utf8 else "--no-locale"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """A private PostgreSQL cluster in a temp dir, reachable through its unix socket."""

    bindir: Path
    home: Path
    port: int
    user: pwd.struct_passwd | None  # whom to run as when we are root

    @property
    def data(self) -> Path:
        return self.home / "data"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.home}&port={self.port}"

    def run(self, *args: str) -> None:
        """A server binary, as the postgres user when we are root."""
        user = self.user
        done = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
        )
        if done.returncode != 0:
            log = self.home / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}\n{tail}")

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", *_locale())
        settings = {
            "listen_addresses": "''",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.home}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.home / "server.log"), "-w", "start")

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.home, ignore_errors=True)


def _new_server(bindir: Path) -> Server:
    """A temp home the server's user owns (as root: postgres, under world-searchable /tmp)."""
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no 'postgres' user to run the server as")
    home = Path(tempfile.mkdtemp(prefix="eventwire-pg-", dir="/tmp" if user else None))
    if user is not None:
        os.chown(home, user.pw_uid, user.pw_gid)
    return Server(bindir, home, _free_port(), user)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A database URL for the whole session: $EVENTWIRE_TEST_PG or a server of our own."""
    import psycopg

    given = os.environ.get(PG_ENV)
    if given:
        yield given
        return
    bindir = pg_bindir()
    if bindir is None:
        _unavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
        )
        return
    server = _new_server(bindir)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(server.home, ignore_errors=True)
        raise
    try:
        with psycopg.connect(server.url("postgres"), autocommit=True) as con:
            con.execute("CREATE DATABASE eventwire_test")
        yield server.url("eventwire_test")
    finally:
        server.stop()


@contextmanager
def _fresh_schema(pg_url: str) -> Iterator[str]:
    """The database seen through a new, empty schema (dropped afterwards)."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in pg_url else "?"
    try:
        yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg_url, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """A URL to empty tables for one test."""
    with _fresh_schema(pg_url) as url:
        yield url


@pytest.fixture(scope="module")
def pg_module_url(pg_url: str) -> Iterator[str]:
    """A URL to empty tables that a test module fills once and shares."""
    with _fresh_schema(pg_url) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store of each back-end: a DuckDB file, or a PostgreSQL URL."""
    if request.param == "duckdb":
        return str(tmp_path / "test.duckdb")
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def module_store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """An empty store of each back-end that a test module fills once and shares."""
    if request.param == "duckdb":
        return str(tmp_path_factory.mktemp("store") / "module.duckdb")
    url: str = request.getfixturevalue("pg_module_url")
    return url


@pytest.fixture
def seed_file() -> Path:
    """The seed article in ../shared/examples (a failure, not a skip, when it is missing)."""
    import shared_data

    return shared_data.require()


JAVA_ENV = "EVENTWIRE_REQUIRE_JAVA"


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One local[2] Spark session (one JVM) for the whole test session, on 127.0.0.1."""
    if not shutil.which("java"):
        if os.environ.get(JAVA_ENV):
            pytest.fail(f"java is missing ({JAVA_ENV} is set)", pytrace=False)
        pytest.skip("java is missing (Debian: openjdk-17-jre-headless)")
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from eventwire.lake.spark_job import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()
