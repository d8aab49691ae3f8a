"""Content-addressed photo storage."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.core.errors import NotFound, ValidationFailed
from services.photos import store as photo_store
from services.photos.store import PhotoStore

REPO = Path(__file__).resolve().parents[2]
DATA = b"\xff\xd8\xff" + b"photo bytes" * 100
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def store(tmp_path) -> PhotoStore:
    return PhotoStore(tmp_path / "uploads")


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".tmp-")]


def test_put_returns_a_relative_content_key_and_open_reads_it_back(store):
    key = store.put(DATA, suffix=".jpg")
    assert key == f"{SHA[:2]}/{SHA[2:4]}/{SHA}.jpg"
    assert store.open(key) == DATA
    assert store.exists(key)
    assert store.path(key) == store.root / SHA[:2] / SHA[2:4] / f"{SHA}.jpg"
    assert stat.S_IMODE(store.path(key).stat().st_mode) == 0o640


def test_same_bytes_are_stored_once_and_storing_them_again_refreshes_the_file(store):
    """The sweep's grace period counts from the last upload of the bytes, whose row may not
    be committed yet: the file must look freshly written, not as old as its first upload."""
    key = store.put(DATA, suffix=".heic")
    day_ago = time.time() - 86_400
    os.utime(store.path(key), (day_ago, day_ago))
    before = store.path(key).stat()
    assert store.put(DATA, suffix=".heic") == key
    after = store.path(key).stat()
    assert before.st_ino == after.st_ino
    assert after.st_mtime > time.time() - 60
    display = store.put_derivative(SHA, "display", b"display")
    os.utime(store.path(display), (day_ago, day_ago))
    store.put_derivative(SHA, "display", b"display")
    assert store.path(display).stat().st_mtime > time.time() - 60


def test_derivatives_sit_beside_the_original_and_differ_per_content(store):
    display = store.put_derivative(SHA, "display", b"display one")
    again = store.put_derivative(SHA, "display", b"display one")
    other_watermark = store.put_derivative(SHA, "display", b"display two")
    thumb = store.put_derivative(SHA, "thumb", b"thumb")
    assert display == again != other_watermark
    assert display.startswith(f"{SHA[:2]}/{SHA[2:4]}/{SHA}-display-")
    assert display.endswith(".jpg") and thumb.startswith(f"{SHA[:2]}/{SHA[2:4]}/{SHA}-thumb-")
    assert store.open(other_watermark) == b"display two"
    assert display == photo_store.derivative_key(SHA, "display", b"display one")


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("put_derivative", (SHA, "poster", b"x")),
        ("put_derivative", ("../../etc", "thumb", b"x")),
        ("put_derivative", (SHA.upper(), "thumb", b"x")),
        ("put", (DATA,)),
    ],
)
def test_malformed_arguments_are_programming_errors(store, call, args):
    kwargs = {"suffix": "/../x"} if call == "put" else {}
    with pytest.raises(ValueError):
        getattr(store, call)(*args, **kwargs)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../outside.jpg",
        "/etc/passwd",
        f"../{SHA[2:4]}/{SHA}.jpg",
        f"{SHA[:2]}/{SHA[2:4]}/../../../{SHA}.jpg",
        f"{SHA[:2]}\\{SHA[2:4]}\\{SHA}.jpg",
        f"{SHA[:2]}/{SHA[2:4]}/{SHA}.jpg/..",
        f"00/00/{SHA}.jpg" if not SHA.startswith("0000") else f"11/11/{SHA}.jpg",
        f"{SHA[:2]}/{SHA[2:4]}/{SHA.upper()}.jpg",
        f"{SHA[:2]}/{SHA[2:4]}/{SHA}-display-zz.jpg",
        None,
    ],
)
def test_keys_that_could_escape_the_root_are_refused(store, key):
    for method in (store.path, store.open, store.exists):
        with pytest.raises(ValidationFailed) as caught:
            method(key)
        assert caught.value.message_key == "photo.invalid_key"


def test_open_of_a_missing_key_is_not_found(store):
    with pytest.raises(NotFound) as caught:
        store.open(f"{SHA[:2]}/{SHA[2:4]}/{SHA}.jpg")
    assert caught.value.message_key == "photo.not_found"


def test_the_store_offers_no_way_to_delete_a_photo_on_a_records_behalf(store):
    assert not hasattr(store, "delete")


def _age(store, name: str, seconds: float = 86_400) -> None:
    then = time.time() - seconds
    os.utime(store.root / name, (then, then))


def test_files_lists_photo_files_and_write_leftovers_but_nothing_foreign(store):
    key = store.put(DATA, suffix=".jpg")
    thumb = store.put_derivative(SHA, "thumb", b"thumb")
    shard = store.path(key).parent
    (shard / ".tmp-abc123.part").write_bytes(b"half a photo")
    (shard / "notes.txt").write_text("mine")
    (store.root / "README").write_text("not a photo")
    (store.root / "zz").mkdir()
    (store.root / "zz" / "x.jpg").write_bytes(b"x")
    listed = {f.name: f.key for f in store.files()}
    leftover = f"{SHA[:2]}/{SHA[2:4]}/.tmp-abc123.part"
    assert listed == {key: key, thumb: thumb, leftover: None}


def test_remove_if_older_removes_only_files_untouched_since_the_cutoff(store):
    old, new = store.put(DATA, suffix=".jpg"), store.put(DATA, suffix=".png")
    _age(store, old)
    cutoff = time.time() - 3600
    assert store.remove_if_older(old, cutoff) is True
    assert store.remove_if_older(new, cutoff) is False
    assert not store.exists(old) and store.open(new) == DATA
    assert store.remove_if_older(old, cutoff) is False  # gone already
    assert leftovers(store.root) == [] and not list(store.root.rglob(".gc-*"))


def test_a_file_refreshed_after_it_was_listed_is_kept(store):
    key = store.put(DATA, suffix=".jpg")
    _age(store, key)
    [listed] = [f for f in store.files() if f.key == key]
    cutoff = time.time() - 3600
    assert listed.mtime < cutoff
    store.put(DATA, suffix=".jpg")  # an upload of the same bytes, between listing and removal
    assert store.remove_if_older(key, cutoff) is False
    assert store.open(key) == DATA


def test_an_upload_while_the_sweep_has_the_file_aside_writes_it_anew(store, monkeypatch):
    key = store.put(DATA, suffix=".jpg")
    _age(store, key)
    rename = os.rename

    def rename_then_upload(src, dst):
        rename(src, dst)
        assert store.put(DATA, suffix=".jpg") == key  # finds no file: writes it again

    monkeypatch.setattr(os, "rename", rename_then_upload)
    assert store.remove_if_older(key, time.time() - 3600) is True  # the old copy went
    monkeypatch.undo()
    assert store.open(key) == DATA and not list(store.root.rglob(".gc-*"))


def test_a_file_set_aside_by_an_interrupted_sweep_is_put_back(store):
    key = store.put(DATA, suffix=".jpg")
    path = store.path(key)
    path.rename(path.with_name(f".gc-0123abcd-{path.name}"))
    assert [f.key for f in store.files()] in ([key], [])
    assert store.open(key) == DATA and not list(store.root.rglob(".gc-*"))


def test_a_leftover_is_removed_once_old(store):
    key = store.put(DATA, suffix=".jpg")
    name = f"{SHA[:2]}/{SHA[2:4]}/.tmp-crashed.part"
    (store.root / name).write_bytes(b"half")
    assert store.remove_if_older(name, time.time() - 3600) is False
    _age(store, name)
    assert store.remove_if_older(name, time.time() - 3600) is True
    assert leftovers(store.root) == [] and store.exists(key)
    with pytest.raises(ValidationFailed):
        store.remove_if_older("../../.tmp-x.part", time.time())


def test_failed_write_leaves_neither_temp_file_nor_target(store, monkeypatch):
    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.put(DATA, suffix=".jpg")
    assert not store.exists(f"{SHA[:2]}/{SHA[2:4]}/{SHA}.jpg")
    assert leftovers(store.root) == []


def test_racing_writer_replaces_atomically(store, monkeypatch):
    """A second writer that did not see the first one's file still ends with one whole file."""
    key = store.put(DATA, suffix=".jpg")

    def not_there(path, *args, **kwargs):
        raise FileNotFoundError(path)

    monkeypatch.setattr(os, "utime", not_there)
    assert store.put(DATA, suffix=".jpg") == key
    assert store.open(key) == DATA
    assert leftovers(store.root) == []


WRITER = """
import sys
from pathlib import Path
from services.photos.store import PhotoStore
store = PhotoStore(Path(sys.argv[1]))
payloads = [bytes([i]) * 200_000 for i in range(8)]
for _ in range(5):
    for p in payloads:
        store.put(p, suffix=".jpg")
        store.put_derivative("ab" * 32, "thumb", p)
"""


def test_two_processes_writing_the_same_content(store):
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(store.root)], cwd=REPO)
        for _ in range(2)
    ]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    for i in range(8):
        payload = bytes([i]) * 200_000
        assert store.open(store.put(payload, suffix=".jpg")) == payload
        assert store.open(photo_store.derivative_key("ab" * 32, "thumb", payload)) == payload
    assert leftovers(store.root) == []
    assert len([p for p in store.root.rglob("*") if p.is_file()]) == 16
