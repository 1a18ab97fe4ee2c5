"""All Scrapy and xxgk defaults, in one place.

Override them in DATA_DIR/xxgk.toml, with XXGK_* environment variables or per run with `-s NAME=VALUE`
(crawler/config.py resolves the layers, for every command and for `scrapy crawl` alike).
"""

from crawler import __version__
from crawler.limits import MAX_PAGE_BYTES

BOT_NAME = "xxgk"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# One spider per registry entry (bundled, DATA_DIR/sites.toml, XXGK_REGISTRY), built by the loader.
SPIDER_LOADER_CLASS = "spiders.sites.RegistrySpiderLoader"
# `scrapy crawl` prints the crawl summary and exits non-zero when a site failed, as `xxgk crawl` does.
COMMANDS_MODULE = "crawler.scrapycommands"
# The configuration layers (data-dir file, environment) and each site's per-crawl settings, whoever starts it.
ADDONS = {"crawler.config.XxgkAddon": 0}

# -- xxgk -----------------------------------------------------------------
# Where the archive (warc/) and the database live.
XXGK_DATA_DIR = "data"
# Storage: a SQLAlchemy URL; empty means SQLite at {XXGK_DATA_DIR}/xxgk.sqlite.
XXGK_DATABASE_URL = ""
# {site name: base URL} to crawl a site somewhere other than its real portal (the simulators). A name that is not
# a registered site is an error, never a crawl of the real portal.
XXGK_BASE_URLS: dict[str, str] = {}
# User registries merged over the bundled crawler/sites.toml, after DATA_DIR/sites.toml (a path, or a list).
XXGK_REGISTRY: list[str] = []
# Each site's crawl keeps its resumable state in DATA_DIR/jobs/SITE (Scrapy's JOBDIR) until it finishes.
XXGK_JOBS = True
# WARC files: rotate when a file passes this size (Heritrix's default), name prefix.
XXGK_WARC_MAX_SIZE = 1_000_000_000
XXGK_WARC_PREFIX = "xxgk"
# gzip level of each record's member: 6 compresses HTML ~2x faster than warcio's 9 for ~0.3 % more bytes (level 9
# was over half the WARC writer's time, ~14 % of a 500-site worker's reactor; readers do not care which level).
XXGK_WARC_GZIP_LEVEL = 6
# CDXJ index lines made as records are written and sorted when a file closes (archive.index.LiveIndex), instead
# of reading each closed file back in spawned worker processes; the same index either way.
XXGK_LIVE_INDEX = True
# Recrawls: a payload archived before for the same URL is written as an identical-payload-digest revisit
# (found through the `digests` table); report pages and attachments are asked for with If-None-Match /
# If-Modified-Since from that table, and a 304 is written as a server-not-modified revisit.
XXGK_REVISITS = True
XXGK_CONDITIONAL_REQUESTS = True
# PostgreSQL: a crawl holds its site's lease (crawler/leases.py) this many seconds unless renewed, and renews it
# this often; a crawl whose process died elsewhere holds up its site at most XXGK_LEASE_SECONDS. XXGK_LEASE: the
# lease a worker claimed for a crawl (set by the worker, never by hand).
XXGK_LEASE_SECONDS = 60.0
XXGK_LEASE_RENEW_SECONDS = 15.0
XXGK_LEASE = None
# The shared queue (crawler/queue.py): with a Redis URL here, `xxgk schedule run` and `xxgk crawl --all` put site runs
# on it and `xxgk worker` processes (any number, on any host sharing the database) crawl them. Empty: crawls run
# where they are started. A worker whose heartbeat is older than XXGK_WORKER_HEARTBEAT_MS is dead: its sites go
# back on the queue; XXGK_QUEUE_MAINTENANCE (per million Redis commands) sets how often someone looks.
XXGK_QUEUE_URL = ""
XXGK_WORKER_HEARTBEAT_MS = 60_000
XXGK_QUEUE_MAINTENANCE = 50_000
# A run queued this long, or running without a live lease, whose message is not in Redis (restarted without
# appendonly, flushed) is sent again by `xxgk schedule sweep` and by `xxgk schedule run` at each look.
XXGK_QUEUE_SWEEP_GRACE = 300.0
XXGK_WORKER_SLOTS = 8
# The shared archive (archive/store.py): a directory (every host mounts it) or s3://bucket/prefix; each WARC file
# and its CDXJ index go there once closed. XXGK_S3_ENDPOINT: an S3-compatible store's URL (MinIO, Ceph…).
# Empty: WARC files stay in DATA_DIR/warc.
XXGK_ARCHIVE = ""
XXGK_S3_ENDPOINT = ""
# Days before a report page archived already is asked for again while its column still lists it
# (crawler/revalidate.py); 0 asks every crawl. List pages are always fetched.
XXGK_REVALIDATE_AFTER = 0.0

