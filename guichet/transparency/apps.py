from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "guichet.transparency"
    verbose_name = "File d'attente en clair"
