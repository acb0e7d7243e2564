from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "guichet.privacy"
    verbose_name = "Données personnelles"

    def ready(self):
        # Agents read on each request's page until when its personal data is kept.
        from guichet.backoffice.duplicates import MORE_FACTS

        from .retention import retention_status

        MORE_FACTS.append((_("Données personnelles"), retention_status))
