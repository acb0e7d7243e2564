from django.apps import AppConfig


class DueWorkConfig(AppConfig):
    name = "guichet.duework"
    verbose_name = "Travaux dus"
