"""OncePerKey: one compute per key, even when threads ask at the same time."""

from __future__ import annotations

import threading

import pytest

from app.services.concurrency import OncePerKey


def test_threads_asking_for_the_same_key_share_one_compute() -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        started.set()
        assert release.wait(5)
        return key.upper()

    cache: OncePerKey[str, str] = OncePerKey(compute, maxsize=4)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("a"))) for _ in range(4)]
    threads[0].start()
    assert started.wait(5)
    for thread in threads[1:]:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == ["A"] * 4
    assert calls == ["a"] and cache.computed == 1


def test_the_oldest_key_is_dropped_past_maxsize() -> None:
    calls: list[int] = []

    def double(key: int) -> int:
        calls.append(key)
        return key * 2

    cache: OncePerKey[int, int] = OncePerKey(double, maxsize=2)
    assert [cache.get(1), cache.get(2), cache.get(1), cache.get(3)] == [2, 4, 2, 6]
    cache.get(1)  # kept: it was used after 2
    cache.get(2)  # dropped when 3 came in, so computed again
    assert calls == [1, 2, 3, 2]


def test_a_failed_compute_is_not_cached() -> None:
    attempts: list[str] = []

    def compute(key: str) -> str:
        attempts.append(key)
        if len(attempts) == 1:
            raise RuntimeError("first try fails")
        return "ok"

    cache: OncePerKey[str, str] = OncePerKey(compute, maxsize=2)
    with pytest.raises(RuntimeError):
        cache.get("k")
    assert cache.get("k") == "ok" and cache.computed == 1
