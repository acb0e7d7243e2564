from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "guichet.backoffice"
    verbose_name = "Back-office des agents"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="guichet-session-clock")
