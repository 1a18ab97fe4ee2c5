"""The one kind of error a person is shown as one line: bad input, a missing archive, an unusable configuration.

Every module's own error class (ExportError, HistoryError, ConfigError, …) derives from XxgkError, so the command
line prints any of them as `Error: …` and exits 1; anything else is a defect and keeps its traceback.
"""


class XxgkError(Exception):
    """A problem the user can act on, told in one line."""


class NoDatabase(XxgkError):
    """The configured database does not exist yet, or cannot be reached."""
