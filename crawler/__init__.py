"""xxgk: crawl and archive the annual-report columns of Chinese government portals."""

__version__ = "0.1.0"
