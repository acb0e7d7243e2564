from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DocumentsConfig(AppConfig):
    name = "guichet.documents"
    verbose_name = "Documents vérifiés avant le rendez-vous"

    def ready(self):
        from guichet.catalogue import cache

        from .models import Requirement

        # What a motif asks for is kept with the catalogue (documents.services.asked_documents).
        for signal in (post_save, post_delete):
            signal.connect(cache.forget, sender=Requirement, dispatch_uid="forget-Requirement")
