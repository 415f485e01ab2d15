"""Business logic, free of HTTP and Socket.IO: what the blueprints and the /audio namespace
call. Services get settings and principals passed in; they never read the request or the
environment. Subpackages: ``live`` (live calls), ``transcription`` (speech-to-text providers),
``coaching`` (cards, guidance, metrics, nudges, the LLM coach), ``analysis`` (post-call
jobs), ``attribution`` (who spoke on one microphone), ``redaction`` (sensitive numbers)."""
