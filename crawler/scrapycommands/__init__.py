"""Project commands for Scrapy's own tool (COMMANDS_MODULE): `scrapy crawl` with xxgk's summary and exit status."""
