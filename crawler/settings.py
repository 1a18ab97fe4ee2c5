"""All Scrapy and xxgk defaults, in one place. Override per run with `-s NAME=VALUE`."""

from crawler import __version__

BOT_NAME = "xxgk"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# -- xxgk -----------------------------------------------------------------
# Where the archive (warc/) and the database live.
XXGK_DATA_DIR = "data"
# Storage: a SQLAlchemy URL; empty means SQLite at {XXGK_DATA_DIR}/xxgk.sqlite.
XXGK_DATABASE_URL = ""
# {site name: base URL} to crawl a site somewhere other than its real portal (the simulators).
XXGK_BASE_URLS: dict[str, str] = {}
# WARC files: rotate when a file passes this size (Heritrix's default), name prefix.
XXGK_WARC_MAX_SIZE = 1_000_000_000
XXGK_WARC_PREFIX = "xxgk"

# -- politeness: what a small government server can bear ------------------
USER_AGENT = f"xxgk/{__version__} (archiving government information disclosure reports)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False

# -- components -----------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Above every built-in middleware (HttpCache is 900): sees each redirect hop,
    # each retried failure and the body still content-encoded.
    "archive.capture.WarcCaptureMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    # Writes each page's links as a WARC metadata record and fetches its requisites.
    "archive.pagelinks.PageLinksMiddleware": 950,
}
ITEM_PIPELINES = {
    "pipelines.extraction.ExtractionPipeline": 300,
    "pipelines.storage.StoragePipeline": 800,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
