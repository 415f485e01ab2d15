"""The local provider: faster-whisper in worker processes, no network.

Server side (the Socket.IO process, never imports faster-whisper): ``transcriber`` (the
``Transcriber``: the worker pool) → ``stream`` (one source's stream) → ``pool`` (a
``WorkerSlot``: one worker process, its socket and crash recovery), sharing a
``link.StreamLink``. Worker side (``python -m app.services.transcription.local.worker``):
``worker`` → ``session`` (one stream: decode, segment, recognize) → ``recognizer``.
``framing`` is the wire format between the two; ``settings`` the provider's configuration.
Nothing here is imported by the Deepgram provider.
"""
