"""Who spoke on a one-microphone call: voice features per utterance, the per-call two-voice
model anchored on the rep's voice profile, Deepgram speaker ids mapped to rep and prospect,
and the stored voice profiles."""
