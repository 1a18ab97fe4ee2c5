"""bench/RESULTS.md from one run's figures: what, figure, ratio to its anchor, machine, date; targets met or missed."""

from __future__ import annotations


def _get(figures: dict, step: str, key: str):
    value = figures.get(step, {}).get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _ratio(value, anchor) -> str:
    return f"{value / anchor:.2f}×" if value and anchor else "–"


def rows(results: dict) -> list[tuple[str, str, str]]:
    """(what, figure, ratio) rows; ratios are within this run."""
    f = results["figures"]
    bare = _get(f, "bare", "pages_per_second")
    wget = _get(f, "wget", "pages_per_second")
    out = []
    if "server" in f:
        out.append(("nginx capacity (wrk, one report page, 16 connections)",
                    f"{f['server'].get('wrk_requests_per_second') or '–'} req/s", _ratio(
                        f["server"].get("wrk_requests_per_second"), bare) + " of bare Scrapy"))
    crawls = (("bare", "1. bare Scrapy, same links, no pipeline (anchor)"),
              ("wget", "2. wget -r --warc-file"),
              ("archive", "3. xxgk archive only (WARC, CDXJ, captures), 1 process"),
              ("archive_sharded", f"3. xxgk archive only, --processes {results['processes']}"),
              ("archive_http11", "3. xxgk archive only, 1 process, Scrapy's HTTP handler (no scrapy-playwright)"),
              ("full", "4. xxgk full crawl (extraction in worker processes, as configured)"),
              ("full_inline", "4. xxgk full crawl, extraction in the crawl's own process"))
    for step, what in crawls:
        pps = _get(f, step, "pages_per_second")
        if pps is None:
            continue
        extra = f" ({f[step]['pages']} pages in {f[step]['seconds']} s)"
        ratio = _ratio(pps, bare) + (f"; {_ratio(pps, wget)} of wget" if step.startswith("archive") and wget else "")
        out.append((what, f"{pps} pages/s{extra}", ratio))
    if "reextract" in f:
        r = f["reextract"]
        out.append((f"5. xxgk reextract, {r.get('processes')} processes", f"{r.get('pages_per_second')} items/s",
                    f"{r.get('scaling')}× of 1 process ({r.get('one_process_pages_per_second')} items/s)"))
    if "extraction" in f:
        e = f["extraction"]
        anchor = e["trafilatura"]["pages_per_second"]
        out.append(("6. trafilatura alone, report pages, 1 core (anchor)",
                    f"{anchor} pages/s, text F1 {e['trafilatura']['text_f1']}", "1.00×"))
        out.append(("6. xxgk extraction (fields + statistics tables), 1 core",
                    f"{e['xxgk']['pages_per_second']} pages/s, text F1 {e['xxgk']['text_f1']}",
                    _ratio(e["xxgk"]["pages_per_second"], anchor)))
        out.append(("6. xxgk extract() alone (no tables), 1 core",
                    f"{e['xxgk_fields_only']['pages_per_second']} pages/s",
                    _ratio(e["xxgk_fields_only"]["pages_per_second"], anchor)))
        corpus = e.get("eval_corpus", {})
        out.append(("6. title + date right on the eval corpus's page cases",
                    f"xxgk {corpus.get('xxgk')}, trafilatura {corpus.get('trafilatura')}", "–"))
    if "recrawl_portals" in f and "archive" in f:
        r = f["recrawl_portals"]
        first = r.get("first_seconds") or f["archive"]["seconds"]
        for name, what in (("conditional", "every report page and PDF asked again (If-None-Match)"),
                           ("revalidate", "--revalidate-after 7 (only list pages asked again)")):
            if _get(f, "recrawl_portals", f"{name}_seconds") is None:
                continue
            out.append((f"7. recrawl of the unchanged portals, {what}",
                        f"{r[f'{name}_seconds']} s vs {first} s first crawl; {r[f'{name}_warc_bytes']:,} WARC bytes "
                        f"added", f"{r[f'{name}_seconds'] / first:.0%} of the time, "
                        f"{r[f'{name}_warc_bytes'] / r['first_warc_bytes']:.1%} of the bytes"))
    if "recrawl" in f:
        r = f["recrawl"]
        if r.get("status") == "ok":
            out.append(("7. recrawl of unchanged portals (bench/recrawl.py)",
                        f"{r['recrawl_seconds']} s vs {r['first_seconds']} s; {r['recrawl_bytes']:,} WARC bytes added",
                        f"{r['ratio']:.1%} of the first crawl's bytes"))
        else:
            out.append(("7. recrawl of unchanged portals", r.get("status", "not yet"), r.get("why", "")))
    if "replay" in f:
        r = f["replay"]
        if r.get("status") == "ok":
            out.append(("8. pywb replay lookup (id_), p50 / p95", f"{r['lookup_p50_ms']} / {r['lookup_p95_ms']} ms",
                        f"{r['lookups_ok']}/{r['lookups']} answered 200"))
            out.append(("8. CDX query, p50 / p95", f"{r['cdx_p50_ms']} / {r['cdx_p95_ms']} ms",
                        f"over {r['index_files']} CDXJ files"))
        else:
            out.append(("8. replay", r.get("status", "?"), ""))
    for step, what in crawls:
        if _get(f, step, "peak_rss_mb") is not None:
            out.append((f"9. peak RSS: {what.split('. ', 1)[1]}",
                        f"{f[step]['peak_rss_mb']} MB tree, {f[step]['peak_process_rss_mb']} MB largest process", "–"))
    return out


