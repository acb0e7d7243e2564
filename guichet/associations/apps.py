from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "guichet.associations"
    verbose_name = "Associations et mandats"
