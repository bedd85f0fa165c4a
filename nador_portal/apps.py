from django.apps import AppConfig


class NadorPortalConfig(AppConfig):
    name = "nador_portal"
    verbose_name = "Nador portal"

    def ready(self) -> None:
        from nador_portal import checks, signin  # noqa: F401  (registers checks and receivers)
