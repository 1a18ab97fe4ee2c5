"""What kind of network failure an exception is, in the words a user reads: "cannot reach HOST (DNS)"."""

from __future__ import annotations

# Exception class names (Scrapy's download errors, the Twisted and OpenSSL ones beneath them) by what went wrong.
KINDS = {
    "CannotResolveHostError": "DNS", "DNSLookupError": "DNS",
    "DownloadConnectionRefusedError": "connection refused", "ConnectionRefusedError": "connection refused",
    "DownloadTimeoutError": "timeout", "TimeoutError": "timeout", "TCPTimedOutError": "timeout",
    "NoRouteError": "no route to host", "ConnectError": "cannot connect",
    "ConnectionLost": "connection lost", "ConnectionDone": "connection lost", "ResponseNeverReceived": "connection lost",
    "ResponseDataLossError": "connection lost", "DownloadFailedError": "connection lost",
    "SSLError": "TLS", "Error": None,  # OpenSSL.SSL.Error is only `Error`: told apart by its module below
}


def kind_of(exception: BaseException | str) -> str | None:
    """"DNS", "timeout", "connection refused", … for a network failure (an exception or its dotted class name);
    None for anything else (an HTTP error, a bug)."""
    if isinstance(exception, str):
        module, _, name = exception.rpartition(".")
    else:
        module, name = type(exception).__module__, type(exception).__name__
    if name == "Error" and module.startswith("OpenSSL"):
        return "TLS"
    return KINDS.get(name)
