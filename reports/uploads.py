"""An upload kept between the dry run and the confirmation of an import."""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def keep_upload(content: bytes) -> dict:
    """Store an upload under a random name, not reachable from the web (MEDIA_URL is not
    served), and return what the session needs to find it and check it is unchanged."""
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale(directory)
    token = secrets.token_urlsafe(32)
    (directory / f"{token}.upload").write_bytes(content)
    return {"token": token, "sha256": hashlib.sha256(content).hexdigest()}


def kept_upload(kept: dict) -> bytes | None:
    token = kept.get("token", "")
    if not TOKEN_PATTERN.match(token):
        return None
    path = upload_dir() / f"{token}.upload"
    try:
        content = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(content).hexdigest() != kept.get("sha256"):
        return None
    return content


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
