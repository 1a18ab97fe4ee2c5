"""A changing portal crawled four times: document versions, column events, and the commands that read them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support import BACKENDS, Store, new_store, query

from crawler.simulator import SimulatedPortals

BIN = Path(sys.executable).parent
SITE = "panjin"
MARK = "（本段已修订）"
NEW_TITLE_SUFFIX = "（更正）"


def xxgk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "xxgk"), *args], capture_output=True, text=True, timeout=300)



def crawl(simulated: SimulatedPortals, store: Store) -> int:
    result = xxgk("crawl", SITE, *store.args, f"--base-url={SITE}={simulated.base_urls[SITE]}")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return query(store, "SELECT MAX(id) AS id FROM crawls")[0]["id"]


def events(data_dir: Store, crawl_id: int) -> list[tuple[str, str]]:
    return sorted((row["kind"], row["url"]) for row in query(data_dir, "SELECT * FROM events WHERE crawl_id = ?",
                                                              crawl_id))


@pytest.fixture(scope="module", params=BACKENDS)
def history(tmp_path_factory, request):
    """Crawl 1 as built; 2 with a report edited, an item retitled, one unlisted, one gone 404; 3 with all of it
    undone; 4 with a list page failing (its column not read whole)."""
    data_dir = new_store(request.param, tmp_path_factory.mktemp("history"), request)
    with SimulatedPortals([SITE]) as simulated:
        portal = simulated.portals[SITE]
        redirected = set(portal.redirects.values())
        edited, retitled, unlisted, gone = [url for url in portal.report_urls if url not in redirected][:4]
        crawls = [crawl(simulated, data_dir)]
        path = urlsplit(edited).path
        original = portal.routes[path].body
        paragraph = re.search(r"<p[^>]*>([^<]{15,})</p>", original.decode("utf-8")).group(1)
        portal.edit(paragraph, paragraph + MARK, path)
        title = portal.reports[retitled].title
        portal.retitle(title, title + NEW_TITLE_SUFFIX)
        portal.unlist(unlisted)
        portal.take_down(gone)
        crawls.append(crawl(simulated, data_dir))
        portal.restore()
        crawls.append(crawl(simulated, data_dir))
        portal.take_down(portal.url("/html/zfxxgknb2018/index_2.html"))
        crawls.append(crawl(simulated, data_dir))
        portal.restore()
    return {"dir": data_dir, "crawls": crawls, "edited": edited, "retitled": retitled, "unlisted": unlisted,
            "gone": gone, "title": title, "paragraph": paragraph, "original": original,
            "missing": portal.missing_urls[0]}


def test_first_crawl_sees_every_item_and_the_dead_link_as_removed(history):
    data_dir, first = history["dir"], history["crawls"][0]
    found = events(data_dir, first)
    listed = {entry["url"] for row in query(data_dir, "SELECT entries FROM listings WHERE crawl_id = ?", first)
              for entry in json.loads(row["entries"])}
    assert {url for kind, url in found if kind == "first_seen"} == listed
    assert [(kind, url) for kind, url in found if kind != "first_seen"] == [("removed", history["missing"])]
    assert query(data_dir, "SELECT COUNT(*) AS n FROM versions WHERE version = 1")[0]["n"] >= 15


def test_edits_retitles_removals_are_events(history):
    data_dir, second = history["dir"], history["crawls"][1]
    assert events(data_dir, second) == sorted([
        ("changed", history["edited"]), ("retitled", history["retitled"]),
        ("removed", history["unlisted"]), ("removed", history["gone"])])
    details = {row["kind"] + row["url"]: json.loads(row["details"])
               for row in query(data_dir, "SELECT * FROM events WHERE crawl_id = ?", second)}
    assert details["retitled" + history["retitled"]]["old_title"] == history["title"]
    assert details["retitled" + history["retitled"]]["title"] == history["title"] + NEW_TITLE_SUFFIX
    assert details["removed" + history["unlisted"]]["reason"] == "unlisted"
    assert details["removed" + history["gone"]]["reason"] == "404"
    assert details["changed" + history["edited"]]["changed"] == ["text"]
    versions = query(data_dir, "SELECT * FROM versions WHERE document_url = ? ORDER BY version", history["edited"])
    assert [v["version"] for v in versions][:2] == [1, 2] and MARK in versions[1]["text"]
    assert MARK not in versions[0]["text"]
    others = query(data_dir, "SELECT COUNT(*) AS n FROM versions WHERE version > 1 AND document_url != ?",
                   history["edited"])
    assert others[0]["n"] == 0, "nothing else got a new version"


def test_undoing_brings_items_back(history):
    data_dir, third = history["dir"], history["crawls"][2]
    assert events(data_dir, third) == sorted([
        ("changed", history["edited"]), ("retitled", history["retitled"]),
        ("reappeared", history["unlisted"]), ("reappeared", history["gone"])])
    versions = query(data_dir, "SELECT * FROM versions WHERE document_url = ? ORDER BY version", history["edited"])
    assert len(versions) == 3 and versions[2]["text_sha1"] == versions[0]["text_sha1"]


def test_an_incomplete_column_proves_no_removal(history):
    data_dir, fourth = history["dir"], history["crawls"][3]
    assert events(data_dir, fourth) == []
    rows = query(data_dir, "SELECT * FROM column_crawls WHERE crawl_id = ? AND column_url LIKE '%zfxxgknb2018%'",
                 fourth)
    assert len(rows) == 1 and rows[0]["complete"] == 0 and "list page" in rows[0]["problem"]
    earlier = query(data_dir, "SELECT complete FROM column_crawls WHERE crawl_id < ?", fourth)
    assert earlier and all(row["complete"] == 1 for row in earlier)
    error = query(data_dir, "SELECT * FROM captures WHERE crawl_id = ? AND kind = 'list' AND status = 404", fourth)
    assert error and error[0]["outcome"] == "error"


def snapshots(history, url: str) -> list[dict]:
    result = xxgk("snapshots", url, "--json", *history["dir"].args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_snapshots_list_every_capture_with_its_revisit_kind(history):
    found = snapshots(history, history["edited"])
    assert [c["status"] for c in found] == [200, 200, 200, 304]
    assert [c["revisit"] for c in found] == [None, None, "identical-payload-digest", "server-not-modified"]
    assert all(c["kind"] == "document" and c["warc_file"] and c["offset"] is not None for c in found)
    window = xxgk("snapshots", history["edited"], "--from", found[1]["date"], "--to", found[2]["date"], "--json",
                  *history["dir"].args)
    assert [json.loads(line)["date"] for line in window.stdout.splitlines()] == [found[1]["date"], found[2]["date"]]
    table = xxgk("snapshots", history["edited"], *history["dir"].args)
    assert table.returncode == 0 and "revisit:server-not-modified" in table.stdout


def test_show_gives_the_closest_capture_its_text_metadata_and_payload(history):
    args, url = history["dir"].args, history["edited"]
    found = snapshots(history, url)
    summary = xxgk("show", url, "--at", found[1]["date"], *args)
    assert summary.returncode == 0 and found[1]["date"] in summary.stdout and "version: 2" in summary.stdout
    assert MARK in xxgk("show", url, "--at", found[1]["date"], "--text", *args).stdout
    assert MARK not in xxgk("show", url, "--at", found[0]["date"], "--text", *args).stdout
    meta = json.loads(xxgk("show", url, "--at", found[1]["date"], "--meta", *args).stdout)
    assert meta["version"] == 2 and meta["capture_date"] == found[1]["date"] and meta["title"]
    raw = subprocess.run([str(BIN / "xxgk"), "show", url, "--at", found[3]["date"], "--raw", *args],
                         capture_output=True, timeout=120)
    assert raw.returncode == 0 and raw.stdout == history["original"], "a 304's payload is its original's"
    edited = subprocess.run([str(BIN / "xxgk"), "show", url, "--at", found[1]["date"], "--raw", *args], capture_output=True, timeout=120)
    assert MARK.encode() in edited.stdout


def test_column_shows_what_was_listed_then(history):
    data_dir = history["dir"]
    finished = [query(data_dir, "SELECT finished_at FROM crawls WHERE id = ?", c)[0]["finished_at"]
                for c in history["crawls"]]

    def listed(at: str) -> dict[str, str]:
        result = xxgk("column", SITE, "--at", at, "--json", *data_dir.args)
        assert result.returncode == 0, result.stderr
        return {item["url"]: item["title"] for line in result.stdout.splitlines()
                for item in json.loads(line)["items"]}

    first, second = listed(finished[0]), listed(finished[1])
    assert history["unlisted"] in first and history["unlisted"] not in second
    assert second[history["retitled"]] == history["title"] + NEW_TITLE_SUFFIX
    fourth = listed(finished[3])
    assert fourth[history["retitled"]] == history["title"], "the failed 2018 column is shown as last read whole"
    assert set(fourth) == set(listed(finished[2]))


def test_diff_shows_the_edit(history):
    found = snapshots(history, history["edited"])
    result = xxgk("diff", history["edited"], "--from", found[0]["date"], "--to", found[1]["date"], *history["dir"].args)
    assert result.returncode == 0, result.stderr
    assert "version 1" in result.stdout and "version 2" in result.stdout
    edited = [line for line in result.stdout.splitlines() if line.startswith("~")]
    assert any(MARK in line for line in edited), result.stdout
    same = xxgk("diff", history["edited"], "--from", found[0]["date"], "--to", found[0]["date"], *history["dir"].args)
    assert same.returncode == 0 and "no change" in same.stdout


def test_changes_lists_events_since_a_date(history):
    data_dir = history["dir"]
    started = query(data_dir, "SELECT started_at FROM crawls WHERE id = ?", history["crawls"][1])[0]["started_at"]
    result = xxgk("changes", SITE, "--since", started, "--json", *data_dir.args)
    assert result.returncode == 0, result.stderr
    kinds = [json.loads(line)["kind"] for line in result.stdout.splitlines()]
    assert "first_seen" not in kinds and kinds.count("reappeared") == 2 and kinds.count("retitled") == 2
    text = xxgk("changes", "--since", "2000-01-01", *data_dir.args)
    assert re.search(rf"retitled\s+{re.escape(history['retitled'])}", text.stdout)


@pytest.mark.parametrize("args, message", [
    (("show", "http://nowhere.invalid/", "--at", "2024-01-01"), "no capture of http://nowhere.invalid/"),
    (("show", "http://nowhere.invalid/", "--at", "yesterday"), "expected a date like"),
    (("snapshots", "http://nowhere.invalid/"), "no capture of http://nowhere.invalid/"),
    (("column", SITE, "--at", "1999-01-01"), "no complete crawl"),
    (("diff", "http://nowhere.invalid/", "--from", "2024-01-01", "--to", "2025-01-01"), "no versions of"),
    (("changes", "atlantis", "--since", "2024-01-01"), "unknown site 'atlantis'"),
])
def test_bad_input_gets_a_one_line_error(history, args, message):
    result = xxgk(*args, *history["dir"].args)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_history_commands_need_a_database(tmp_path):
    result = xxgk("changes", "--since", "2024-01-01", "--data-dir", str(tmp_path))
    assert result.returncode != 0 and "no database" in result.stderr


def test_show_text_and_meta_together_prints_both(history):
    args, url = history["dir"].args, history["edited"]
    found = snapshots(history, url)
    both = xxgk("show", url, "--at", found[1]["date"], "--meta", "--text", *args)
    assert both.returncode == 0, both.stderr
    meta, text = both.stdout.split("\n}\n", 1)
    assert json.loads(meta + "}")["version"] == 2
    assert MARK in text and text.strip() == xxgk("show", url, "--at", found[1]["date"], "--text",
                                                 *args).stdout.strip()
    mixed = xxgk("show", url, "--at", found[1]["date"], "--raw", "--text", *args)
    assert mixed.returncode == 2 and "--raw" in mixed.stderr


def test_diff_marks_the_changed_words_in_line(history):
    found = snapshots(history, history["edited"])
    result = xxgk("diff", history["edited"], "--from", found[0]["date"], "--to", found[1]["date"], *history["dir"].args)
    assert result.returncode == 0, result.stderr
    [marked] = [line for line in result.stdout.splitlines() if line.startswith("~")]  # one paragraph edited
    assert marked == "~" + " ".join(history["paragraph"].split()) + "{+" + MARK + "+}", "only the addition is marked"
    assert "\x1b[" not in result.stdout, "no colour codes when stdout is no terminal"
    coloured = xxgk("diff", history["edited"], "--from", found[0]["date"], "--to", found[1]["date"], "--color",
                    "always", *history["dir"].args)
    assert "\x1b[7;32m" + MARK + "\x1b[0m" in coloured.stdout
    latest = xxgk("diff", history["edited"], *history["dir"].args)  # no dates: its latest change
    versions = query(history["dir"], "SELECT version FROM versions WHERE document_url = ? ORDER BY version",
                     history["edited"])
    assert f"version {versions[-2]['version']} (" in latest.stdout and f"version {versions[-1]['version']} (" in \
        latest.stdout


def test_diff_from_a_date_means_its_start(history):
    """`--from D` is the start of day D (docs/snapshots.md): no version existed before the first crawl that day."""
    found = snapshots(history, history["edited"])
    day = found[0]["date"][:10]
    result = xxgk("diff", history["edited"], "--from", day, "--to", found[1]["date"], *history["dir"].args)
    assert result.returncode == 1 and f"had no version yet at {day}T00:00:00Z" in result.stderr, result.stderr
    to_end = xxgk("diff", history["edited"], "--from", found[0]["date"], "--to", day, *history["dir"].args)
    last = query(history["dir"], "SELECT MAX(version) AS v FROM versions WHERE document_url = ?", history["edited"])
    assert to_end.returncode == 0 and f"version {last[0]['v']} read the same" in to_end.stdout, \
        "`--to D` is the end of day D: its last version, the edit undone"
