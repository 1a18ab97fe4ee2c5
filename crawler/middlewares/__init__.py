"""Downloader middlewares that keep a crawl safe and honest, one concern per module:

- scope: the site's hosts only, never a private address unless allowed;
- traps: session ids, repeated segments, calendars, endless pagination;
- retry: backoff between attempts;
- challenge: anti-bot interstitials passed in a browser or reported as blocked.
"""
