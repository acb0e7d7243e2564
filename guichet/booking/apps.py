from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "guichet.booking"
    verbose_name = "Demandes et rendez-vous"

    def ready(self):
        from guichet.notifications.services import CALENDARS

        from .calendar import unit_calendar

        CALENDARS["appointment"] = unit_calendar
