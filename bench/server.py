"""nginx serving the generated portals on 127.0.0.1, one port per site, and its capacity measured with wrk."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from bench.portals import Tree

CONFIG = """worker_processes {workers};
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  open_file_cache max=8000 inactive=60s;  # cached files stay open: below the open-files limit (20k URLs hit EMFILE: HTTP 500)
  client_body_temp_path {run}/body;
  proxy_temp_path {run}/proxy;
  fastcgi_temp_path {run}/fastcgi;
  uwsgi_temp_path {run}/uwsgi;
  scgi_temp_path {run}/scgi;
{servers}
}}
"""
SERVER = "  server {{ listen 127.0.0.1:{port}; server_name localhost; root {root}; }}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StaticPortals:
    """Start nginx over a generated tree (a port per site); `base_urls` maps each site to its server."""

    def __init__(self, tree: Tree, workers: int = 1):
        self.tree, self.workers = tree, workers
        self.base_urls: dict[str, str] = {}
        self._run = Path(tempfile.mkdtemp(prefix="xxgk-bench-nginx-"))
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> StaticPortals:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        ports = {site: free_port() for site in self.tree.sites}
        servers = "\n".join(SERVER.format(port=port, root=self.tree.root / site) for site, port in ports.items())
        config = self._run / "nginx.conf"
        config.write_text(CONFIG.format(workers=self.workers, run=self._run, servers=servers), encoding="utf-8")
        self._process = subprocess.Popen([nginx, "-c", str(config), "-p", str(self._run)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base_urls = {site: f"http://127.0.0.1:{port}" for site, port in ports.items()}
        for port in ports.values():
            _wait_for(port, self._process)
        return self

    def __exit__(self, kind: type | None, value: BaseException | None, traceback: TracebackType | None) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
        shutil.rmtree(self._run, ignore_errors=True)

    @property
    def pids(self) -> list[int]:
        """The master's pid (its workers are its children)."""
        return [self._process.pid] if self._process else []

    def column_urls(self) -> list[str]:
        return [self.base_urls[site] + info["column"] for site, info in self.tree.sites.items()]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {process.stderr.read().decode(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on 127.0.0.1:{port}")


def capacity(url: str, seconds: int = 5, connections: int = 16, threads: int = 1) -> float | None:
    """Requests per second wrk gets from `url` (None without wrk)."""
    wrk = shutil.which("wrk")
    if not wrk:
        return None
    result = subprocess.run([wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", url],
                            capture_output=True, text=True, timeout=seconds + 30)
    match = re.search(r"Requests/sec:\s*([\d.]+)", result.stdout)
    return float(match.group(1)) if match else None
