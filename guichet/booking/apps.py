from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "guichet.booking"
    verbose_name = "Demandes et rendez-vous"
