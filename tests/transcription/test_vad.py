from __future__ import annotations

import numpy as np

from app.services.transcription.vad import RATE, Segmenter, Utterance, VadConfig

CONFIG = VadConfig(silence_ms=600, max_utterance_s=15.0)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


def tone(seconds: float, amplitude: float = 0.3, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def syllables(seconds: float) -> np.ndarray:
    """A tone with a 4-per-second syllable envelope: energy keeps dipping, as speech does."""
    t = np.arange(int(seconds * RATE)) / RATE
    return tone(seconds) * (0.05 + 0.95 * np.abs(np.sin(2 * np.pi * 2 * t))).astype(np.float32)


def noise(seconds: float, amplitude: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (amplitude * rng.standard_normal(int(seconds * RATE))).astype(np.float32)


def run(signal: np.ndarray, config: VadConfig = CONFIG, chunk: int = 1600) -> list[Utterance]:
    seg = Segmenter(config)
    out: list[Utterance] = []
    for i in range(0, len(signal), chunk):
        out += seg.feed(signal[i : i + chunk])
    last = seg.flush()
    return out + ([last] if last is not None else [])


def test_silence_yields_no_utterance() -> None:
    assert run(silence(5)) == []


def test_one_tone_burst_is_one_utterance_covering_it() -> None:
    (utt,) = run(np.concatenate([silence(1), tone(1.5), silence(1.5)]))
    assert 0.6 * RATE <= utt.start <= 1.0 * RATE  # pre-roll before the onset
    assert 2.5 * RATE <= utt.end <= 2.8 * RATE  # ~200 ms of the pause kept


def test_a_short_gap_does_not_split_an_utterance() -> None:
    signal = np.concatenate([silence(1), tone(1), silence(0.3), tone(1), silence(1.5)])
    assert len(run(signal)) == 1


def test_a_long_pause_splits_two_utterances_in_order() -> None:
    signal = np.concatenate([silence(1), tone(1), silence(1.2), tone(1), silence(1.5)])
    first, second = run(signal)
    assert first.end <= second.start
    assert abs(second.start / RATE - 3.2) < 0.4


def test_clicks_shorter_than_the_onset_are_ignored() -> None:
    signal = np.concatenate([silence(1), tone(0.03), silence(1), tone(0.03), silence(1)])
    assert run(signal) == []


def test_steady_noise_is_learned_and_does_not_hold_an_utterance_open() -> None:
    utterances = run(noise(10, 0.01))
    # at most the warm-up before the floor is learned; nothing after it
    assert all(u.end <= 4 * RATE for u in utterances)


def test_tone_bursts_in_background_noise_are_found() -> None:
    background = noise(12, 0.01)
    signal = background.copy()
    for start in (5, 8):
        span = slice(start * RATE, start * RATE + RATE)
        signal[span] += tone(1)
    late = [u for u in run(signal) if u.start > 4 * RATE]
    assert len(late) == 2
    assert abs(late[0].start / RATE - 4.7) < 0.4 and abs(late[1].start / RATE - 7.7) < 0.4


def test_continuous_speech_is_cut_at_the_maximum_length() -> None:
    config = VadConfig(max_utterance_s=2.0)
    utterances = run(np.concatenate([silence(0.5), syllables(5), silence(1)]), config)
    assert len(utterances) == 3
    assert all(len(u.audio) <= 2 * RATE + 480 for u in utterances)
    assert [u.start for u in utterances[1:]] == [u.end for u in utterances[:-1]]


def test_flush_closes_speech_without_a_trailing_pause() -> None:
    seg = Segmenter(CONFIG)
    assert seg.feed(np.concatenate([silence(0.5), tone(1.0)])) == []
    assert seg.is_open
    utt = seg.flush()
    assert utt is not None and utt.end == int(1.5 * RATE)
    assert seg.flush() is None


def test_open_audio_grows_while_speech_continues() -> None:
    seg = Segmenter(CONFIG)
    seg.feed(np.concatenate([silence(0.5), tone(0.5)]))
    first = seg.open_audio()
    seg.feed(tone(0.5))
    second = seg.open_audio()
    assert first is not None and second is not None
    assert second.start == first.start and len(second.audio) > len(first.audio)


def test_long_continuous_speech_stays_voiced_past_the_noise_window() -> None:
    (utt,) = run(np.concatenate([silence(1), syllables(8), silence(1.5)]))
    assert utt.end >= 8.9 * RATE


def test_chunk_size_does_not_change_the_segmentation() -> None:
    signal = np.concatenate([silence(1), tone(1), silence(1.2), tone(0.7), silence(1)])
    a = [(u.start, u.end) for u in run(signal, chunk=160)]
    b = [(u.start, u.end) for u in run(signal, chunk=7777)]
    assert a == b and len(a) == 2
