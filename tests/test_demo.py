"""`xxgk demo`: the simulated portals keep their addresses from one demo to the next, so a second demo into the
same data dir recrawls the same documents instead of storing a second set under new ports."""

from __future__ import annotations

import socket
import subprocess

from support import BIN, query


def free_port_base(count: int) -> int:
    """A port with `count` free ports from it on (the demo's portals take consecutive ports)."""
    for base in range(20000, 60000, 97):
        try:
            sockets = []
            for port in range(base, base + count):
                probe = socket.socket()
                sockets.append(probe)
                probe.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for probe in sockets:
                probe.close()
    raise RuntimeError("no free ports")


def demo(data_dir, port_base: int) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "xxgk"), "demo", "--port-base", str(port_base), "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=600)


def test_a_second_demo_recrawls_the_same_documents(tmp_path):
    base = free_port_base(4)
    first = demo(tmp_path, base)
    assert first.returncode == 0, first.stdout + first.stderr
    documents = query(tmp_path, "SELECT COUNT(*) AS n FROM documents")[0]["n"]
    captures = query(tmp_path, "SELECT COUNT(*) AS n FROM captures WHERE kind = 'document'")[0]["n"]
    assert documents > 50
    second = demo(tmp_path, base)
    assert second.returncode == 0, second.stdout + second.stderr
    assert query(tmp_path, "SELECT COUNT(*) AS n FROM documents")[0]["n"] == documents
    assert query(tmp_path, "SELECT COUNT(*) AS n FROM captures WHERE kind = 'document'")[0]["n"] == 2 * captures
    revisits = query(tmp_path, "SELECT COUNT(*) AS n FROM captures WHERE kind = 'document' AND revisit IS NOT NULL")
    assert revisits[0]["n"] == documents, "every report page of the second demo is a revisit of the first's"


def test_a_busy_port_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = demo(tmp_path, taken.getsockname()[1])
    assert result.returncode == 1
    assert "pass another --port-base" in result.stderr and "Traceback" not in result.stderr