# -- politeness: what a small government server can bear ------------------
USER_AGENT = f"xxgk/{__version__} (archiving government information disclosure reports)"
ROBOTSTXT_OBEY = True
# At most; a site's crawl lets in 2 × its per-site concurrency (crawler/config.py fit_downloader).
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2

# -- what one request, URL and site may cost (crawler/middlewares/limits.py, retry.py; docs/faults.md) ----------
# A page (list or report page) must arrive whole within DOWNLOAD_TIMEOUT seconds (Scrapy's timer covers connect,
# headers and body: a server dripping bytes is cut there) and weigh at most XXGK_PAGE_MAXSIZE bytes, decompressed
# included (gzip bombs); a file (attachment, requisite) gets XXGK_FILE_TIMEOUT and DOWNLOAD_MAXSIZE.
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024
XXGK_PAGE_MAXSIZE = MAX_PAGE_BYTES
XXGK_FILE_TIMEOUT = 120
# A timeout is retried this many times (other failures RETRY_TIMES), and not at all once the site has had
# XXGK_SITE_TIMEOUTS timeouts; no URL is retried later than XXGK_URL_DEADLINE seconds after its first failure.
XXGK_TIMEOUT_RETRIES = 1
XXGK_SITE_TIMEOUTS = 10
XXGK_URL_DEADLINE = 120.0
# After this many seconds a site's crawl sends nothing more (counted, and the crawl fails as incomplete); 0: never.
XXGK_SITE_DEADLINE = 6 * 3600.0
# Retries wait XXGK_RETRY_BACKOFF_BASE × 2^n seconds (at most XXGK_RETRY_BACKOFF_MAX) before attempt n, or what a
# Retry-After header asks, up to XXGK_RETRY_AFTER_MAX (longer: not retried). The site's download slot waits; the
# crawl's other sites go on.
XXGK_RETRY_BACKOFF_BASE = 2.0
XXGK_RETRY_BACKOFF_MAX = 60.0
XXGK_RETRY_AFTER_MAX = 120.0
# Extraction workers' address space (bytes; 0: unlimited): a reader a bomb got past ends in a MemoryError.
XXGK_EXTRACT_MEMORY = 1024 * 1024 * 1024
COOKIES_ENABLED = True
# Neither a telnet console nor Scrapy 2.19's RemoteControl (an HTTP endpoint that runs Python code) in an
# unattended crawler: enable them only explicitly.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Items and requests of one response processed at once. Scrapy starts this many asyncio tasks (and one more)
# for every response: its default, 100, was ~15 % of a crawl's CPU, 16 still 5-10 % of a 500-site worker's
# reactor. A page yields one item and its requests (a request is handed on at once); the process hands extraction
# two jobs per worker at a time whatever this is.
CONCURRENT_ITEMS = 4
# Bytes of responses a crawl holds while its spider and pipelines work on them before it stops taking more
# (Scrapy's default: 5 MB). A process crawling hundreds of sites holds up to this much for each one while
# extraction catches up: 1 MB keeps a 500-site worker's waiting pages to a few hundred MB.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000

