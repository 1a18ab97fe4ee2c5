"""Serve the archive through pywb as collection `xxgk`: replay, CDX API and Memento TimeMaps.

pywb pins old libraries and monkey-patches the process with gevent, so it lives in an
environment of its own (`make replay-env` → .venv-replay). The crawler side (`run`) writes
a config.yaml pointing pywb at DATA_DIR/warc/ and DATA_DIR/indexes/ and starts this same
file as a script under that environment's Python (`serve`). Only the standard library is
imported at module level, so both environments can load it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    from crawler.errors import XxgkError
except ImportError:  # run as a script under the replay environment, where xxgk itself is not installed
    XxgkError = Exception

COLLECTION = "xxgk"
REPLAY_ENV = ".venv-replay"
PYTHON_VARIABLE = "XXGK_REPLAY_PYTHON"
PROJECT = Path(__file__).resolve().parent.parent
# Exit status of `serve` when pywb cannot be imported, so `run` can say what to do.
MISSING_PYWB = 3


class ReplayError(XxgkError):
    """Replay cannot start: missing environment, missing archive, or pywb failed."""


def replay_python() -> Path:
    """The replay environment's Python: $XXGK_REPLAY_PYTHON, else .venv-replay in the project or here."""
    configured = os.environ.get(PYTHON_VARIABLE)
    if configured:
        if not Path(configured).is_file():
            raise ReplayError(f"{PYTHON_VARIABLE}={configured}: no such file")
        return Path(configured)
    for base in (PROJECT, Path.cwd()):
        candidate = base / REPLAY_ENV / "bin" / "python"
        if candidate.is_file():
            return candidate
    raise ReplayError(f"no replay environment ({PROJECT / REPLAY_ENV}): run `make replay-env` "
                      f"or set {PYTHON_VARIABLE} to a Python with pywb 2.10")


def pywb_config(data_dir: Path) -> dict:
    """pywb settings: one fixed collection reading the WARCs and CDXJ indexes in place."""
    data_dir = Path(data_dir).resolve()
    return {
        "collections": {
            COLLECTION: {
                # Trailing slashes: pywb joins these prefixes and the index's file names as strings.
                "index_paths": f"{data_dir / 'indexes'}/",
                "archive_paths": f"{data_dir / 'warc'}/",
            },
        },
        # pywb routes /xxgk/… only with a collections_root set, even if the directory does not exist.
        "collections_root": "collections",
        "enable_auto_colls": False,
        "enable_memento": True,
        "framed_replay": True,
    }


def write_config(data_dir: Path, directory: Path) -> Path:
    """Write config.yaml (as JSON, which YAML reads) into `directory`."""
    path = Path(directory) / "config.yaml"
    path.write_text(json.dumps(pywb_config(data_dir), indent=2) + "\n", encoding="utf-8")
    return path


def check_archive(data_dir: Path) -> None:
    """Raise ReplayError unless DATA_DIR has WARC files and their indexes."""
    warc_dir, index_dir = Path(data_dir) / "warc", Path(data_dir) / "indexes"
    if not warc_dir.is_dir():
        raise ReplayError(f"{warc_dir}: no WARC directory (crawl first)")
    if not any(index_dir.glob("*.cdxj")):
        raise ReplayError(f"{index_dir}: no CDXJ index (run `xxgk index --data-dir {data_dir}`)")


def server_command(python: Path, config: Path, host: str, port: int) -> list[str]:
    """The command line that runs `serve` under the replay environment's Python."""
    # -I: the script's directory (archive/, with modules named like pywb's imports) stays off sys.path.
    return [str(python), "-I", str(Path(__file__).resolve()), "--config", str(config), "--host", host, "--port", str(port)]


def run(data_dir: Path, host: str = "127.0.0.1", port: int = 8080) -> int:
    """Serve DATA_DIR until interrupted (Ctrl-C or SIGTERM); return pywb's exit status."""
    check_archive(data_dir)
    python = replay_python()
    with tempfile.TemporaryDirectory(prefix="xxgk-replay-") as workdir:
        config = write_config(data_dir, Path(workdir))
        env = {key: value for key, value in os.environ.items() if key != "PYWB_CONFIG_FILE"}
        # A session of its own: Ctrl-C reaches only this process, which then stops pywb in order.
        server = subprocess.Popen(server_command(python, config, host, port), cwd=workdir, env=env,
                                  start_new_session=True)
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            status = server.wait()
        except KeyboardInterrupt:
            status = _stop(server)
        finally:
            signal.signal(signal.SIGTERM, previous)
    if status == MISSING_PYWB:
        raise ReplayError(f"pywb is not installed for {python}: run `make replay-env`")
    return status


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop(server: subprocess.Popen) -> int:
    """Ask pywb to stop, then make sure it has."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    return 0


def serve(config: Path, host: str, port: int) -> int:
    """Run pywb's app on host:port until SIGINT/SIGTERM or until the launching process dies."""
    try:
        from gevent import monkey

        monkey.patch_all()
        import gevent
        from gevent.pywsgi import WSGIServer
        from pywb.apps.frontendapp import FrontEndApp
        from pywb.utils.geventserver import RequestURIWSGIHandler
    except ImportError as exc:
        print(f"xxgk replay: cannot import pywb/gevent under {sys.executable}: {exc}", file=sys.stderr)
        return MISSING_PYWB
    app = FrontEndApp(config_file=str(config))
    server = WSGIServer((host, port), app, handler_class=RequestURIWSGIHandler)
    try:
        server.init_socket()
    except OSError as exc:
        print(f"xxgk replay: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    parent = os.getppid()
    for signum in (signal.SIGINT, signal.SIGTERM):
        gevent.signal_handler(signum, server.stop)
    gevent.spawn(_stop_when_orphaned, server, parent)
    bound_host, bound_port = server.address[:2]
    print(f"xxgk replay: http://{bound_host}:{bound_port}/{COLLECTION}/ (Ctrl-C stops)", flush=True)
    server.serve_forever()
    app.warcserver_server.stop()
    return 0


def _stop_when_orphaned(server, parent: int) -> None:
    """Stop serving if `xxgk replay` itself was killed (the server must not outlive it)."""
    import gevent

    while os.getppid() == parent:
        gevent.sleep(1)
    server.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the pywb side: python archive/replay.py --config C --host H --port P."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    return serve(args.config, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