def targets(results: dict) -> list[str]:
    """Each target of issue 7: met, or missed by how much."""
    f = results["figures"]
    bare, wget = _get(f, "bare", "pages_per_second"), _get(f, "wget", "pages_per_second")
    lines = []

    def check(name: str, value, goal, unit: str = "") -> None:
        if value is None or goal is None:
            lines.append(f"- {name}: not measured")
        elif value >= goal:
            lines.append(f"- {name}: **met** ({value:.2f}{unit} ≥ {goal:.2f}{unit})")
        else:
            lines.append(f"- {name}: **missed** by {(1 - value / goal):.0%} ({value:.2f}{unit} < {goal:.2f}{unit})")

    def check_at_most(name: str, value, limit, unit: str = "") -> None:
        if value is None or limit is None:
            lines.append(f"- {name}: not measured")
        elif value <= limit:
            lines.append(f"- {name}: **met** ({value:.2f}{unit} ≤ {limit:.2f}{unit})")
        else:
            lines.append(f"- {name}: **missed**: {value:.2f}{unit} is {value / limit:.1f}× the limit of {limit:.2f}{unit}")

    archive = _get(f, "archive", "pages_per_second")
    check("archive only ≥ 0.8 × bare Scrapy per process", archive, 0.8 * bare if bare else None, " pages/s")
    check(f"archive only, --processes {results['processes']}, ≥ 1.0 × wget", _get(f, "archive_sharded", "pages_per_second"),
          wget, " pages/s")
    if "extraction" in f:
        e = f["extraction"]
        check("known-family extraction ≥ 4 × trafilatura", e["xxgk"]["pages_per_second"],
              4 * e["trafilatura"]["pages_per_second"], " pages/s")
        check("known-family text accuracy ≥ trafilatura's", e["xxgk"]["text_f1"], e["trafilatura"]["text_f1"])
    first = _get(f, "recrawl_portals", "first_seconds") or _get(f, "archive", "seconds")
    for name, what in (("conditional", "every report asked again"), ("revalidate", "--revalidate-after 7")):
        seconds, added = _get(f, "recrawl_portals", f"{name}_seconds"), _get(f, "recrawl_portals", f"{name}_warc_bytes")
        if seconds and first:
            check_at_most(f"recrawl ({what}) ≤ 25% of the first crawl's time", 100 * seconds / first, 25, "%")
        if added is not None and f["recrawl_portals"].get("first_warc_bytes"):
            check_at_most(f"recrawl ({what}) ≤ 5% of the first crawl's WARC bytes",
                          100 * added / f["recrawl_portals"]["first_warc_bytes"], 5, "%")
    check("reextract scaling ≥ 1.8× on 2 cores", _get(f, "reextract", "scaling"), 1.8, "×")
    peaks = [_get(f, s, "peak_process_rss_mb") for s in ("archive", "archive_sharded", "full", "full_inline")]
    peaks = [p for p in peaks if p is not None]
    check_at_most("peak RSS ≤ 400 MB per process", max(peaks) if peaks else None, 400, " MB")
    return lines


def write_report(results: dict) -> str:
    date = results["date"][:10]
    table = ["| what | figure | ratio to its anchor | machine | date |", "|---|---|---|---|---|"]
    table += [f"| {what} | {figure} | {ratio} | {results['machine']} | {date} |" for what, figure, ratio in rows(results)]
    load = ", ".join(f"{x:.2f}" for x in results.get("load_average", ()))
    quick = " **Quick mode: a check of the harness, not a measurement.**" if results.get("quick") else ""
    return "\n".join([
        "# Benchmark results",
        "",
        f"`make bench` on {results['date']}: {results['urls']:,} URLs of generated portals, median of "
        f"{results['runs']} run(s) per figure; load average when it started: {load}.{quick}",
        "Every ratio is computed within this run. How the figures are made, and what would close the gaps: "
        "docs/bench.md. Machine-readable: bench/results/bench.json.",
        "",
        *table,
        "",
        *(f"- {note}" for note in results.get("notes", ())),
        "",
        "## Targets",
        "",
        *targets(results),
        "",
    ])
