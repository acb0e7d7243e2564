from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "guichet.privacy"
    verbose_name = "Données personnelles"
