"""Stored times are time-zone aware UTC (SQLModel's UTCDateTime refuses naive values);
pages convert to local time for display."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# Set only by `as_of`: the demo writes a year of history through the real services, which
# stamp "now" on every row they make (log rows, replies, audit events).
_as_of: ContextVar[datetime | None] = ContextVar("as_of", default=None)


def utcnow() -> datetime:
    return _as_of.get() or datetime.now(UTC)


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    """Within the block (in this thread only) `utcnow()` is `moment`."""
    token = _as_of.set(moment)
    try:
        yield
    finally:
        _as_of.reset(token)
