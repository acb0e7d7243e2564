from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "guichet.registry"
    verbose_name = "Registre des titres et convocations"
