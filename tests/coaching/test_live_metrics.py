"""Metrics arithmetic on scripted calls. Defaults: pauses <= 0.5 s merge into talk,
rep pauses <= 5 s keep a monologue, prospect speech >= 1 s interrupts it, pace window
120 s. Utterances without word timings spread their words evenly over their span, so
each one below is a single talk segment as long as its span."""

import pytest

from app.services.coaching.live_metrics import LiveMetrics
from app.services.transcription.base import Word

from .helpers import utt

SCRIPT = [
    # rep 0-4 s, 9 words, 1 question ("How are you today?")
    utt("Hi Sam, thanks for joining. How are you today?", 0, 4, "rep"),
    # prospect 4.5-6.5 s (2 s >= 1 s: interrupts), 6 words, 1 question
    utt("Good thanks. What is this about?", 4.5, 6.5, "prospect"),
    # rep 7-13 s, 13 words, fillers: "Um", "basically", "you know" = 3 ("teams like yours"
    # is not a filler: no comma next to it, not after so/and/was...)
    utt("Um, so basically we help teams like yours, you know, close deals faster.", 7, 13, "rep"),
    # rep 14-16 s, 6 words, 1 question ("Tell me ..." opener); 1 s pause keeps the monologue
    utt("Tell me about your current process.", 14, 16, "rep"),
    # prospect back-channel 0.5 s < 1 s: does not interrupt; 1 word
    utt("Mm-hmm.", 16.2, 16.7, "prospect"),
    # rep 17-22 s, 13 words; monologue now 7-22 = 15 s
    utt("We integrate with your CRM and you get a dashboard in a day.", 17, 22, "rep"),
    # prospect 23-29 s, 10 words: ends the 15 s monologue
    utt("We use spreadsheets today, and honestly it is a headache.", 23, 29, "prospect"),
]


def scripted_metrics() -> LiveMetrics:
    metrics = LiveMetrics()
    for utterance in SCRIPT:
        metrics.ingest(utterance)
    return metrics


def test_scripted_call_snapshot_matches_hand_computed_values() -> None:
    snap = scripted_metrics().snapshot()
    # rep talk 4 + 6 + 2 + 5 = 17 s; prospect 2 + 0.5 + 6 = 8.5 s; ratio 17 / 25.5
    assert snap["rep_talk_s"] == 17.0
    assert snap["prospect_talk_s"] == 8.5
    assert snap["talk_ratio"] == pytest.approx(0.667)
    # rep words 9 + 13 + 6 + 13 = 41 over 17 s of rep talk: 41 * 60 / 17 = 144.7
    assert snap["rep_words"] == 41
    assert snap["rep_wpm"] == 145
    assert snap["prospect_words"] == 6 + 1 + 10
    assert snap["questions_asked"] == 2
    assert snap["prospect_questions"] == 1
    assert snap["filler_words"] == 3
    # monologues: 0-4 s (4 s), then 7-22 s (15 s) ended by the prospect at 23 s
    assert snap["longest_monologue_s"] == 15.0
    assert snap["current_monologue_s"] == 0.0
    assert snap["elapsed_s"] == 29.0


def test_monologue_is_current_while_the_rep_keeps_talking() -> None:
    metrics = LiveMetrics()
    metrics.ingest(utt("one two three", 0, 30, "rep"))
    metrics.ingest(utt("four five six", 31, 50, "rep"))  # 1 s pause: same monologue
    assert metrics.current_monologue_s(50_000) == 50.0
    assert metrics.current_monologue_s(56_000) == 0.0  # 6 s of silence > 5 s gap


def test_long_rep_pause_starts_a_new_monologue() -> None:
    metrics = LiveMetrics()
    metrics.ingest(utt("one two", 0, 10, "rep"))
    metrics.ingest(utt("three four", 16, 20, "rep"))  # 6 s pause > 5 s
    assert metrics.longest_monologue_s() == 10.0
    assert metrics.current_monologue_s(20_000) == 4.0


def test_late_prospect_final_splits_an_already_merged_monologue() -> None:
    metrics = LiveMetrics()
    metrics.ingest(utt("a b c", 0, 20, "rep"))
    metrics.ingest(utt("d e f", 21, 40, "rep"))  # merged: 0-40 s
    assert metrics.longest_monologue_s() == 40.0
    metrics.ingest(utt("wait a second", 20.2, 22, "prospect"))  # arrives late
    # split at 20.2 s: 0-20 s closed (20 s), 21-40 s still open (19 s)
    assert metrics.longest_monologue_s() == 20.0
    assert metrics.current_monologue_s(40_000) == 19.0


def test_word_timings_define_talk_time_and_long_pauses_are_not_talk() -> None:
    words = [Word("we", 0, 400), Word("can", 500, 900), Word("help", 2000, 2400)]
    metrics = LiveMetrics()
    metrics.ingest(utt("we can help", 0, 2.4, "rep", words=words))
    # 0-900 (the 100 ms pause merges) + 2000-2400 (the 1.1 s pause does not) = 1.3 s
    assert metrics.snapshot()["rep_talk_s"] == 1.3
    # 3 words in 1.3 s = 138.5 wpm
    assert metrics.snapshot()["rep_wpm"] == 138


def test_rep_pace_uses_only_the_recent_window() -> None:
    metrics = LiveMetrics()
    metrics.ingest(utt(" ".join(["w"] * 100), 0, 60, "rep"))
    metrics.ingest(utt(" ".join(["w"] * 90), 200, 230, "rep"))
    # window 110-230 s holds only the second utterance: 90 words in 30 s = 180 wpm
    assert metrics.rep_wpm(230_000) == pytest.approx(180.0)


def test_recent_talk_ratio_clips_segments_to_the_window() -> None:
    metrics = LiveMetrics(retain_s=180)
    metrics.ingest(utt("a", 0, 100, "rep"))
    metrics.ingest(utt("b", 100, 200, "prospect"))
    metrics.ingest(utt("c", 200, 220, "rep"))
    # window 40-220 s: rep 60 + 20 = 80 s, prospect 100 s: 80 / 180
    assert metrics.recent_talk_ratio(220_000, 180) == pytest.approx(80 / 180)
    # whole call: rep 120 s of 220 s
    assert metrics.talk_ratio() == pytest.approx(120 / 220)


def test_empty_call_reports_zeros() -> None:
    snap = LiveMetrics().snapshot()
    assert snap["talk_ratio"] == 0.0
    assert snap["rep_wpm"] == 0
    assert snap["longest_monologue_s"] == 0.0


def test_old_segments_are_pruned_outside_the_retention_window() -> None:
    metrics = LiveMetrics(retain_s=180)
    for i in range(100):
        metrics.ingest(utt("a b c", i * 10, i * 10 + 5, "rep"))
    # now = 995 s; retention 180 s keeps segments ending at or after 815 s: 19 of them
    assert len(metrics.rep.segments) == 19
    assert metrics.snapshot()["rep_talk_s"] == 500.0  # totals keep the whole call
