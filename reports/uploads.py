"""An upload kept between the dry run and the confirmation of an import."""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import time
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


#: Uploads are copied and hashed this many bytes at a time, never held whole.
CHUNK = 1 << 20


def keep_upload(upload: BinaryIO) -> dict:
    """Store an upload (a file open for reading, copied from its start) under a random
    name, not reachable from the web (MEDIA_URL is not served), and return what the
    session needs to find it and check it is unchanged."""
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale(directory)
    token = secrets.token_urlsafe(32)
    digest = hashlib.sha256()
    upload.seek(0)
    with (directory / f"{token}.upload").open("wb") as kept:
        while chunk := upload.read(CHUNK):
            digest.update(chunk)
            kept.write(chunk)
    return {"token": token, "sha256": digest.hexdigest()}


def kept_upload(kept: dict) -> BinaryIO | None:
    """The kept upload, open for reading from its start (the caller closes it), if it is
    the one checked by the dry run."""
    token = kept.get("token", "")
    if not TOKEN_PATTERN.match(token):
        return None
    path = upload_dir() / f"{token}.upload"
    try:
        file = path.open("rb")
    except OSError:
        return None
    digest = hashlib.sha256()
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    if digest.hexdigest() != kept.get("sha256"):
        file.close()
        return None
    file.seek(0)
    return file


def discard_upload(kept: dict) -> None:
    token = kept.get("token", "")
    if TOKEN_PATTERN.match(token):
        (upload_dir() / f"{token}.upload").unlink(missing_ok=True)


def _remove_stale(directory: Path, max_age: int = 24 * 3600) -> None:
    limit_time = time.time() - max_age
    for path in directory.glob("*.upload"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit_time:
                path.unlink()
