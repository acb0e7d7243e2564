from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "guichet.legal"
    verbose_name = "Pages légales"
