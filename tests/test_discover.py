"""`xxgk discover` walks every simulated portal from its home page to the registered report column."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from crawler.simulator import SimulatedPortals
from crawler.simulator.portals import ALL_BUILDERS
from crawler.sites import load_registry
from spiders.discover import best_family, fingerprint, registry_entry, site_name

BIN = Path(sys.executable).parent
SIMULATED = tuple(name for name in ALL_BUILDERS if name not in ("zongyang", "hebei"))


@pytest.fixture(scope="module")
def sim():
    with SimulatedPortals(list(SIMULATED)) as portals:
        yield portals


@pytest.mark.parametrize("site", SIMULATED)
def test_discover_finds_the_column_and_the_family(sim, site):
    result = subprocess.run([str(BIN / "xxgk"), "discover", sim.base_urls[site] + "/", "--allow-private",
                             "--name", site], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    [entry] = tomllib.loads(result.stdout)["site"]
    registered = load_registry()[site]
    assert entry["name"] == site and entry["verified"] == ""
    assert entry["family"] == registered.family
    assert entry["columns"][0].split("#")[0] in {c.split("#")[0] for c in registered.columns} | {"/xxgk2020/zfxxgknb/"}
    assert entry["base_url"] == sim.base_urls[site]


def test_discover_refuses_a_loopback_portal_unless_allowed(sim):
    result = subprocess.run([str(BIN / "xxgk"), "discover", sim.base_urls["yanji"] + "/"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and "private address" in result.stderr
    assert "no report column" not in result.stderr, "a walk that could not start is not a portal without a column"


def test_fingerprints_of_known_markup():
    assert best_family(fingerprint("http://x/gkmlpt/index", "<script>window._CONFIG = {SID: '2'}</script>")) == "gkmlpt"
    both = '<a href="/col/col1/index.html">x</a><script>url: "/module/xxgk/search.jsp?currpage=1"</script>'
    assert best_family(fingerprint("http://x/col/col1/index.html", both)) == "hanweb_xxgk"
    assert best_family(fingerprint("http://x/", "<p>plain</p>")) == ""


def test_registry_entry_is_valid_toml_marked_unverified():
    found = {"home_url": "http://www.hd.gov.cn/", "family": "", "columns": ["http://www.hd.gov.cn/zwgk/nb/"],
             "years": ["2019年"], "site_name": "邯郸市人民政府", "site_code": "1304000009", "pages": 5}
    [entry] = tomllib.loads(registry_entry(found))["site"]
    assert entry["name"] == site_name("http://www.hd.gov.cn/", "邯郸市人民政府") == "handan", "from the government"
    assert site_name("http://www.hd.gov.cn/") == "hd", "from the host when no government is known"
    assert site_name("http://x/", "鄂尔多斯市东胜区人民政府") == "dongsheng"
    assert entry["division_code"] == "130400" and entry["columns"] == ["/zwgk/nb/"] and entry["verified"] == ""
