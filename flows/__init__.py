"""Prefect flows: schedules, retries, batching and logging around `pipelines` calls. Thin."""
