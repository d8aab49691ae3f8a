"""Content-addressed storage for photo files (originals and served derivatives).

Keys are relative paths such as `ab/cd/<sha256>.heic`; the database stores keys, never
absolute paths, so the store can move (or become shared storage) without a migration.
Writes go to a temporary file in the target directory and are renamed into place, so a
reader never sees half a file and two processes storing the same bytes cannot clash.

Nothing here deletes a file on a record's behalf: identical uploads share a file, and an
upload writes its files before its row commits, so "no row refers to it" is never proof
that nobody needs it. Files are removed only by the sweep (services/photos/sweep.py), and
only once they have been neither referenced nor written for a grace period.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import NotFound, ValidationFailed

DERIVATIVE_KINDS = ("display", "thumb")

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")
_KEY = re.compile(
    r"(?P<a>[0-9a-f]{2})/(?P<b>[0-9a-f]{2})/(?P<sha>[0-9a-f]{64})"
    r"(?:\.[a-z0-9]{1,8}|-(?:display|thumb)-[0-9a-f]{16}\.jpg)"
)
_SHARD = re.compile(r"[0-9a-f]{2}")
_TEMP_PREFIX = ".tmp-"
_PARKED_PREFIX = ".gc-"
_PARKED = re.compile(r"\.gc-[0-9a-f]{8}-(?P<name>.+)")
# Evidence photos: readable by the app's group (backups), not by every local user.
_FILE_MODE = 0o640


@dataclass(frozen=True)
class StoredFile:
    """A file found in the store: a photo file (`key` set) or the temporary file of an
    interrupted write (`key` None, `name` relative to the root)."""

    name: str
    key: str | None
    mtime: float


def original_key(sha256: str, suffix: str) -> str:
    _require(_SHA256.fullmatch(sha256), "sha256")
    _require(_SUFFIX.fullmatch(suffix), "suffix")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}{suffix}"


def derivative_key(original_sha256: str, kind: str, data: bytes) -> str:
    """Beside the original, tagged with a short hash of the derivative itself: the same
    original can get different watermarks (unit, inspector), and each must keep its own."""
    _require(_SHA256.fullmatch(original_sha256), "sha256")
    _require(kind in DERIVATIVE_KINDS, "kind")
    tag = hashlib.sha256(data).hexdigest()[:16]
    sha = original_sha256
    return f"{sha[:2]}/{sha[2:4]}/{sha}-{kind}-{tag}.jpg"


def _is_key(key: object) -> bool:
    match = _KEY.fullmatch(key) if isinstance(key, str) else None
    return bool(match) and match["a"] + match["b"] == match["sha"][:4]


def _require(ok: object, what: str) -> None:
    if not ok:
        raise ValueError(f"invalid photo {what}")


class PhotoStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def put(self, data: bytes, *, suffix: str) -> str:
        """Store an original under its SHA-256; storing the same bytes again only marks
        the file as just written."""
        key = original_key(hashlib.sha256(data).hexdigest(), suffix)
        self._write_once(key, data)
        return key

    def put_derivative(self, original_sha256: str, kind: str, data: bytes) -> str:
        """Store a JPEG derivative ("display" or "thumb") of the original with that hash."""
        key = derivative_key(original_sha256, kind, data)
        self._write_once(key, data)
        return key

    def open(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound("photo.not_found") from exc

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def files(self) -> Iterator[StoredFile]:
        """Every photo file and write leftover under the shard directories; anything else
        (a README, a backup tool's marker) is not the store's and is never listed."""
        if not self.root.is_dir():
            return
        for first in _subdirs(self.root):
            for second in _subdirs(first):
                for entry in os.scandir(second):
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    name = f"{first.name}/{second.name}/{entry.name}"
                    parked = _PARKED.fullmatch(entry.name)
                    if parked:
                        self._unpark(Path(entry.path), Path(second, parked["name"]))
                    elif entry.name.startswith(_TEMP_PREFIX):
                        yield StoredFile(name, None, entry.stat().st_mtime)
                    elif _is_key(name):
                        yield StoredFile(name, name, entry.stat().st_mtime)

    def remove_if_older(self, name: str, cutoff: float) -> bool:
        """Remove a photo file or a leftover (a `StoredFile.name`) unless it was written
        or refreshed at or after `cutoff` (a POSIX time). Only the sweep calls this.

        A stat followed by an unlink would race an upload of the same bytes that refreshes
        the file in between. So the file is first renamed aside and the renamed inode
        checked: a refresh before the rename shows on it (and the file goes back); a writer
        after the rename finds no file and writes it anew."""
        path = self._listed_path(name)
        parked = path.with_name(f"{_PARKED_PREFIX}{secrets.token_hex(4)}-{path.name}")
        try:
            os.rename(path, parked)
        except FileNotFoundError:
            return False  # gone already (another sweep)
        try:
            if parked.stat().st_mtime >= cutoff:
                # Whatever a writer put there meanwhile has the same bytes (content addressed).
                os.replace(parked, path)
                return False
            parked.unlink()
        except FileNotFoundError:
            return False  # another sweep's listing has put it back: a later sweep decides
        return True

    def _listed_path(self, name: str) -> Path:
        first, second, base = name.split("/")
        if base.startswith(_TEMP_PREFIX) and _SHARD.fullmatch(first) and _SHARD.fullmatch(second):
            return self.root / first / second / base
        return self.path(name)

    @staticmethod
    def _unpark(parked: Path, target: Path) -> None:
        # A sweep stopped between renaming a file aside and deciding: put it back, and let
        # a later sweep decide again.
        try:
            if target.exists():
                parked.unlink()
            else:
                os.replace(parked, target)
        except FileNotFoundError:
            pass  # its own sweep has just decided after all

    def path(self, key: str) -> Path:
        """Absolute path of a key; anything but a well-formed key is refused, which also
        keeps a tampered key (`..`, absolute paths, backslashes) inside the root."""
        if not _is_key(key):
            raise ValidationFailed("photo.invalid_key")
        path = self.root.joinpath(*key.split("/"))
        if not path.resolve().is_relative_to(self.root):
            raise ValidationFailed("photo.invalid_key")
        return path

    def _write_once(self, key: str, data: bytes) -> None:
        target = self.path(key)
        try:
            # The file is there already (same bytes): mark it as just written, so the
            # sweep's grace period counts from this upload, whose row is not committed yet.
            os.utime(target)
            return
        except FileNotFoundError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fchmod(tmp.fileno(), _FILE_MODE)
                os.fsync(tmp.fileno())
            # Another process may have won the race meanwhile; its file has the same bytes.
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _fsync_directory(target.parent)


def _subdirs(directory: Path) -> Iterator[Path]:
    for entry in os.scandir(directory):
        if _SHARD.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            yield Path(entry.path)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not supported on every platform, hence best effort.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
