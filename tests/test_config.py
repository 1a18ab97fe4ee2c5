"""One configuration path: project settings, DATA_DIR/xxgk.toml, XXGK_* environment, then command-line options —
the same for every command and for `scrapy crawl`; user registries seen by `xxgk` and `scrapy` alike."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support import BIN, query

from crawler import config
from crawler.simulator import SimulatedPortals
from crawler.sites import RegistryError, load_registry

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("XXGK_", "SCRAPY_"))} | (env or {})
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=300)


def write_config(data_dir: Path, text: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / config.CONFIG_FILE).write_text(text, encoding="utf-8")


def test_later_layers_win(tmp_path, monkeypatch):
    for name in [name for name in os.environ if name.startswith("XXGK_")]:
        monkeypatch.delenv(name)
    write_config(tmp_path, '[settings]\nXXGK_DATABASE_URL = "sqlite:////from/file"\nXXGK_WARC_PREFIX = "team"\n')
    assert config.database_url(config.load(tmp_path)) == "sqlite:////from/file"
    assert config.load(tmp_path)["XXGK_WARC_PREFIX"] == "team"
    monkeypatch.setenv("XXGK_DATABASE_URL", "sqlite:////from/env")
    assert config.database_url(config.load(tmp_path)) == "sqlite:////from/env"
    options = {"XXGK_DATABASE_URL": "sqlite:////from/option"}
    assert config.database_url(config.load(tmp_path, options)) == "sqlite:////from/option"
    monkeypatch.setenv("XXGK_DATA_DIR", str(tmp_path))
    assert config.load()["XXGK_WARC_PREFIX"] == "team", "the data dir named by the environment brings its file"


def test_a_bad_config_file_is_one_line(tmp_path):
    write_config(tmp_path, "[settings]\nXXGK_DATABSE_URL = 'postgresql://x'\n")
    result = run("xxgk", "coverage", "--data-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown setting XXGK_DATABSE_URL" in result.stderr and "Traceback" not in result.stderr
    write_config(tmp_path, "[settings\n")
    result = run("xxgk", "sites", "--data-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1 and "not valid TOML" in result.stderr


def test_a_user_registry_is_merged_over_the_bundled_one(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text('[[site]]\nname = "panjin"\ngovernment = "盘锦（用户）"\nbase_url = "https://example.invalid"\n'
                    'family = "panjin"\n', encoding="utf-8")
    (tmp_path / "sites.toml").write_text('[[site]]\nname = "newtown"\ngovernment = "新城县人民政府"\n'
                                         'base_url = "https://newtown.invalid"\n', encoding="utf-8")
    settings = config.load(tmp_path, {"XXGK_REGISTRY": [str(user)]})
    sites = load_registry(settings)
    assert sites["panjin"].government == "盘锦（用户）" and sites["newtown"].family == ""
    assert "yanji" in sites
    listed = run("scrapy", "list", cwd=REPO, env={"XXGK_DATA_DIR": str(tmp_path)})
    assert "newtown" in listed.stdout.split(), listed.stderr[-2000:]
    shown = run("xxgk", "sites", "--data-dir", str(tmp_path), cwd=tmp_path)
    assert "newtown" in shown.stdout
    (tmp_path / "sites.toml").write_text('[[site]]\nname = "broken"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="has no government, base_url"):
        load_registry(config.load(tmp_path))


def test_scrapy_crawl_and_xxgk_crawl_read_the_same_configuration(tmp_path):
    """The data dir's file reaches a `scrapy crawl` through the add-on: its WARC prefix names the files."""
    with SimulatedPortals(["yanji"]) as simulated:
        base = simulated.base_urls["yanji"]
        scrapy_dir, xxgk_dir = tmp_path / "scrapy", tmp_path / "xxgk"
        for data_dir in (scrapy_dir, xxgk_dir):
            write_config(data_dir, '[settings]\nXXGK_WARC_PREFIX = "team"\n')
        by_scrapy = run("scrapy", "crawl", "yanji", "-s", f'XXGK_BASE_URLS={{"yanji": "{base}"}}', cwd=REPO,
                        env={"XXGK_DATA_DIR": str(scrapy_dir)})
        by_xxgk = run("xxgk", "crawl", "yanji", "--base-url", f"yanji={base}", "--data-dir", str(xxgk_dir),
                      cwd=tmp_path)
    assert by_scrapy.returncode == 0, by_scrapy.stderr[-3000:]
    assert by_xxgk.returncode == 0, by_xxgk.stdout + by_xxgk.stderr
    for data_dir, result in ((scrapy_dir, by_scrapy), (xxgk_dir, by_xxgk)):
        assert all(path.name.startswith("team-yanji-") for path in (data_dir / "warc").glob("*.warc.gz"))
        assert "yanji" in result.stdout and "status" in result.stdout, "both print the summary table"
        assert not (data_dir / "jobs" / "yanji").exists(), "a finished crawl leaves no job state"
    count = "SELECT COUNT(*) AS n FROM documents"
    assert query(scrapy_dir, count)[0]["n"] == query(xxgk_dir, count)[0]["n"] > 0


def test_scrapy_crawl_exits_non_zero_when_the_site_fails(tmp_path):
    result = run("scrapy", "crawl", "yanji", "-s", 'XXGK_BASE_URLS={"yanji": "http://127.0.0.1:9"}',
                 "-s", "RETRY_TIMES=0", cwd=REPO, env={"XXGK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "failed" in result.stdout


def test_remote_control_and_telnet_are_off():
    settings = config.load()
    assert not settings.getbool("REMOTE_CONTROL_ENABLED") and not settings.getbool("TELNETCONSOLE_ENABLED")


@pytest.mark.parametrize(("given", "expected"), [
    ({}, 4),  # the project's 16, cut to twice its per-site 2
    ({"CONCURRENT_REQUESTS_PER_DOMAIN": 8}, 16),  # a simulated portal's 8: the 16 stays
    ({"CONCURRENT_REQUESTS_PER_DOMAIN": 1}, 2),  # a registry entry's `concurrency = 1`
    ({"CONCURRENT_REQUESTS": 3}, 3),  # below it already: never raised
])
def test_a_site_crawl_lets_into_its_downloader_what_its_hosts_can_take(given, expected):
    settings = config.load()
    settings.setdict(given, priority="cmdline")
    config.XxgkAddon().update_settings(settings)
    assert settings.getint("CONCURRENT_REQUESTS") == expected
