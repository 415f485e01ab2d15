"""Post-call analysis: durable jobs (store, job, service, rq_queue, tasks) and their content
(metrics, extractive, rules, llm, content). See docs/operations.md."""
