from django.apps import AppConfig


class ProductionConfig(AppConfig):
    """Checks that refuse to run in production (DEBUG off) with public or missing secrets."""

    name = "guichet.production"
    verbose_name = "Mise en production"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
