from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "guichet.observatory"
    verbose_name = "Observatoire"
