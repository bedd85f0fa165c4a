from django.apps import AppConfig


class NadorPortalConfig(AppConfig):
    name = "nador_portal"
    verbose_name = "Nador portal"

    def ready(self) -> None:
        from nador_portal import checks, page_cache, signin  # noqa: F401  (checks, receivers)

        page_cache.connect()
