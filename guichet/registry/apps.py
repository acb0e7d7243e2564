from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "guichet.registry"
    verbose_name = "Registre des titres et convocations"

    def ready(self):
        # A renewal whose permit number the registry does not know waits for an agent.
        from guichet.booking.services import REVIEW_CHECKS

        from .checks import permit_needs_review

        REVIEW_CHECKS.append(permit_needs_review)
