"""What the spike's anonymous visitors ask for: kinds of public page, how often each, and
within a kind the popular pages more often than the others (an article links to a few
practices and one list; most visitors land there).

No Django here: the pages are plain paths chosen beforehand (perf/spiketest/paths.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import accumulate

# How often each kind of page is asked for (weights): practices and lists first, as when
# visitors come from an article; feeds are polled by readers now and then.
VISITOR_MIX = {
    "home": 10,
    "list": 12,
    "filter": 22,
    "search": 14,
    "practice": 26,
    "theme": 10,
    "feed": 6,
}
# Zipf's exponent of the pages' popularity within a kind: the n-th page is asked for about
# 1/n as often as the first.
POPULARITY = 1.0


def popularity_weights(count: int, exponent: float = POPULARITY) -> list[float]:
    """Cumulative weights of `count` pages, the first the most popular."""
    return list(accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


@dataclass
class PageSet:
    """Per kind of page, its paths (the most popular first) and their cumulative weights."""

    paths: dict[str, list[str]] = field(default_factory=dict)
    weights: dict[str, list[float]] = field(default_factory=dict)
    mix: dict[str, int] = field(default_factory=lambda: dict(VISITOR_MIX))

    @classmethod
    def of(cls, paths: dict[str, list[str]], mix: dict[str, int] | None = None) -> PageSet:
        mix = dict(mix or VISITOR_MIX)
        empty = sorted(kind for kind in mix if not paths.get(kind))
        if empty:
            raise ValueError(f"No page to ask for of these kinds: {', '.join(empty)}")
        weights = {kind: popularity_weights(len(paths[kind])) for kind in mix}
        return cls({kind: list(paths[kind]) for kind in mix}, weights, mix)

    def kind(self, rng: random.Random) -> str:
        return rng.choices(list(self.mix), list(self.mix.values()))[0]

    def pick(self, kind: str, rng: random.Random) -> str:
        return rng.choices(self.paths[kind], cum_weights=self.weights[kind])[0]

    def next_page(self, rng: random.Random) -> tuple[str, str]:
        kind = self.kind(rng)
        return kind, self.pick(kind, rng)


def pause(rng: random.Random, mean: float) -> float:
    """A visitor's reading time between two pages: uniform around `mean` (0: none)."""
    return rng.uniform(0, 2 * mean) if mean > 0 else 0.0
