"""Shared fixtures. Service tests run once on SQLite and once on PostgreSQL
(TEST_POSTGRES_URL, e.g. postgresql://postgres@127.0.0.1:5432/test)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import func, select

import config
from db.bootstrap import open_database
from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.models import Role, User
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.identity import users
from services.photos.store import PhotoStore
from tests.factories import make_template

REPO = Path(__file__).resolve().parents[1]
PHOTOS = REPO.parent / "shared" / "testdata" / "photos"
PASSWORD = "correct-horse-battery"
PG_ENV = "TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the developer's data/ or uploads/."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.delenv("APP_ENV", raising=False)
    config.get_settings.cache_clear()
    yield
    config.get_settings.cache_clear()


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A throw-away database for this test session, so parallel runs never collide."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV} (see README) to run them")
    admin_url = _psycopg_url(base)
    name = f"effdesk_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = open_database(f"sqlite:///{tmp_path / 'service.db'}")
    else:
        url = request.getfixturevalue("pg_database_url")
        eng = make_engine(url)
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade_to_head(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


@pytest.fixture
def make_user(uow: UnitOfWork):
    def make(username: str, role: str = Role.ADMIN, **scope) -> User:
        return uow.run(
            users.create_user, actor=system_actor(), username=username,
            display_name=username.title(),
            role=role, password=PASSWORD, **scope,
        )

    return make


@pytest.fixture
def admin(make_user) -> User:
    return make_user("root", Role.ADMIN)


@pytest.fixture
def office(make_user) -> User:
    return make_user("office", Role.OFFICE)


@pytest.fixture
def inspector(make_user) -> User:
    return make_user("insp1", Role.INSPECTOR)


@pytest.fixture
def checklist(uow: UnitOfWork, office: User):
    """The demo checklist, saved by the office."""
    return make_template(uow, actor=office)


@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "store")


def stored_files(store: PhotoStore) -> list[str]:
    """Every file under the store, as paths relative to its root, sorted."""
    if not store.root.exists():
        return []
    return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())


def count_rows(uow: UnitOfWork, model, *where) -> int:
    with uow.read() as r:
        return r.session.exec(select(func.count()).select_from(model).where(*where)).one()


def at_once(calls: list[Callable]) -> list:
    """Run the calls at the same moment on separate threads; each one's result or the
    exception it raised, in order (the test looks at which one lost, and how)."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(30)
        try:
            return call()
        except Exception as exc:  # handed to the test
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))
