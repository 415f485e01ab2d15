"""The per-call coach and its parts: playbook cards (trigger phrases, then moments by
meaning), cards on interims, live metrics, nudges, stages and checklist, guidance, the
optional LLM coach, and the state a coach saves when its call moves to another worker."""
