"""Our WACZ files in ReplayWeb.page itself (its npm package, served from loopback, in headless Chromium): a package
of one recrawl replays every report page on its own, and its page search finds Chinese words.
Screenshots go to tests/artifacts/replaywebpage-*.png."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from replaywebpage import archived_frame, chromium, fresh_page, open_archived, search, serving
from support import BACKENDS, BIN, new_store, query

from crawler.simulator import SimulatedPortals

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
SITES = ("panjin", "yanji")


def xxgk(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "xxgk"), *args], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def recrawled(tmp_path_factory, request) -> dict:
    """Panjin and Yanji crawled twice (the second crawl mostly revisits), then exported: yanji's recrawl alone,
    and the whole archive. On the database each test names (`indirect`): the replays in ReplayWeb.page read the
    package alone, so they run on SQLite only."""
    backend = request.param
    store = new_store(backend, tmp_path_factory.mktemp(f"recrawled-{backend}"), request)
    with SimulatedPortals(list(SITES)) as simulated:
        bases = [f"--base-url={site}={url}" for site, url in simulated.base_urls.items()]
        for _ in range(2):
            xxgk("crawl", *SITES, *bases, *store.args)
    [crawl] = query(store, "SELECT MAX(id) AS id FROM crawls WHERE site = 'yanji'")
    recrawl = tmp_path_factory.mktemp("wacz") / f"crawl-{crawl['id']}.wacz"
    printed = xxgk("export", "wacz", str(recrawl), "--crawl", str(crawl["id"]), *store.args).stdout
    everything = recrawl.with_name("everything.wacz")
    xxgk("export", "wacz", str(everything), *store.args)
    return {"dir": store, "crawl": crawl["id"], "recrawl": recrawl, "everything": everything, "printed": printed}


def pages(wacz: Path) -> list[dict]:
    with zipfile.ZipFile(wacz) as package:
        lines = package.read("pages/pages.jsonl").decode("utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


def ts14(ts: str) -> str:
    return re.sub(r"\D", "", ts)[:14]


@pytest.mark.parametrize("recrawled", BACKENDS, indirect=True)  # the originals are found in the digest index
def test_a_recrawl_package_carries_the_originals_its_revisits_need(recrawled):
    wacz = recrawled["recrawl"]
    with zipfile.ZipFile(wacz) as package:
        names = package.namelist()
        cdx = package.read("indexes/index.cdx.gz")
    originals = [name for name in names if name.startswith("archive/originals-")]
    assert len(originals) == 1 and "original records its revisits need" in recrawled["printed"]
    import gzip
    import io

    lines = [line for line in gzip.GzipFile(fileobj=io.BytesIO(cdx)).read().decode().splitlines() if line]
    revisits = [json.loads(line.split(" ", 2)[2]) for line in lines if '"warc/revisit"' in line]
    documents = {page["url"] for page in pages(wacz)}
    assert {r["url"] for r in revisits} >= documents, "every report page of the recrawl is a revisit"
    original_name = originals[0].removeprefix("archive/")
    resolved = {json.loads(line.split(" ", 2)[2])["url"] for line in lines if original_name in line}
    assert documents <= resolved, "each revisited report's original is in the package"
    validated = subprocess.run([str(REPO / ".venv-replay" / "bin" / "wacz"), "validate", "-f", str(wacz)],
                               capture_output=True, text=True, timeout=300)
    assert validated.returncode == 0 and "valid" in validated.stdout, validated.stdout + validated.stderr


@pytest.mark.parametrize("recrawled", ["sqlite"], indirect=True)
def test_every_page_of_a_recrawl_replays_in_replaywebpage(recrawled, tmp_path):
    wacz = recrawled["recrawl"]
    listed = pages(wacz)
    assert len(listed) >= 15
    ARTIFACTS.mkdir(exist_ok=True)
    found = []
    with serving(tmp_path / "site", [wacz]) as base, chromium() as browser:
        page = fresh_page(browser)
        for n, entry in enumerate(listed):
            loaded = open_archived(page, base, wacz.name, entry["url"], ts14(entry["ts"]))
            if n == 0:
                page.screenshot(path=str(ARTIFACTS / "replaywebpage-recrawl-page.png"))
            if loaded["replayNotFoundError"]:
                page.screenshot(path=str(ARTIFACTS / "replaywebpage-recrawl-not-found.png"))
                continue
            body = archived_frame(page, entry["url"]).locator("body").inner_text()
            first_line = entry["text"].splitlines()[0][:20]
            found.append(first_line in " ".join(body.split()) or first_line in body)
    assert len(found) == len(listed), f"{len(listed) - len(found)} of {len(listed)} pages: Archived Page Not Found"
    assert all(found), "each archived page shows its report's text"


@pytest.mark.parametrize("recrawled", ["sqlite"], indirect=True)
@pytest.mark.parametrize("word", ["依申请", "延吉"])
def test_page_search_finds_chinese_words(recrawled, tmp_path, word):
    wacz = recrawled["everything"]
    listed = pages(wacz)
    # what a reader would expect: the pages whose title or text (as extracted, before the search words) has it
    having = [entry for entry in listed if word in entry["title"] or word in entry["text"].rsplit("\n\n", 1)[0]]
    expected = {entry["title"] for entry in having}
    assert having
    with serving(tmp_path / "site", [wacz]) as base, chromium() as browser:
        page = fresh_page(browser)
        found = search(page, base, wacz.name, word)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"replaywebpage-search-{word}.png"))
        nothing = search(fresh_page(browser), base, wacz.name, "并无此词")
    assert found["total"] == min(len(having), 25), (found, len(having))  # ReplayWeb.page lists 25 at most
    assert found["titles"] and set(found["titles"]) <= expected, set(found["titles"]) - expected
    assert nothing["total"] == 0 and nothing["label"].startswith("0")
