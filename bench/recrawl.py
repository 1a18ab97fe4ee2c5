"""Benchmark: what a recrawl of an unchanged portal adds to the archive.

Crawls the four simulated portals into a fresh data directory, crawls them again
unchanged, and reports the WARC bytes each crawl added, their ratio and the wall
time of each crawl, for two workloads: the portals as simulated (report files of 10-150 KB)
and with report-sized PDFs (padded to --pdf-kb, as real annual reports weigh).
Writes bench/results/recrawl.json and prints a table.

    .venv/bin/python bench/recrawl.py [--pdf-kb 256] [--out bench/results/recrawl.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.simulator import SimulatedPortals

BIN = Path(sys.executable).parent
SITES = ("panjin", "mingguang", "yanji", "zhangxian")
RESULTS = Path(__file__).resolve().parent / "results" / "recrawl.json"


def crawl(simulated: SimulatedPortals, data_dir: Path) -> float:
    """One `xxgk crawl` of the four portals; its wall time in seconds."""
    bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
    started = time.perf_counter()
    result = subprocess.run([str(BIN / "xxgk"), "crawl", *SITES, "--data-dir", str(data_dir), *bases],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"crawl failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def warc_files(data_dir: Path) -> set[Path]:
    return set((data_dir / "warc").glob("*.warc.gz"))


def records(files: set[Path]) -> dict[str, int]:
    """Records by type (revisits by profile, responses by status class)."""
    found: collections.Counter = collections.Counter()
    for path in files:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                kind = record.rec_type
                if kind == "revisit":
                    kind += "/" + (record.rec_headers.get_header("WARC-Profile") or "").rsplit("/", 1)[-1]
                elif kind == "response":
                    kind += f"/{record.http_headers.get_statuscode()[0]}xx"
                found[kind] += 1
    return dict(sorted(found.items()))


def measure(pdf_kb: int) -> dict:
    """First crawl and unchanged recrawl of the simulated portals, PDFs padded by `pdf_kb`."""
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp, SimulatedPortals(pdf_kb=pdf_kb) as simulated:
        data_dir = Path(tmp)
        first_seconds = crawl(simulated, data_dir)
        first = warc_files(data_dir)
        sent_first = {name: len(portal.sent) for name, portal in simulated.portals.items()}
        recrawl_seconds = crawl(simulated, data_dir)
        again = warc_files(data_dir) - first
        sent = [e for name, portal in simulated.portals.items() for e in list(portal.sent)[sent_first[name]:]]
        first_bytes = sum(path.stat().st_size for path in first)
        recrawl_bytes = sum(path.stat().st_size for path in again)
        return {
            "workload": "as simulated" if not pdf_kb else f"PDFs padded by {pdf_kb} KB",
            "pdf_kb": pdf_kb, "first_bytes": first_bytes, "recrawl_bytes": recrawl_bytes,
            "ratio": round(recrawl_bytes / first_bytes, 4), "first_seconds": round(first_seconds, 2),
            "recrawl_seconds": round(recrawl_seconds, 2), "recrawl_exchanges": len(sent),
            "recrawl_304": sum(e["status"] == 304 for e in sent),
            "recrawl_bytes_per_exchange": round(recrawl_bytes / max(len(sent), 1)),
            "recrawl_records": records(again),
        }


def table(rows: list[dict]) -> str:
    head = ("workload", "first crawl", "recrawl", "ratio", "first s", "recrawl s", "exchanges", "304s", "B/exchange")
    lines = [head] + [(r["workload"], f"{r['first_bytes']:,}", f"{r['recrawl_bytes']:,}", f"{r['ratio']:.1%}",
                       f"{r['first_seconds']:.1f}", f"{r['recrawl_seconds']:.1f}", str(r["recrawl_exchanges"]),
                       str(r["recrawl_304"]), str(r["recrawl_bytes_per_exchange"])) for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True)))
                     for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf-kb", type=int, default=256, help="PDF weight of the report-sized workload (KB).")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Where to write the figures (JSON).")
    args = parser.parse_args(argv)
    rows = [measure(0), measure(args.pdf_kb)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"sites": SITES, "results": rows}, indent=2) + "\n", encoding="utf-8")
    print(table(rows))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
