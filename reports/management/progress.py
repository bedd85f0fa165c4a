"""A one-line progress bar for the data commands, drawn only on a terminal."""

from __future__ import annotations


class ProgressBar:
    width = 30

    def __init__(self, stream, total: int = 0):
        self.stream = stream
        self.total = total
        self.done = 0
        self.enabled = hasattr(stream, "isatty") and stream.isatty()

    def start(self, total: int) -> None:
        self.total = total
        self.draw()

    def __call__(self) -> None:
        self.done += 1
        if self.done % 10 == 0 or self.done == self.total:
            self.draw()

    def draw(self) -> None:
        if not self.enabled:
            return
        filled = self.width * self.done // self.total if self.total else 0
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total}")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
