from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "guichet.protection"
    verbose_name = "Protection contre les abus"

    def ready(self):
        from . import checks  # noqa: F401 - registers the proxy settings' check
