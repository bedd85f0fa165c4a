from django.apps import AppConfig


class PerfConfig(AppConfig):
    """The benchmark, its data and the load test: installed only with PERF_TOOLS=1."""

    name = "perf"
    verbose_name = "Performance tools"
