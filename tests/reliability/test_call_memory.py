"""An ended call's objects are freed by reference counting the moment the call ends.

A server process collects cyclic garbage rarely (app/serving.py raises the collector's
thresholds to keep pauses off the event loop), so a call whose objects form reference
cycles stays in memory long after it ended: the 30-minute soak grew by about 110 KB per
call that way. These tests run with the cyclic collector off and ask that nothing of an
ended call outlives it.
"""

from __future__ import annotations

import gc
import weakref
from collections import Counter

from tests.helpers import ack, start_call, stream


def _after(action, refs: list[weakref.ref]) -> tuple[list[bool], Counter[str]]:
    """Run ``action`` with the cyclic collector off: which of ``refs`` it left alive, and
    the cyclic garbage of the app's own types it left (by type; libraries' internal caches
    are not the call's).

    Only objects made during ``action`` count: an earlier test's engine whose last
    reference goes while the call runs (a background thread ending, say) takes its own
    cached copies of the app's column types into garbage, and those are not the call's.
    """
    gc.collect()
    gc.disable()
    try:
        existing = {id(obj) for obj in gc.get_objects()}
        action()
        alive = [r() is not None for r in refs]
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        ours = [
            obj
            for obj in gc.garbage
            if type(obj).__module__.startswith("app.") and id(obj) not in existing
        ]
        return alive, Counter(type(obj).__qualname__ for obj in ours)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_an_ended_call_is_freed_without_the_cyclic_collector(
    connect, tokens, sessions, scripted_transcriber
):
    scripted_transcriber.record = False
    rep = tokens.user(seed_toolkit=True)
    client = connect(rep["token"])
    refs: list[weakref.ref] = []

    def one_call() -> None:
        call_id = start_call(client, sources=["rep", "prospect"])
        live = sessions.calls[call_id]
        refs.extend([weakref.ref(live), weakref.ref(live.coach)])
        del live
        stream(client, call_id, 4, source="prospect")
        stream(client, call_id, 5, source="rep")
        assert ack(client, "call:stop", {"call_id": call_id})["ok"]
        assert sessions.writer.flush(10)

    one_call()  # the first call builds what every call shares (caches, the writer)
    refs.clear()
    alive, garbage = _after(one_call, refs)
    assert alive == [False, False]
    assert not garbage, garbage.most_common(20)
