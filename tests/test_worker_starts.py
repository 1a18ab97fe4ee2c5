"""A worker handed hundreds of sites at once builds their crawlers one per reactor turn, so timers (lease renewal)
and responses are served between two builds instead of after all of them."""

from __future__ import annotations

import twisted.internet
from twisted.internet.task import Clock

from crawler import queue


def test_crawls_start_one_per_reactor_turn(monkeypatch):
    clock, built = Clock(), []
    monkeypatch.setattr(twisted.internet, "reactor", clock, raising=False)
    monkeypatch.setattr(queue, "_build", lambda worker, site, options: built.append(site) or _done(site))
    ended = [queue._crawl(None, site, {}) for site in ("a", "b", "c")]
    assert built == [] and len(clock.calls) == 1, "nothing is built in the turn that queued the starts"
    for expected in (["a"], ["a", "b"], ["a", "b", "c"]):
        [turn] = clock.calls  # one start is due at a time: anything else due runs before the next build
        clock.calls.remove(turn)
        turn.func(*turn.args, **turn.kw)
        assert built == expected
    assert clock.calls == []
    results = []
    for deferred in ended:
        deferred.addCallback(results.append)
    assert results == ["crawler of a", "crawler of b", "crawler of c"]


def test_a_stopping_worker_starts_nothing_more(monkeypatch):
    clock, built = Clock(), []
    monkeypatch.setattr(twisted.internet, "reactor", clock, raising=False)
    monkeypatch.setattr(queue, "_build", lambda worker, site, options: built.append(site) or _done(site))
    monkeypatch.setattr(queue.stopping, "is_set", lambda: True)
    ended = queue._crawl(None, "a", {})
    failures = []
    ended.addErrback(failures.append)
    clock.advance(0)
    assert built == [] and "stopped before the crawl started" in failures[0].getErrorMessage()


def _done(site: str):
    from twisted.internet import defer

    return defer.succeed(f"crawler of {site}")
