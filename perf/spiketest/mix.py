"""What the spike's anonymous visitors ask for. A spike is an article that links to a few
pages of the portal: each visit lands on one of those links (the most popular practice,
list with filters and theme page), then goes on to a few more pages of any kind (home,
lists, filters, searches, practices, themes, feeds), how often each kind by its weight and,
within a kind, the popular pages more often than the others. Then the next visitor comes.

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
# The article's links: the most popular page of these kinds.
LANDING_KINDS = ("practice", "filter", "theme")
# Pages a visitor reads after landing: from 0 to this many.
FURTHER_PAGES = 4
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

    def landing(self) -> list[tuple[str, str]]:
        return [(kind, self.paths[kind][0]) for kind in LANDING_KINDS if kind in self.paths]

    def visit(self, rng: random.Random) -> list[tuple[str, str]]:
        """One visitor's pages: a link of the article, then 0 to FURTHER_PAGES others."""
        pages = [rng.choice(self.landing())]
        return pages + [self.next_page(rng) for _ in range(rng.randint(0, FURTHER_PAGES))]


def pause(rng: random.Random, mean: float) -> float:
    """A visitor's reading time between two pages: uniform around `mean` (0: none)."""
    return rng.uniform(0, 2 * mean) if mean > 0 else 0.0
