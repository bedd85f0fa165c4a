"""events.calendar.fold() folds a content line as icalendar does (RFC 5545, 3.1), faster."""

import random

import pytest
from icalendar.parser import Contentline

from events.calendar import fold

ALPHABET = 'ab ,;:\\^"nN\té€عب𝄞中\u00a0'


@pytest.mark.parametrize("seed", range(40))
def test_a_line_is_folded_as_icalendar_folds_it(seed):
    rng = random.Random(seed)
    for length in [*range(70, 80), *rng.sample(range(0, 600), 20)]:
        line = "".join(rng.choice(ALPHABET) for _ in range(length))
        assert fold(line) == Contentline(line).to_ical()


@pytest.mark.parametrize(
    "line",
    [
        "",
        "x" * 74,
        "x" * 75,
        "x" * 73 + "\\n" + "y" * 80,
        "x" * 72 + "é" + "y" * 80,
        "x" * 73 + "𝄞" + "y" * 3,
        "\\" * 200,
        "^" * 151,
        "DESCRIPTION:" + "مهاجرون في الناظور، " * 20,
    ],
)
def test_edges_of_folding_are_icalendars(line):
    assert fold(line) == Contentline(line).to_ical()
