"""Browser captures: a script-built page loaded in real headless Chromium, every response and the DOM archived."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

sys.path.insert(0, str(Path(__file__).parent))
from fidelity import APP_ITEMS, FidelityServer  # noqa: E402

BIN = Path(sys.executable).parent


def test_browser_capture_archives_every_response_and_the_rendered_dom(tmp_path):
    with FidelityServer() as server:
        page = f"{server.base}/app/"
        result = subprocess.run([str(BIN / "xxgk"), "capture", page, "--browser", "--data-dir", str(tmp_path)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        sent = {entry["url"] for entry in server.sent}
    assert {f"{server.base}/app/{name}" for name in ("", "app.js", "app.css", "items.json")} <= sent
    records = {}
    for path in (tmp_path / "warc").glob("*.warc.gz"):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                records.setdefault((record.rec_type, record.rec_headers.get_header("WARC-Target-URI")), []).append(
                    (record.rec_headers, record.http_headers, record.content_stream().read()))
    for name in ("", "app.js", "app.css", "items.json"):
        assert ("response", f"{server.base}/app/{name}") in records, name
        assert ("request", f"{server.base}/app/{name}") in records, name
    [(_, _, items_body)] = records[("response", f"{server.base}/app/items.json")]
    assert APP_ITEMS[0]["title"].encode() in items_body
    [(dom_headers, _, dom)] = records[("resource", f"urn:xxgk:dom:{page}")]
    assert all(item["title"] in dom.decode() for item in APP_ITEMS), "the DOM shows the script-built list"
    [(page_headers, page_http, page_body)] = records[("response", page)]
    assert dom_headers.get_header("WARC-Concurrent-To") == page_headers.get_header("WARC-Record-ID")
    assert b"<ul id=\"list\"></ul>" in page_body, "the document is stored as the server sent it"
    with sqlite3.connect(tmp_path / "xxgk.sqlite") as conn:
        [(text, record_id)] = conn.execute(
            "SELECT d.text, c.record_id FROM documents d JOIN captures c ON c.id = d.capture_id").fetchall()
    assert record_id == page_headers.get_header("WARC-Record-ID")
    assert APP_ITEMS[1]["title"] in text
