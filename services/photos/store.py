"""Content-addressed storage for photo files (originals and served derivatives).

Keys are relative paths such as `ab/cd/<sha256>.heic`; the database stores keys, never
absolute paths, so the store can move (or become shared storage) without a migration.
Writes go to a temporary file in the target directory and are renamed into place, so a
reader never sees half a file and two processes storing the same bytes cannot clash.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from services.core.errors import NotFound, ValidationFailed

DERIVATIVE_KINDS = ("display", "thumb")

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")
_KEY = re.compile(
    r"(?P<a>[0-9a-f]{2})/(?P<b>[0-9a-f]{2})/(?P<sha>[0-9a-f]{64})"
    r"(?:\.[a-z0-9]{1,8}|-(?:display|thumb)-[0-9a-f]{16}\.jpg)"
)
# Evidence photos: readable by the app's group (backups), not by every local user.
_FILE_MODE = 0o640


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


def _require(ok: object, what: str) -> None:
    if not ok:
        raise ValueError(f"invalid photo {what}")


class PhotoStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def put(self, data: bytes, *, suffix: str) -> str:
        """Store an original under its SHA-256; storing the same bytes again is a no-op."""
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

    def delete(self, key: str) -> None:
        """Remove the file if present. Keys are shared by identical uploads, so callers
        delete only once no record refers to the key any more."""
        self.path(key).unlink(missing_ok=True)

    def path(self, key: str) -> Path:
        """Absolute path of a key; anything but a well-formed key is refused, which also
        keeps a tampered key (`..`, absolute paths, backslashes) inside the root."""
        match = _KEY.fullmatch(key) if isinstance(key, str) else None
        if not match or match["a"] + match["b"] != match["sha"][:4]:
            raise ValidationFailed("photo.invalid_key")
        path = self.root.joinpath(*key.split("/"))
        if not path.resolve().is_relative_to(self.root):
            raise ValidationFailed("photo.invalid_key")
        return path

    def _write_once(self, key: str, data: bytes) -> None:
        target = self.path(key)
        if target.exists():
            return
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
