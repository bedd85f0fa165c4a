"""The collector's settings for long work in a web worker (nador_portal/collector.py), each
case in a fresh interpreter: freezing is process-wide."""

import subprocess
import sys

import pytest

# Django set up first, as in a worker: freezing loads the URLconf.
SETUP = "import django\ndjango.setup()\n"
CASE = (
    SETUP
    + """
import gc, weakref
from nador_portal.collector import collected_less, freeze_loaded_objects, STARTING_THRESHOLDS

class Node:
    pass

if {frozen_before}:
    freeze_loaded_objects()
with collected_less():
    inside = gc.get_freeze_count() > 0, gc.get_threshold()[0] == STARTING_THRESHOLDS[0] * 10
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
    left = weakref.ref(a)
    del a, b
gc.collect()
print(*inside, gc.get_freeze_count() > 0, gc.get_threshold() == STARTING_THRESHOLDS, left() is None)
"""
)


@pytest.mark.parametrize("frozen_before", [True, False])
def test_long_work_is_collected_less_then_the_process_is_as_before_without_its_leftovers(
    frozen_before,
):
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", CASE.format(frozen_before=frozen_before)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    frozen_inside, fewer_inside, frozen_after, thresholds_back, cycle_freed = result.stdout.split()
    assert (frozen_inside, fewer_inside) == ("True", "True")
    assert frozen_after == str(frozen_before)
    assert thresholds_back == "True"
    # Frozen again after the work, the work's garbage was collected first, not kept for ever.
    assert cycle_freed == "True"


def test_a_process_frozen_for_a_while_is_as_before_after_it():
    script = SETUP + (
        "import gc\n"
        "from nador_portal.collector import frozen_meanwhile\n"
        "with frozen_meanwhile():\n"
        "    inside = gc.get_freeze_count() > 0\n"
        "print(inside, gc.get_freeze_count())"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "0"]
