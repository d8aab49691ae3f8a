"""Photo storage housekeeping: remove files that no photo row has referenced for a while.

Services never delete photo files (see services/photos/store.py). Removing a photo or a
draft leaves its files, and so does an upload that failed or crashed between writing its
files and committing its row. This sweep removes what has been unreferenced and untouched
for the grace period (PHOTO_GC_GRACE_HOURS): `manage.py gc-photos`, and in the background
when an app process starts and once a day after that.

Housekeeping of files, not a change of records: it writes no audit row, it logs counts.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from db.models import Document, Photo
from db.timeutil import utcnow
from services.core.uow import UnitOfWork
from services.photos.store import PhotoStore, StoredFile

logger = logging.getLogger(__name__)
EVERY = timedelta(hours=24)
_BATCH = 5000


@dataclass(frozen=True)
class SweepResult:
    removed: tuple[str, ...]  # photo files and write leftovers removed (dry run: would be)
    kept_young: int  # written or refreshed within the grace period
    referenced: int  # older, and a photo row still points at them


def sweep(
    uow: UnitOfWork,
    store: PhotoStore,
    *,
    grace: timedelta,
    now: datetime | None = None,
    dry_run: bool = False,
) -> SweepResult:
    """Remove the files no photo row refers to that nobody has written for `grace`."""
    if grace < timedelta(0):
        raise ValueError("grace must not be negative")
    cutoff = ((now or utcnow()) - grace).timestamp()
    old: dict[str, StoredFile] = {}
    young = 0
    for stored in store.files():
        if stored.mtime >= cutoff:
            young += 1
        else:
            old[stored.name] = stored
    referenced = _drop_referenced(uow, old)
    # The database was read once (above, read-only) and is not read again before each
    # removal, nor locked while files go. A row committed after that read points only at
    # files its upload wrote or refreshed (store.put touches a file that is already there)
    # just before committing, so they are younger than the grace period and
    # remove_if_older keeps them; a row deleted after the read keeps its files until the
    # next sweep. A re-check would add nothing, as long as no upload takes longer than the
    # grace period from writing its files to committing its row.
    removed = []
    for name in sorted(old):
        if dry_run or store.remove_if_older(name, cutoff):
            removed.append(name)
        else:
            young += 1  # refreshed by an upload since it was listed
    logger.info(
        "photo sweep%s: %d removed, %d kept (recent), %d kept (in use)",
        " (dry run)" if dry_run else "", len(removed), young, referenced,
    )
    return SweepResult(tuple(removed), young, referenced)


def _drop_referenced(uow: UnitOfWork, candidates: dict[str, StoredFile]) -> int:
    """Takes the files some photo or document row refers to out of `candidates`; returns
    how many."""
    keys = {name for name, stored in candidates.items() if stored.key is not None}
    if not keys:
        return 0
    used = 0
    tables = ((Photo.original_key, Photo.display_key, Photo.thumb_key), (Document.key,))
    for columns in tables:
        query = select(*columns).execution_options(yield_per=_BATCH)
        # Streamed: only the candidate keys are held in memory, not every key in the table.
        for row in uow.session.exec(query):
            for key in row if len(columns) > 1 else (row,):  # one column comes as scalars
                if key in keys:
                    keys.discard(key)
                    del candidates[key]
                    used += 1
    return used


def start_background(
    uow: UnitOfWork,
    store: PhotoStore,
    *,
    grace: timedelta,
    every: timedelta = EVERY,
    stop: threading.Event | None = None,
) -> threading.Thread:
    """Sweep now and then every `every` until `stop` is set, in a daemon thread: a page
    never waits for it, and a failed sweep (disk, database) is logged and tried again."""
    stop = stop or threading.Event()

    def run() -> None:
        while True:
            try:
                uow.query(sweep, store, grace=grace)  # a unit per round, opened here
            except Exception:
                logger.exception("photo sweep failed")
            if stop.wait(every.total_seconds()):
                return

    thread = threading.Thread(target=run, name="photo-sweep", daemon=True)
    thread.start()
    return thread
