"""The Deepgram provider: streaming speech-to-text over Deepgram's websocket API.

``transcriber`` (the ``Transcriber``: client, stream cap, probe) → ``stream`` (one source's
stream: session task, reconnects, statuses) → ``pump`` (the single writer of a connected
socket), sharing a ``send_state.SendState``; ``connection`` opens and reads one socket,
``results`` maps Deepgram messages to ``TranscriptResult``, ``timeline`` keeps audio on
one stream clock across reconnects, ``settings`` holds the provider's configuration.
Nothing here is imported by the local provider.
"""
