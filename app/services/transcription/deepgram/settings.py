"""Settings of the Deepgram streaming provider, built by the app config from env vars."""

from __future__ import annotations

from dataclasses import dataclass

# Deepgram's public streaming endpoint; tests point this at a loopback fake.
DEFAULT_BASE_URL = "wss://api.deepgram.com"
# Deepgram's current general-purpose streaming model.
DEFAULT_MODEL = "nova-3"
DEFAULT_LANGUAGE = "en-US"
# Silence (ms) that ends a segment with speech_final; Deepgram's own recommendation for
# conversational audio, short enough for live coaching.
DEFAULT_ENDPOINTING_MS = 300
# Gap in words (ms) that produces UtteranceEnd; Deepgram's minimum useful value, a fallback
# when endpointing never fires in background noise.
DEFAULT_UTTERANCE_END_MS = 1000
# Deepgram closes a stream after ~10 s with neither audio nor a text message (NET-0001);
# Deepgram recommends a KeepAlive every 3-5 s, so 4 s leaves room for one lost message.
DEFAULT_KEEPALIVE_INTERVAL_S = 4.0
# A healthy handshake takes well under a second; 5 s tells a call "degraded" quickly.
DEFAULT_CONNECT_TIMEOUT_S = 5.0
# Deepgram limits concurrent streams per project (429 at handshake); one process should
# stay well below it so other workers get their share.
DEFAULT_MAX_STREAMS = 100
# Attempts before a rate-limited or unreachable stream is declared degraded, and the
# capped exponential backoff (with jitter) between them: ~0.5+1+2+4 s, no retry storm.
DEFAULT_RECONNECT_MAX_ATTEMPTS = 5
DEFAULT_RECONNECT_BACKOFF_BASE_S = 0.5
DEFAULT_RECONNECT_BACKOFF_MAX_S = 8.0
# While degraded, probe once per interval so a long call recovers after an outage.
DEFAULT_DEGRADED_RETRY_INTERVAL_S = 30.0
# Audio sent but not yet covered by a final, kept to replay after a reconnect; Deepgram
# finalises every few seconds, so 10 s covers a segment with margin (320 KB of PCM16).
DEFAULT_REPLAY_BUFFER_S = 10.0
# Chunks waiting to be sent (e.g. while reconnecting); at 4 chunks/s that is 20 s of audio,
# about 640 KB of PCM16; beyond it the oldest are dropped with a logged gap.
DEFAULT_SEND_QUEUE_MAX_CHUNKS = 80


@dataclass(frozen=True)
class DeepgramSettings:
    """Everything the Deepgram provider needs; no env reading in the service itself."""

    api_key: str
    base_url: str = DEFAULT_BASE_URL
    model: str = DEFAULT_MODEL
    language: str = DEFAULT_LANGUAGE
    endpointing_ms: int = DEFAULT_ENDPOINTING_MS
    utterance_end_ms: int = DEFAULT_UTTERANCE_END_MS
    interim_results: bool = True
    smart_format: bool = True
    keepalive_interval_s: float = DEFAULT_KEEPALIVE_INTERVAL_S
    connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S
    max_streams: int = DEFAULT_MAX_STREAMS
    reconnect_max_attempts: int = DEFAULT_RECONNECT_MAX_ATTEMPTS
    reconnect_backoff_base_s: float = DEFAULT_RECONNECT_BACKOFF_BASE_S
    reconnect_backoff_max_s: float = DEFAULT_RECONNECT_BACKOFF_MAX_S
    degraded_retry_interval_s: float = DEFAULT_DEGRADED_RETRY_INTERVAL_S
    replay_buffer_s: float = DEFAULT_REPLAY_BUFFER_S
    send_queue_max_chunks: int = DEFAULT_SEND_QUEUE_MAX_CHUNKS

    def http_base_url(self) -> str:
        """The REST base matching ``base_url`` (the SDK wants both)."""
        if self.base_url.startswith("wss://"):
            return "https://" + self.base_url[len("wss://") :]
        if self.base_url.startswith("ws://"):
            return "http://" + self.base_url[len("ws://") :]
        return self.base_url
