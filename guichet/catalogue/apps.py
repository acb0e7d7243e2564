from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CatalogueConfig(AppConfig):
    name = "guichet.catalogue"
    verbose_name = "Catalogue et capacité"

    def ready(self):
        from . import cache
        from .models import Prefecture, Service, Site

        for model in (Prefecture, Site, Service):
            for signal in (post_save, post_delete):
                signal.connect(cache.forget, sender=model, dispatch_uid=f"forget-{model.__name__}")
