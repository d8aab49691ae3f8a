"""Rows in bulk, past the services: PostgreSQL's COPY (psycopg 3) or sqlite3's executemany
in big batches, inside the caller's unit of work (its transaction, its connection).

A table is given as columns: name -> a sequence of values (numpy array or list). Times are
int64 seconds since the epoch (UTC; numpy's NaT, int64's minimum, for none), dates int64
days since the epoch: turned into text in C by numpy, per batch, in the form each database
reads (SQLite compares the text, so it is exactly the form SQLAlchemy writes there).
Ids are given, not drawn from a sequence, so that rows can refer to each other before they
are written; `finish` moves PostgreSQL's sequences past them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import numpy as np
from sqlalchemy import Date, DateTime, Table, func, select, text

from services.core.uow import UnitOfWork

BATCH = 50_000
NAT = np.iinfo(np.int64).min  # numpy's NaT: no time
# SQLite's page cache for the load: index pages of a million rows do not fit the 2 MB
# default, and every insert would read and write them from disk.
SQLITE_BULK_PRAGMAS = {"cache_size": -524_288}


def next_id(uow: UnitOfWork, table: Table) -> int:
    return (uow.session.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def nullable(missing: np.ndarray, values: np.ndarray) -> list:
    """A list of Python values with None where `missing` is true."""
    out = values.astype(object)
    out[missing] = None
    return out.tolist()


class Writer:
    """Writes tables through the unit of work's own connection: nothing is committed here."""

    def __init__(self, uow: UnitOfWork, progress: Callable[[int], None] | None = None) -> None:
        self.uow = uow
        self.connection = uow.session.connection()
        self.dialect = self.connection.dialect.name
        self.tables: set[str] = set()
        self.sequenced: set[str] = set()  # tables whose ids were given here
        self.progress = progress or (lambda _n: None)

    @contextmanager
    def tuned(self) -> Iterator[Writer]:
        """SQLite's bulk-load settings for the block, restored after (PostgreSQL needs none:
        COPY is its bulk path). Only settings allowed inside a transaction: synchronous
        cannot change there (nor temp_store), and with one transaction it costs one sync
        anyway."""
        if self.dialect != "sqlite":
            yield self
            return
        raw = self._raw()
        before = {k: raw.execute(f"PRAGMA {k}").fetchone()[0] for k in SQLITE_BULK_PRAGMAS}
        try:
            for key, value in SQLITE_BULK_PRAGMAS.items():
                raw.execute(f"PRAGMA {key}={value}")
            yield self
        finally:
            for key, value in before.items():
                raw.execute(f"PRAGMA {key}={value}")

    def write(self, table: Table, columns: Mapping[str, Sequence]) -> int:
        names = list(columns)
        n = len(columns[names[0]])
        kinds = [_kind(table.c[name].type) for name in names]
        for start in range(0, n, BATCH):
            stop = min(n, start + BATCH)
            lists = [self._values(columns[name][start:stop], kind)
                     for name, kind in zip(names, kinds, strict=True)]
            rows = list(zip(*lists, strict=True))
            if self.dialect == "postgresql":
                self._copy(table.name, names, rows)
            else:
                self._executemany(table.name, names, rows)
            self.progress(stop - start)
        self.tables.add(table.name)
        if "id" in columns:
            self.sequenced.add(table.name)
        return n

    def finish(self) -> None:
        """PostgreSQL's sequences past the given ids; fresh planner statistics on both."""
        if self.dialect == "postgresql":
            for name in sorted(self.sequenced):
                self.connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM \"{name}\"))"))
            # One at a time: a single ANALYZE of the database reads every table.
            for name in sorted(self.tables):
                self.connection.execute(text(f'ANALYZE "{name}"'))
        else:
            raw = self._raw()
            raw.execute("PRAGMA analysis_limit=2000")  # samples: seconds, not a minute
            for name in sorted(self.tables):
                raw.execute(f'ANALYZE "{name}"')

    def _values(self, values: Sequence, kind: str) -> list:
        if kind == "time" and isinstance(values, np.ndarray):
            stamps = values.astype("datetime64[s]")
            if self.dialect == "postgresql":
                text_ = np.datetime_as_string(stamps, unit="s", timezone="UTC")
            else:  # as SQLAlchemy writes DateTime on SQLite
                text_ = np.char.replace(np.datetime_as_string(stamps, unit="us"), "T", " ")
            return nullable(values == NAT, text_)
        if kind == "date" and isinstance(values, np.ndarray):
            days = values.astype("datetime64[D]")
            return nullable(values == NAT, np.datetime_as_string(days, unit="D"))
        return values.tolist() if isinstance(values, np.ndarray) else list(values)

    def _raw(self):
        return self.connection.connection.driver_connection

    def _executemany(self, table: str, names: list[str], rows: list[tuple]) -> None:
        sql = (f'INSERT INTO "{table}" ({", ".join(names)}) '
               f'VALUES ({", ".join("?" * len(names))})')
        self._raw().executemany(sql, rows)

    def _copy(self, table: str, names: list[str], rows: list[tuple]) -> None:
        cur = self._raw().cursor()
        with cur.copy(f'COPY "{table}" ({", ".join(names)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)


def _kind(sql_type) -> str:
    if isinstance(sql_type, DateTime) or isinstance(getattr(sql_type, "impl", None), DateTime):
        return "time"
    if isinstance(sql_type, Date):
        return "date"
    return "value"


def epoch(moment) -> int:
    """Seconds since the epoch of an aware datetime."""
    return int(moment.timestamp())
