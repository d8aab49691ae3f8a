"""Stored times are time-zone aware UTC (SQLModel's UTCDateTime refuses naive values);
pages convert to local time for display."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
