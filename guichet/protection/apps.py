from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "guichet.protection"
    verbose_name = "Protection contre les abus"
