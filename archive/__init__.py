"""The archive: WARC files written during crawls (and later their indexes, replay and export)."""