# -- components -----------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Above every built-in middleware (HttpCache is 900): sees each redirect hop,
    # each retried failure and the body still content-encoded.
    "archive.capture.WarcCaptureMiddleware": 950,
    # Just inside the capture: adds validators to report pages and attachments; turns a 304 it asked for into
    # the archived response (the capture middleware has archived the 304 as a revisit already).
    "archive.conditional.ConditionalRequestMiddleware": 945,
}
SPIDER_MIDDLEWARES = {
    # Writes each page's links as a WARC metadata record and fetches its requisites.
    "archive.pagelinks.PageLinksMiddleware": 950,
    # Outermost, with a JOBDIR: a resumed crawl asks first for what the stopped run left; a response's items are
    # stored only after the requests it produced are journalled.
    "crawler.extensions.journal.ResumeMiddleware": 10,
    # Outermost of all: drops the page's parsed tree once the callback's output is taken (its items wait longer).
    "crawler.middlewares.release.ReleaseParsedTree": 5,
}
# Extraction: off defers it to `xxgk reextract`; processes: worker processes (unset: all cores but the
# reactor's; 0: in the crawl's own process).
XXGK_EXTRACT = True
XXGK_EXTRACT_PROCESSES = None
ITEM_PIPELINES = {
    "pipelines.extraction.ExtractionPipeline": 300,
    "pipelines.storage.StoragePipeline": 800,
}

DUPEFILTER_CLASS = "crawler.extensions.journal.JournalDupeFilter"
SCHEDULER = "crawler.extensions.journal.JournalScheduler"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
# Scrapy parses each callback's source (ast) to warn about a generator that returns a value; its cache holds 128
# callbacks, fewer than a worker's sites × callbacks, so every response paid a parse (12 % of a 500-site worker's
# CPU). tests/test_callbacks.py checks our spiders once instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

