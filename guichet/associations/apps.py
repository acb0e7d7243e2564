from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "guichet.associations"
    verbose_name = "Associations et mandats"

    def ready(self):
        # Members log in through the back-office's pages, which then send them to their space.
        from guichet.backoffice.access import OTHER_HOMES

        from .access import member_home

        OTHER_HOMES.append(member_home)
