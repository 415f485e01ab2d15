"""Speech-to-text providers behind one small interface.

``base`` is the interface every provider implements (``Transcriber``, streams, results,
words, statuses); ``audio`` (PCM/WebM decoding) and ``vad`` (speech segmentation, also
used by speaker attribution) are shared. Each provider lives in its own subpackage —
``deepgram`` (the hosted streaming API) and ``local`` (faster-whisper in worker
processes) — and imports only these shared modules, never the other provider.
"""
