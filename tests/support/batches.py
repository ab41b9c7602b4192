"""Batch summaries for tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from foialens.store.batches import BatchSummary

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def summary(name: str, hours: int, **counts) -> BatchSummary:
    """A summary of batch ``name`` started ``hours`` after T0, with the given tag counts."""
    return BatchSummary(batch=name, started_at=T0 + timedelta(hours=hours), **counts)
