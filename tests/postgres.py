"""A throwaway PostgreSQL server for the tests: its own cluster in a temporary directory, on a free loopback port.

PostgreSQL refuses to run as root, so as root its programs run as the `postgres` system user (Popen's `user=`:
no wrapper process between us and the server, so SIGINT reaches the server itself and it stops at once).
Durability is off (fsync, synchronous commit): a test database is thrown away with the cluster.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import sqlalchemy
from orphans import stops_with_us


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (make install installs Debian's postgresql)")
    return found[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster: start(), database() for each test that needs a fresh one, stop()."""

    USER = "xxgk"

    def __init__(self) -> None:
        self.cluster = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._names = itertools.count(1)
        self._as_postgres = {"user": "postgres"} if os.geteuid() == 0 else {}

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.USER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> PostgresServer:
        if self._as_postgres:
            shutil.chown(self.cluster, "postgres", "postgres")
        subprocess.run([pg_bin("initdb"), "-D", str(self.cluster), "-U", self.USER, "--auth=trust", "-E", "UTF8",
                        "--no-sync"], check=True, capture_output=True, **self._as_postgres)
        self.process = subprocess.Popen(
            [pg_bin("postgres"), "-D", str(self.cluster), "-p", str(self.port), "-k", str(self.cluster),
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=200"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=stops_with_us(signal.SIGINT),
            **self._as_postgres)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        engine = sqlalchemy.create_engine(self.url(), poolclass=sqlalchemy.pool.NullPool)
        try:
            for _ in range(300):
                try:
                    with engine.connect():
                        return
                except sqlalchemy.exc.OperationalError:
                    if self.process.poll() is not None:
                        raise RuntimeError("PostgreSQL exited at start") from None
                    time.sleep(0.1)
            raise RuntimeError("PostgreSQL did not accept connections")
        finally:
            engine.dispose()

    def database(self, prefix: str = "test", template: str | None = None) -> str:
        """A new database, empty or a copy of `template` (a database URL of this server); its URL."""
        name = f"{prefix}_{next(self._names)}"
        engine = sqlalchemy.create_engine(self.url(), isolation_level="AUTOCOMMIT", poolclass=sqlalchemy.pool.NullPool)
        try:
            with engine.connect() as conn:
                if template is None:
                    conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
                else:
                    source = sqlalchemy.engine.make_url(template).database
                    # a template must have no other session: end those that processes done with it left in pools
                    conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                         "WHERE datname = %s AND pid <> pg_backend_pid()", (source,))
                    conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        """Fast shutdown (SIGINT: clients disconnected, no waiting for them), then the cluster removed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.cluster, ignore_errors=True)
