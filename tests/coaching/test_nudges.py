from app.services.coaching.base import Utterance
from app.services.coaching.live_metrics import LiveMetrics
from app.services.coaching.nudges import NUDGE_MESSAGES, NudgePolicy, NudgeSettings

from .helpers import utt


def feed(metrics: LiveMetrics, policy: NudgePolicy, utterance: Utterance) -> list[str]:
    metrics.ingest(utterance)
    return policy.evaluate(metrics, metrics.now_ms)


def words(n: int) -> str:
    return " ".join(["word"] * n)


def test_monologue_nudge_fires_once_when_crossing_and_respects_cooldown() -> None:
    metrics, policy = LiveMetrics(), NudgePolicy()
    assert "monologue" not in feed(metrics, policy, utt(words(60), 0, 30, "rep"))
    # 0-61 s: 61 s > 60 s
    assert "monologue" in feed(metrics, policy, utt(words(60), 30.5, 61, "rep"))
    # still over the threshold: no repeat
    assert "monologue" not in feed(metrics, policy, utt(words(20), 61.5, 70, "rep"))
    # the prospect speaks: condition false, nudge re-armed
    assert "monologue" not in feed(metrics, policy, utt("right", 71, 75, "prospect"))
    # 76-140 s = 64 s, but only 79 s since the last nudge at 61 s (< 120 s cooldown)
    assert "monologue" not in feed(metrics, policy, utt(words(150), 76, 140, "rep"))
    # 190 s: 129 s since the last nudge and still in a monologue: fires
    assert "monologue" in feed(metrics, policy, utt(words(100), 140.5, 190, "rep"))


def test_talk_ratio_nudge_waits_for_the_first_minute() -> None:
    metrics, policy = LiveMetrics(), NudgePolicy()
    feed(metrics, policy, utt(words(20), 0, 10, "prospect"))
    # rep 40 of 50 s = 0.8 but only 50 s into the call
    assert "talk_ratio" not in feed(metrics, policy, utt(words(100), 10, 50, "rep"))
    # 70 s in: rep 40 + 19 = 59 s of 69 s = 0.86 > 0.65
    assert "talk_ratio" in feed(metrics, policy, utt(words(50), 51, 70, "rep"))


def test_talk_ratio_nudge_needs_prospect_audio() -> None:
    metrics, policy = LiveMetrics(), NudgePolicy()
    assert "talk_ratio" not in feed(metrics, policy, utt(words(50), 0, 30, "rep"))
    assert "talk_ratio" not in feed(metrics, policy, utt(words(50), 35, 70, "rep"))


def test_balanced_conversation_gets_no_talk_ratio_nudge() -> None:
    metrics, policy = LiveMetrics(), NudgePolicy()
    fired: list[str] = []
    for i in range(10):
        fired += feed(metrics, policy, utt(words(20), i * 20, i * 20 + 10, "rep"))
        fired += feed(metrics, policy, utt(words(20), i * 20 + 10, i * 20 + 20, "prospect"))
    assert "talk_ratio" not in fired


def test_pace_nudge_fires_above_the_threshold() -> None:
    metrics, policy = LiveMetrics(), NudgePolicy()
    # 90 words in 25 s = 216 wpm > 180, with 25 s >= 20 s of rep talk
    assert "pace" in feed(metrics, policy, utt(words(90), 0, 25, "rep"))


def test_normal_pace_and_short_bursts_get_no_pace_nudge() -> None:
    metrics, policy = LiveMetrics(), NudgePolicy()
    assert "pace" not in feed(metrics, policy, utt(words(60), 0, 25, "rep"))  # 144 wpm
    fast = LiveMetrics()
    # 50 words in 10 s = 300 wpm, but under 20 s of rep talk: not judged yet
    assert "pace" not in feed(fast, NudgePolicy(), utt(words(50), 0, 10, "rep"))


def test_no_questions_nudge_after_ten_minutes_and_again_after_cooldown() -> None:
    metrics, policy = LiveMetrics(), NudgePolicy()
    metrics.ingest(utt("We help teams.", 0, 2, "rep"))
    assert "no_questions" not in policy.evaluate(metrics, 599_000)
    assert "no_questions" in policy.evaluate(metrics, 600_000)
    metrics.ingest(utt("What do you think?", 600, 601, "rep"))
    assert "no_questions" not in policy.evaluate(metrics, 700_000)
    assert "no_questions" in policy.evaluate(metrics, 1_201_000)


def test_thresholds_are_configurable() -> None:
    metrics = LiveMetrics()
    policy = NudgePolicy(NudgeSettings(monologue_max_s=10))
    assert "monologue" in feed(metrics, policy, utt(words(30), 0, 11, "rep"))


def test_every_nudge_kind_has_a_short_message() -> None:
    assert set(NUDGE_MESSAGES) == {"talk_ratio", "monologue", "pace", "no_questions"}
    assert all(len(message) <= 100 for message in NUDGE_MESSAGES.values())