# -- scope, traps, anti-bot challenges, crawl health (crawler/middlewares/, crawler/extensions/summary.py) -----
# Hosts that may resolve to private, loopback or link-local addresses ("*": any). Real portals never need it;
# a site entry can say `allow_private = true`, and base URLs given with XXGK_BASE_URLS (the simulators) are
# allowed while XXGK_ALLOW_PRIVATE_BASE_URLS is on.
XXGK_ALLOW_PRIVATE_HOSTS: list[str] = []
XXGK_ALLOW_PRIVATE_BASE_URLS = True
# Trap guards: list pages per column, URL length, the oldest year a date in a URL may name.
XXGK_MAX_LIST_PAGES = 200
XXGK_MAX_URL_LENGTH = 1024
XXGK_MIN_REPORT_YEAR = 1990
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_WARNSIZE = 50 * 1024 * 1024
# Challenge pages: retried through headless Chromium (scrapy-playwright) in the slow "xxgk-browser" download slot,
# at most XXGK_BROWSER_ATTEMPTS times per request; a request still challenged then counts the site as blocked.
XXGK_CHALLENGE_ENABLED = True
XXGK_BROWSER_ENABLED = True
XXGK_BROWSER_ATTEMPTS = 2
# A column page whose markup and scripts show no list is loaded once in the browser and its DOM read (generic
# reading, spiders/generic.py), in the same slow slot.
XXGK_BROWSER_LISTS = True
XXGK_BROWSER_SETTLE_ROUNDS = 20
DOWNLOAD_SLOTS = {"xxgk-browser": {"concurrency": 1, "delay": 5.0, "randomize_delay": True}}
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.LazyPlaywrightHandler",
    "https": "crawler.browser.LazyPlaywrightHandler",
}
# Chromium with every background service off (crawler/browser.py adds, per crawl, a resolver that knows only the
# site's hosts, a fresh profile whose preferences stop DNS probes and prediction, and routes that hold every request
# to the scope rules). Measured in a network namespace: with these, Chromium's only connect() outside the portal is
# its IPv6 reachability probe (a UDP socket connected to 2001:4860:4860::8888, no packet sent).
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    # the binary itself: Debian's /usr/bin/chromium wrapper exports Google API keys and adds remote extensions
    "executable_path": "/usr/lib/chromium/chromium",
    "headless": True,
    "args": [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--disable-extensions", "--no-first-run",
        "--metrics-recording-only", "--disable-breakpad", "--no-pings", "--disable-domain-reliability",
        # without it Chromium 156 registers the on-device model component and asks update.googleapis.com for it
        "--optimization-guide-manifest-override=/nonexistent",
        "--webrtc-ip-handling-policy=disable_non_proxied_udp",
        # Chromium keeps only the last --disable-features: Playwright's own list (1.65) must be repeated here
        "--disable-features=" + ",".join((
            "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
            "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
            "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
            "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
            "OptimizationGuideModelDownloading", "OptimizationHintsFetching", "OptimizationTargetPrediction",
            "OptimizationGuideOnDeviceModel", "DialMediaRouteProvider", "Translate", "AutofillServerCommunication",
            "CertificateTransparencyComponentUpdater", "DnsOverHttps", "InterestFeedContentSuggestions",
            "PrivacySandboxSettings4", "NetworkPrediction")),
    ],
}
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
# Crawl health: a site whose reports + attachments fall below this share of its last crawl's is failed.
XXGK_HEALTH_MIN_RATIO = 0.5
DOWNLOADER_MIDDLEWARES = {
    **DOWNLOADER_MIDDLEWARES,
    # Scrapy's offsite filter drops a request when it is scheduled, without a word; the scope middleware refuses
    # the same requests (the site's hosts only), counts them and tells the errback
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    # requests wait while the process has more pages waiting for extraction than its workers can take
    "pipelines.extraction.ExtractionBackpressure": 45,
    # first to send: nothing leaves while the crawl's lease (PostgreSQL) may have run out (held until a renewal answers)
    "crawler.leases.LeaseGuard": 50,
    "crawler.middlewares.scope.ScopeMiddleware": 60,
    "crawler.middlewares.traps.TrapGuardMiddleware": 70,
    # before Scrapy's DownloadTimeoutMiddleware (350), which only fills in a timeout the request has not got
    "crawler.middlewares.limits.LimitsMiddleware": 80,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    # just below decompression (590): decodes pages by what their bytes are, for everything above the downloader
    "crawler.middlewares.charset.CharsetMiddleware": 585,
    # Scrapy's redirects, a redirect back into its own chain refused as a loop
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.traps.LoopGuardRedirectMiddleware": 600,
    "crawler.middlewares.traps.LoopGuardMetaRefreshMiddleware": 580,
    # below decompression (590) so it reads the page as the spider would, above Retry (550)
    "crawler.middlewares.challenge.ChallengeMiddleware": 570,
}
EXTENSIONS = {
    # First of all: one crawl per site at a time (a crawl that cannot take its site's lock ends, `skipped`).
    "crawler.extensions.lock.CrawlLock": -100,
    # Only with JOBDIR (set per site by the add-on): the journal that lets a stopped crawl resume.
    "crawler.extensions.journal.CrawlJournal": -90,
    "crawler.extensions.summary.CrawlHealth": 500,
    "crawler.extensions.progress.CrawlProgress": 510,
    "crawler.extensions.gctune.GcTuning": 0,
    "crawler.extensions.sharedsettings.SharedSettings": 0,
    "crawler.extensions.loglevel.RootLogLevel": 0,
    # Not loaded at all (a disabled one is still imported and, for RemoteControl, its aiohttp with it: ~0.12 s of
    # start-up per process).
    "scrapy.extensions.remote_control.RemoteControl": None,
    "scrapy.extensions.telnet.TelnetConsole": None,
    # Each crawl's adds a handler to the root logger that counts every record of the process: with 500 sites in a
    # worker every line went through 500 handlers, and each site's log_count/* counted all sites' lines.
    "scrapy.extensions.logcount.LogCount": None,
}
# Garbage collection (crawler/extensions/gctune.py): the heap built before the engine starts is frozen (full
# collections walking it were ~28 % of a crawl's CPU); XXGK_GC_THRESHOLD > 700 also makes young collections rarer
# (10,000: ~4 % less CPU, ~85 MB more peak memory); 0 leaves Python's threshold.
XXGK_GC_FREEZE = True
XXGK_GC_THRESHOLD = 0
# Live progress per site (list pages, reports, files, errors, pages/s) while stderr is a terminal.
XXGK_PROGRESS = True
