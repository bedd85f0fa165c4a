"""Counting events per key in fixed windows of time, in the shared cache.

The cache is the one every app server shares (Redis, or the database cache): a limit holds for
the whole site, not per worker. A window is a time slot (for one hour: 10:00-11:00), so a count
needs one `add` and one `incr` and no list of timestamps.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds

    def _slot(self, key: str, now: float) -> tuple[str, int]:
        start = int(now // self.window) * self.window
        return f"throttle:{self.scope}:{key}:{start}", start + self.window

    def count(self, key: str) -> int:
        name, _ = self._slot(key, time.time())
        return cache.get(name, 0)

    def hit(self, key: str) -> int:
        """Count one more event for `key`; the count so far in this window."""
        name, end = self._slot(key, time.time())
        # A little longer than the window, so that a slot never expires before it ends.
        cache.add(name, 0, timeout=self.window + 60)
        try:
            return cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=self.window + 60)
            return 1

    def exceeded(self, key: str) -> bool:
        return self.count(key) >= self.limit

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        _, end = self._slot("", time.time())
        return max(1, int(end - time.time()))

    def retry_after_minutes(self) -> int:
        """The wait as a person reads it: whole minutes, at least one."""
        return max(1, self.retry_after() // 60)
