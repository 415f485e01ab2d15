from __future__ import annotations

from app.services.live.seq import SeqOrderer


def test_in_order_chunks_are_released_at_once():
    orderer = SeqOrderer()
    assert orderer.push(0, b"a").released == [b"a"]
    assert orderer.push(1, b"b").released == [b"b"]


def test_an_early_chunk_waits_for_the_missing_one():
    orderer = SeqOrderer()
    assert orderer.push(1, b"b").released == []
    assert orderer.push(0, b"a").released == [b"a", b"b"]


def test_repeats_and_old_chunks_are_duplicates():
    orderer = SeqOrderer()
    orderer.push(0, b"a")
    orderer.push(2, b"c")
    assert orderer.push(0, b"a").duplicate and orderer.push(2, b"c").duplicate


def test_a_chunk_missing_beyond_the_window_is_skipped_as_a_gap():
    orderer = SeqOrderer(window=3)
    results = [orderer.push(seq, bytes([seq])) for seq in (1, 2, 3, 4)]
    assert results[-1].gap == 1 and results[-1].released == [b"\x01", b"\x02", b"\x03", b"\x04"]
    assert orderer.push(0, b"late").duplicate


def test_flush_releases_what_is_held_and_counts_the_gaps():
    orderer = SeqOrderer()
    orderer.push(2, b"c")
    orderer.push(5, b"f")
    flushed = orderer.flush()
    assert flushed.released == [b"c", b"f"] and flushed.gap == 4


def test_an_unknown_start_waits_for_the_window_and_starts_at_the_lowest_chunk():
    orderer = SeqOrderer(next_seq=None, window=3)
    assert orderer.push(41, b"b").released == [] and orderer.push(40, b"a").released == []
    assert orderer.push(42, b"c").released == [b"a", b"b", b"c"]
    assert orderer.push(39, b"old").duplicate and orderer.next_seq == 43


def test_an_unknown_start_is_settled_by_flush():
    orderer = SeqOrderer(next_seq=None)
    orderer.push(7, b"h")
    assert orderer.flush().released == [b"h"] and SeqOrderer(next_seq=None).flush().released == []
