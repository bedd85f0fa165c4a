"""The code an authenticator app shows (RFC 6238, TOTP, as django-otp's TOTPDevice checks
it: HMAC-SHA1, 30-second steps from the epoch, 6 digits), computed by the spike test from the
secret it gave the coordinator's device, as the coordinator's phone would."""

from __future__ import annotations

import hashlib
import hmac
import struct
import time


def code(hex_key: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code of `hex_key` (TOTPDevice.key) at the time `at` (now by default)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"
