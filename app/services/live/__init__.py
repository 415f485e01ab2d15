"""Live calls in this worker: admission, the call rows, one ``LiveCall`` per call (ordering
of audio per source, fan-out of transcripts and cards to the call's rooms), the batched
utterance writer, leases and the janitor that ends abandoned calls."""
