"""The performance tools (the benchmark, its data, the load test) and the import's
query counts. The `perf` app is installed only when PERF_TOOLS asks for it, as in
`make bench`; these tests install it for themselves."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/perf/" in str(item.fspath):
            item.add_marker(pytest.mark.perf)


@pytest.fixture(autouse=True)
def _perf_tools(settings):
    if "perf" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "perf"]
